// The two vocabularies, the signature helpers and the retry rule, as pure functions.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { hasShared, readSharedJson, SHARED_SKIP } from '../testing/shared-data.ts';
import { endpointReceives } from './outbox.ts';
import { signatureHeaders, verifySignature, verifyTimedSignature } from './signature.ts';
import {
  audienceOf,
  canonicalEventType,
  deliveredEventName,
  EVENT_TYPES,
  SUBSCRIBABLE_EVENT_NAMES,
} from './vocabulary.ts';
import { classifyAttempt } from './worker.ts';

const OPCP_EVENTS = ['specs', 'opcp-1.0.0', 'reference', 'webhooks.v1.json'];
const OPNC_EVENTS = ['specs', 'opnc-1.0', 'specification', 'components', 'schemas', 'eventEnum.v1.json'];

test('every event name of both specs maps to a canonical type, and back', {
  skip: hasShared(...OPCP_EVENTS) && hasShared(...OPNC_EVENTS) ? false : SHARED_SKIP,
}, () => {
  const opcp = readSharedJson(...OPCP_EVENTS) as { components: { schemas: { Event: { enum: string[] } } } };
  const opnc = readSharedJson(...OPNC_EVENTS) as { enum: string[] };
  for (const name of [...opcp.components.schemas.Event.enum, ...opnc.enum]) {
    const type = canonicalEventType(name);
    assert.ok(type, name);
    assert.ok(SUBSCRIBABLE_EVENT_NAMES.includes(name), name);
    // Delivered back under the name subscribed with.
    assert.equal(deliveredEventName(type, [name], 'opcp'), name);
  }
  assert.equal(canonicalEventType('emsp.contract.queued.to.oem'), 'mo.contract.queued.to.oem');
  assert.equal(canonicalEventType('emsp.prov.cert.updated.factory.reset'), 'mo.prov.cert.factory.reset');
  assert.equal(canonicalEventType('mo.prov.cert.updated.factory.reset'), 'mo.prov.cert.factory.reset');
  assert.equal(canonicalEventType('contract.created'), undefined);
  assert.equal(canonicalEventType('emsp.root.cert.added'), undefined);
  assert.equal(
    deliveredEventName('mo.contract.rejected.by.oem', [], 'opnc'),
    'emsp.contract.rejected.by.oem',
  );
  assert.equal(deliveredEventName('mo.contract.rejected.by.oem', [], 'opcp'), 'mo.contract.rejected.by.oem');
  assert.equal(deliveredEventName('root.cert.added', [], 'opnc'), 'root.cert.added');
});

test('audiences follow "Relevant for Role"', () => {
  assert.deepEqual(
    EVENT_TYPES.map((t) => `${t}:${audienceOf(t)}`).filter((x) => !x.endsWith(':MO')),
    [
      'root.cert.added:ALL',
      'root.cert.expired:ALL',
      'root.cert.revoked:ALL',
      'oem.contract.created:OEM',
      'oem.contract.updated:OEM',
      'oem.contract.deleted:OEM',
    ],
  );
});

test('an endpoint never receives an event of a tenant outside its lists (property)', () => {
  const wmi = fc.constantFrom('WA1', 'WA2', 'WA3');
  const provider = fc.constantFrom('DEAA1', 'DEAA2', 'DEAA3');
  fc.assert(
    fc.property(
      fc.constantFrom('OEM', 'MO', 'CPO', 'CPS'),
      fc.uniqueArray(wmi),
      fc.uniqueArray(provider),
      fc.constantFrom(...EVENT_TYPES),
      wmi,
      provider,
      (role, wmis, providerIds, type, eventWmi, eventProvider) => {
        const receives = endpointReceives(
          { status: 'enabled', role, eventTypes: [...EVENT_TYPES], wmis, providerIds },
          { type, wmi: eventWmi, providerId: eventProvider },
        );
        if (!receives) return;
        const audience = audienceOf(type);
        if (audience === 'OEM') assert.ok(role === 'OEM' && wmis.includes(eventWmi));
        if (audience === 'MO') assert.ok(role === 'MO' && providerIds.includes(eventProvider));
      },
    ),
  );
});

test('signature headers: HMAC-SHA256 hex of the raw body in every form, and the timed one', () => {
  const secret = 'a test secret of enough length';
  const body = '{"eventId":"x","eventType":"oem.contract.created"}';
  const at = new Date('2027-01-01T00:00:00Z');
  const h = signatureHeaders(secret, body, at);
  const hex = createHmac('sha256', secret).update(body).digest('hex');
  assert.equal(h['payload-signature'], hex);
  assert.equal(h['x-hubject-signature'], `sha256=${hex}`);
  assert.equal(h['x-operator-signature'], hex);
  assert.equal(h['x-pnc-timestamp'], '1798761600');
  assert.ok(verifySignature(secret, body, h['x-hubject-signature'] ?? ''));
  assert.ok(verifySignature(secret, body, h['payload-signature'] ?? ''));
  assert.ok(!verifySignature(secret, `${body} `, hex));
  assert.ok(!verifySignature('another secret entirely', body, hex));
  assert.ok(verifyTimedSignature(secret, body, h['x-pnc-signature'] ?? '', at));
  assert.ok(
    !verifyTimedSignature(secret, body, h['x-pnc-signature'] ?? '', new Date(at.getTime() + 301_000)),
  );
  assert.ok(!verifyTimedSignature(secret, body.replace('x', 'y'), h['x-pnc-signature'] ?? '', at));
});

test('retry rule: 2xx delivered, 400 / 409 final, everything else retried until the budget is spent', () => {
  assert.equal(classifyAttempt({ status: 204 }, 0, 3), 'delivered');
  assert.equal(classifyAttempt({ status: 400 }, 0, 3), 'rejected');
  assert.equal(classifyAttempt({ status: 409 }, 2, 3), 'rejected');
  assert.equal(classifyAttempt({ status: 500 }, 0, 3), 'retry');
  assert.equal(classifyAttempt({ status: 404 }, 2, 3), 'retry');
  assert.equal(classifyAttempt({ error: 'timeout after 10000 ms' }, 2, 3), 'retry');
  assert.equal(classifyAttempt({ status: 503 }, 3, 3), 'failed');
  assert.equal(classifyAttempt({ status: 503 }, 0, 0), 'failed');
});
