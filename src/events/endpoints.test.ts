// Endpoint URLs must be https unless PNC_WEBHOOK_ALLOW_HTTP=1 (issue 5), over HTTP on the default
// configuration, on SQLite and PostgreSQL; oversized bodies are refused before anything is stored.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../errors/app-error.ts';
import { forEachEcosystem } from '../testing/test-ecosystem.ts';
import { validateUrl } from './endpoints.ts';

test('validateUrl: https always, http only when allowed, never credentials or fragments', () => {
  assert.equal(validateUrl('https://hooks.example/a?b=1', false, false), 'https://hooks.example/a?b=1');
  assert.equal(validateUrl('http://127.0.0.1:8080/x', true, true), 'http://127.0.0.1:8080/x');
  for (const [url, allow, message] of [
    ['http://hooks.example/a', false, /https:\/\/ URL \(plain http only with PNC_WEBHOOK_ALLOW_HTTP=1\)/],
    ['ftp://hooks.example/a', true, /https:\/\/ or http:\/\//],
    ['https://user:pw@hooks.example/', false, /user name or password/],
    ['https://hooks.example/#x', false, /fragment/],
    [`https://hooks.example/${'a'.repeat(2048)}`, false, /at most 2048/],
    ['/relative', false, /absolute URL/],
  ] as const) {
    assert.throws(
      () => validateUrl(url, allow, true),
      (e: unknown) => isAppError(e) && e.code === 'events.invalid-endpoint' && message.test(e.message),
      url,
    );
  }
});

forEachEcosystem(
  'webhook endpoints, default configuration',
  (eco) => {
    test('http:// is refused (400) without PNC_WEBHOOK_ALLOW_HTTP; https:// is accepted', async () => {
      const token = await eco().token('MO', 'DE-HT1');
      const http = await eco().fetch('/v1/webhook/endpoints', {
        method: 'POST',
        token,
        body: { url: 'http://mo.example/hook', enabledEvents: ['mo.contract.rejected.by.oem'] },
      });
      assert.equal(http.status, 400);
      assert.match(
        ((await http.json()) as { errorMessages: string[] }).errorMessages[0] ?? '',
        /PNC_WEBHOOK_ALLOW_HTTP/,
      );
      const list = (await (await eco().fetch('/v1/webhook/endpoints', { token })).json()) as unknown[];
      assert.equal(list.length, 0);
      const https = await eco().fetch('/opnc/v1/event/endpoints', {
        method: 'POST',
        token,
        body: { url: 'https://mo.example/hook', enabledEvents: ['emsp.contract.rejected.by.oem'] },
      });
      assert.equal(https.status, 201);
      const created = (await https.json()) as { id: string };
      const toHttp = await eco().fetch(`/opnc/v1/event/endpoints/${created.id}`, {
        method: 'PUT',
        token,
        body: { url: 'http://mo.example/hook' },
      });
      assert.equal(toHttp.status, 400);
    });

    test('a body over 64 KiB is refused with 413 and nothing is stored', async () => {
      const token = await eco().token('MO', 'DE-HT2');
      const res = await eco().fetch('/v1/webhook/endpoints', {
        method: 'POST',
        token,
        body: {
          url: 'https://mo.example/hook',
          enabledEvents: ['mo.contract.rejected.by.oem'],
          description: 'x'.repeat(70 * 1024),
        },
      });
      assert.equal(res.status, 413);
      const list = (await (await eco().fetch('/v1/webhook/endpoints', { token })).json()) as unknown[];
      assert.equal(list.length, 0);
    });
  },
  { iso: [] },
);
