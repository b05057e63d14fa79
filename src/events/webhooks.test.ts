// End to end: endpoint subscriptions over HTTP on both trees, and deliveries to real HTTP receivers
// (node:http on 127.0.0.1) by the delivery worker of the real server, on SQLite and PostgreSQL.
// Events are raised through the event sink inside a real database transaction, as the pools do.
// The clock is the ecosystem's settable clock: "one hour later" is a clock step and worker.runOnce().

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, test } from 'node:test';
import { listAudit } from '../audit/audit-log.ts';
import { forEachEcosystem, type TestEcosystem } from '../testing/test-ecosystem.ts';
import type { PoolEvent } from './event-sink.ts';
import { findEvent, listAttempts, listDeliveries } from './repository.ts';
import { startReceiver, type TestReceiver } from './testing/receiver.ts';

const HOUR_MS = 3600 * 1000;
const receivers: TestReceiver[] = [];
after(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(): Promise<TestReceiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const pcidOf = (wmi: string) => `${wmi}${'0'.repeat(13)}1`;
const emaidOf = (provider: string) => `${provider}C12345678`;

function contractEvent(type: PoolEvent['type'], wmi: string, provider: string): PoolEvent {
  return {
    type,
    pcid: pcidOf(wmi),
    emaid: emaidOf(provider),
    iso: 2,
    contractCert: 'MIIBszCCAVmgAwIBAgIBAQ==',
  } as PoolEvent;
}

async function raise(eco: TestEcosystem, event: PoolEvent) {
  return eco.app.db.transaction((tx) => eco.app.events.sink.raise(tx, event));
}

async function createEndpoint(
  eco: TestEcosystem,
  token: string,
  body: Record<string, unknown>,
  path = '/v1/webhook/endpoints',
): Promise<{ id: string; secret: string } & Record<string, unknown>> {
  const res = await eco.fetch(path, { method: 'POST', token, body });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as { id: string; secret: string };
}

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

forEachEcosystem(
  'webhook endpoints and deliveries',
  (eco) => {
    test('OPCP: create (201, secret once), list without secret, get with secret, update, delete', async () => {
      const token = await eco().token('OEM', 'WB1,WB2');
      const created = await createEndpoint(eco(), token, {
        url: 'https://oem.example/hooks',
        enabledEvents: ['oem.contract.created', 'root.cert.added'],
        description: 'test',
        metadata: { team: 'a' },
      });
      assert.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.ok(created.secret.length >= 32);
      assert.deepEqual(created.enabledEvents, ['oem.contract.created', 'root.cert.added']);
      assert.deepEqual(created.events, created.enabledEvents);
      assert.deepEqual(created.wmis, ['WB1', 'WB2']);
      assert.equal(created.status, 'enabled');
      assert.equal(created.userRole, 'OEM');
      assert.equal(created.created, Math.floor(eco().clock.now().getTime() / 1000));

      const list = (await (await eco().fetch('/v1/webhook/endpoints', { token })).json()) as Record<
        string,
        unknown
      >[];
      const listed = list.find((e) => e.id === created.id);
      assert.ok(listed);
      assert.equal(listed.secret, undefined);

      const got = (await (await eco().fetch(`/v1/webhook/endpoints/${created.id}`, { token })).json()) as {
        secret: string;
      };
      assert.equal(got.secret, created.secret);

      const put = await eco().fetch(`/v1/webhook/endpoints/${created.id}`, {
        method: 'PUT',
        token,
        body: {
          url: 'https://oem.example/v2',
          status: 'disabled',
          events: ['oem.contract.deleted'],
          wmis: ['WB2'],
        },
      });
      assert.equal(put.status, 200, await put.clone().text());
      const updated = (await put.json()) as Record<string, unknown>;
      assert.equal(updated.url, 'https://oem.example/v2');
      assert.equal(updated.status, 'disabled');
      assert.deepEqual(updated.enabledEvents, ['oem.contract.deleted']);
      assert.deepEqual(updated.wmis, ['WB2']);
      assert.equal(updated.secret, undefined);

      const del = await eco().fetch(`/v1/webhook/endpoints/${created.id}`, { method: 'DELETE', token });
      assert.equal(del.status, 200);
      const gone = await eco().fetch(`/v1/webhook/endpoints/${created.id}`, { token });
      assert.equal(gone.status, 404);
      const audit = await listAudit(eco().app.db, { component: 'events', subject: created.id });
      assert.deepEqual(
        audit.map((a) => a.action),
        ['endpoint.deleted', 'endpoint.updated', 'endpoint.created'],
      );
      assert.doesNotMatch(JSON.stringify(audit), new RegExp(created.secret));
    });

    test('OPNC: emsp.* names, `wmi` / providerIds filters, the doubled prefix, userRole eMSP', async () => {
      const token = await eco().token('MO', 'DE-BB1,DE-BB2');
      const created = await createEndpoint(
        eco(),
        token,
        {
          url: 'https://mo.example/hooks',
          enabledEvents: ['emsp.contract.rejected.by.oem', 'emsp.prov.cert.updated.factory.reset'],
          providerIds: ['DE-BB2'],
        },
        '/opnc/v1/event/endpoints',
      );
      assert.deepEqual(created.providerIds, ['DEBB2']);
      assert.equal(created.userRole, 'eMSP');
      const viaDoubled = await eco().fetch(`/opnc/v1/event/opnc/v1/event/endpoints/${created.id}`, { token });
      assert.equal(viaDoubled.status, 200);
      const viaOpcp = (await (
        await eco().fetch(`/v1/webhook/endpoints/${created.id}`, { token })
      ).json()) as {
        userRole: string;
      };
      assert.equal(viaOpcp.userRole, 'MO');

      const oem = await eco().token('OEM', 'WB3');
      const oemCreated = await createEndpoint(
        eco(),
        oem,
        { url: 'https://oem.example/x', enabledEvents: ['oem.contract.created'], wmi: ['WB3'] },
        '/opnc/v1/event/endpoints',
      );
      assert.deepEqual(oemCreated.wmi, ['WB3']);
      assert.deepEqual(oemCreated.wmis, ['WB3']);
    });

    test('bad input: 400 for unknown events, URLs and fields; 403 outside the scope or role; nothing stored', async () => {
      const token = await eco().token('OEM', 'WB4');
      const before = (await (await eco().fetch('/v1/webhook/endpoints', { token })).json()) as unknown[];
      const cases: [Record<string, unknown>, number, RegExp][] = [
        [{ url: 'https://x.example', enabledEvents: ['contract.created'] }, 400, /unknown event/],
        [{ url: 'https://x.example', enabledEvents: [] }, 400, /at least one event/],
        [{ url: 'https://x.example' }, 400, /enabledEvents is required/],
        [{ url: 'ftp://x.example', enabledEvents: ['root.cert.added'] }, 400, /https/],
        [{ url: 'https://u:p@x.example', enabledEvents: ['root.cert.added'] }, 400, /user name or password/],
        [{ url: 'not a url', enabledEvents: ['root.cert.added'] }, 400, /absolute URL/],
        [{ url: 'https://x.example', enabledEvents: ['root.cert.added'], status: 'on' }, 400, /./],
        [
          { url: 'https://x.example', enabledEvents: ['root.cert.added'], secret: 'short' },
          400,
          /secret must be/,
        ],
        [
          { url: 'https://x.example', enabledEvents: ['root.cert.added'], events: ['oem.contract.created'] },
          400,
          /either enabledEvents or events/,
        ],
        [{ url: 'https://x.example', enabledEvents: ['root.cert.added'], wmis: ['W?1'] }, 400, /wmis/],
        [
          { url: 'https://x.example', enabledEvents: ['oem.contract.created'], wmis: ['WB5'] },
          403,
          /outside/,
        ],
        [
          { url: 'https://x.example', enabledEvents: ['root.cert.added'], providerIds: ['DEBB1'] },
          403,
          /outside/,
        ],
        [{ url: 'https://x.example', enabledEvents: ['mo.contract.rejected.by.oem'] }, 403, /cannot receive/],
      ];
      for (const [body, status, message] of cases) {
        const res = await eco().fetch('/v1/webhook/endpoints', { method: 'POST', token, body });
        const text = await res.text();
        assert.equal(res.status, status, `${JSON.stringify(body)}: ${text}`);
        assert.match((JSON.parse(text) as { errorMessages: string[] }).errorMessages[0] ?? '', message);
      }
      const cpo = await eco().token('CPO', 'DE*CP1');
      const res = await eco().fetch('/v1/webhook/endpoints', {
        method: 'POST',
        token: cpo,
        body: { url: 'https://x.example', enabledEvents: ['oem.contract.created'] },
      });
      assert.equal(res.status, 403);
      const invalidJson = await eco().fetch('/v1/webhook/endpoints', {
        method: 'POST',
        token,
        body: '{"url":',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(invalidJson.status, 400);
      const anonymous = await eco().fetch('/v1/webhook/endpoints');
      assert.equal(anonymous.status, 401);
      const afterList = (await (await eco().fetch('/v1/webhook/endpoints', { token })).json()) as unknown[];
      assert.equal(afterList.length, before.length);
    });

    test('another tenant sees 404, ADMIN sees all, a second client of the same tenant manages it', async () => {
      const a = await eco().token('OEM', 'WB6');
      const b = await eco().token('OEM', 'WB7');
      const a2 = await eco().token('OEM', 'WB6');
      const admin = await eco().token('ADMIN');
      const created = await createEndpoint(eco(), a, {
        url: 'https://a.example',
        enabledEvents: ['oem.contract.created'],
      });
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await eco().fetch(`/v1/webhook/endpoints/${created.id}`, {
          method,
          token: b,
          ...(method === 'PUT' ? { body: { url: 'https://evil.example' } } : {}),
        });
        assert.equal(res.status, 404, method);
      }
      const listB = (await (await eco().fetch('/v1/webhook/endpoints', { token: b })).json()) as {
        id: string;
      }[];
      assert.ok(!listB.some((e) => e.id === created.id));
      const listAdmin = (await (await eco().fetch('/v1/webhook/endpoints', { token: admin })).json()) as {
        id: string;
      }[];
      assert.ok(listAdmin.some((e) => e.id === created.id));
      const byA2 = await eco().fetch(`/v1/webhook/endpoints/${created.id}`, { token: a2 });
      assert.equal(byA2.status, 200);
      const adminWidens = await eco().fetch(`/v1/webhook/endpoints/${created.id}`, {
        method: 'PUT',
        token: admin,
        body: { wmis: ['WB7'] },
      });
      assert.equal(adminWidens.status, 403);
    });

    test('the OEM receives oem.contract.created with valid signatures; the MO gets sent.to.oem', async () => {
      const oemReceiver = await receiver();
      const moReceiver = await receiver();
      const oem = await eco().token('OEM', 'WC1');
      const mo = await eco().token('MO', 'DE-CC1');
      const oemEndpoint = await createEndpoint(eco(), oem, {
        url: `${oemReceiver.url}/oem`,
        enabledEvents: ['oem.contract.created'],
      });
      const moEndpoint = await createEndpoint(
        eco(),
        mo,
        { url: `${moReceiver.url}/mo`, enabledEvents: ['emsp.contract.created.sent.to.oem'] },
        '/opnc/v1/event/endpoints',
      );
      const raised = await raise(eco(), contractEvent('oem.contract.created', 'WC1', 'DECC1'));
      assert.equal(raised.deliveries, 1);
      await eco().app.events.worker.runOnce();
      await oemReceiver.waitFor(1);
      assert.equal(oemReceiver.requests.length, 1);
      const r = oemReceiver.requests[0];
      assert.ok(r);
      assert.equal(r.path, '/oem');
      assert.match(String(r.headers['content-type']), /^application\/json/);
      const expected = hmac(oemEndpoint.secret, r.body);
      assert.equal(r.headers['payload-signature'], expected);
      assert.equal(r.headers['x-hubject-signature'], `sha256=${expected}`);
      assert.equal(r.headers['x-operator-signature'], expected);
      const seconds = String(Math.floor(eco().clock.now().getTime() / 1000));
      assert.equal(r.headers['x-pnc-timestamp'], seconds);
      assert.equal(
        r.headers['x-pnc-signature'],
        `t=${seconds},v1=${hmac(oemEndpoint.secret, `${seconds}.${r.body}`)}`,
      );
      assert.notEqual(hmac('another secret', r.body), expected);
      const body = JSON.parse(r.body) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), [
        'timestamp',
        'eventId',
        'eventType',
        'xsdMsgDefNamespace',
        'payload',
      ]);
      assert.equal(body.eventId, raised.eventId);
      assert.equal(r.headers['x-pnc-event-id'], raised.eventId);
      assert.equal(body.eventType, 'oem.contract.created');
      assert.equal(body.timestamp, eco().clock.now().toISOString());
      assert.equal(body.xsdMsgDefNamespace, 'urn:iso:15118:2:2013:MsgDef');
      assert.deepEqual(body.payload, {
        emaid: emaidOf('DECC1'),
        pcid: pcidOf('WC1'),
        contractCert: 'MIIBszCCAVmgAwIBAgIBAQ==',
      });

      await moReceiver.waitFor(1);
      const m = JSON.parse(moReceiver.requests[0]?.body ?? '{}') as Record<string, unknown>;
      assert.equal(m.eventType, 'emsp.contract.created.sent.to.oem');
      assert.equal(
        moReceiver.requests[0]?.headers['payload-signature'],
        hmac(moEndpoint.secret, moReceiver.requests[0]?.body ?? ''),
      );
      assert.deepEqual((m.payload as { emaid: string }).emaid, emaidOf('DECC1'));
      const derived = await findEvent(eco().app.db, m.eventId as string);
      assert.equal(derived?.causeEventId, raised.eventId);
    });

    test('500, 500, 200: exactly one more delivery after each failure, one hour apart', async () => {
      const oemReceiver = await receiver();
      const moReceiver = await receiver();
      oemReceiver.script([500, 500, 200]);
      const oem = await eco().token('OEM', 'WC2');
      const mo = await eco().token('MO', 'DE-CC2');
      await createEndpoint(eco(), oem, { url: oemReceiver.url, enabledEvents: ['oem.contract.updated'] });
      await createEndpoint(eco(), mo, {
        url: moReceiver.url,
        enabledEvents: [
          'mo.contract.queued.to.oem',
          'mo.contract.updated.sent.to.oem',
          'mo.contract.rejected.by.oem',
        ],
      });
      const raised = await raise(eco(), contractEvent('oem.contract.updated', 'WC2', 'DECC2'));
      const worker = eco().app.events.worker;
      await worker.runOnce();
      assert.equal(oemReceiver.requests.length, 1);
      // Not due yet: nothing more, however often the worker runs.
      eco().clock.advance(HOUR_MS - 1000);
      await worker.runOnce();
      assert.equal(oemReceiver.requests.length, 1);
      eco().clock.advance(1000);
      await worker.runOnce();
      assert.equal(oemReceiver.requests.length, 2);
      eco().clock.advance(HOUR_MS);
      await worker.runOnce();
      assert.equal(oemReceiver.requests.length, 3);
      eco().clock.advance(3 * HOUR_MS);
      await worker.runOnce();
      assert.equal(oemReceiver.requests.length, 3);
      const bodies = new Set(oemReceiver.requests.map((r) => r.body));
      assert.equal(bodies.size, 1, 'every attempt sends the same body (same eventId)');
      assert.deepEqual(
        oemReceiver.requests.map((r) => r.headers['x-pnc-attempt']),
        ['1', '2', '3'],
      );
      const [delivery] = await listDeliveries(eco().app.db, { eventId: raised.eventId });
      assert.equal(delivery?.status, 'delivered');
      const attempts = await listAttempts(eco().app.db, delivery?.id ?? 0);
      assert.deepEqual(
        attempts.map((a) => [a.httpStatus, a.outcome]),
        [
          [500, 'retry'],
          [500, 'retry'],
          [200, 'delivered'],
        ],
      );
      await moReceiver.waitFor(2);
      assert.deepEqual(
        moReceiver.requests.map((r) => (JSON.parse(r.body) as { eventType: string }).eventType),
        ['mo.contract.queued.to.oem', 'mo.contract.updated.sent.to.oem'],
      );
    });

    test('400: no retry, and the MO gets mo.contract.rejected.by.oem', async () => {
      const oemReceiver = await receiver();
      const moReceiver = await receiver();
      oemReceiver.script([400]);
      const oem = await eco().token('OEM', 'WC3');
      const mo = await eco().token('MO', 'DE-CC3');
      await createEndpoint(eco(), oem, { url: oemReceiver.url, enabledEvents: ['oem.contract.deleted'] });
      await createEndpoint(eco(), mo, {
        url: moReceiver.url,
        enabledEvents: ['mo.contract.rejected.by.oem', 'mo.contract.queued.to.oem'],
      });
      const raised = await raise(eco(), contractEvent('oem.contract.deleted', 'WC3', 'DECC3'));
      await eco().app.events.worker.runOnce();
      eco().clock.advance(5 * HOUR_MS);
      await eco().app.events.worker.runOnce();
      assert.equal(oemReceiver.requests.length, 1);
      const [delivery] = await listDeliveries(eco().app.db, { eventId: raised.eventId });
      assert.equal(delivery?.status, 'rejected');
      assert.equal(delivery?.lastHttpStatus, 400);
      await moReceiver.waitFor(1);
      assert.equal(moReceiver.requests.length, 1);
      const body = JSON.parse(moReceiver.requests[0]?.body ?? '{}') as {
        eventType: string;
        payload: { pcid: string };
      };
      assert.equal(body.eventType, 'mo.contract.rejected.by.oem');
      assert.equal(body.payload.pcid, pcidOf('WC3'));
    });

    test('409 is final too; retries exhausted after 5xx end as failed and rejected.by.oem', async () => {
      const conflict = await receiver();
      conflict.script([409]);
      const down = await receiver();
      down.script([], 503);
      const moReceiver = await receiver();
      const oem = await eco().token('OEM', 'WC4,WC5');
      const mo = await eco().token('MO', 'DE-CC4');
      await createEndpoint(eco(), oem, {
        url: conflict.url,
        enabledEvents: ['oem.contract.created'],
        wmis: ['WC4'],
      });
      await createEndpoint(eco(), oem, {
        url: down.url,
        enabledEvents: ['oem.contract.created'],
        wmis: ['WC5'],
      });
      await createEndpoint(eco(), mo, {
        url: moReceiver.url,
        enabledEvents: ['mo.contract.rejected.by.oem'],
      });
      const a = await raise(eco(), contractEvent('oem.contract.created', 'WC4', 'DECC4'));
      const b = await raise(eco(), contractEvent('oem.contract.created', 'WC5', 'DECC4'));
      for (let i = 0; i < 6; i++) {
        await eco().app.events.worker.runOnce();
        eco().clock.advance(HOUR_MS);
      }
      assert.equal(conflict.requests.length, 1);
      assert.equal(down.requests.length, 4, 'the first attempt and 3 retries');
      const [da] = await listDeliveries(eco().app.db, { eventId: a.eventId });
      const [db] = await listDeliveries(eco().app.db, { eventId: b.eventId });
      assert.equal(da?.status, 'rejected');
      assert.equal(db?.status, 'failed');
      await moReceiver.waitFor(2);
      assert.equal(moReceiver.requests.length, 2);
    });

    test('tenant isolation: no partner receives another tenant’s vehicle or contract events', async () => {
      const mine = await receiver();
      const otherOem = await receiver();
      const otherMo = await receiver();
      const admin = await receiver();
      const cpo = await receiver();
      const oemA = await eco().token('OEM', 'WD1');
      const oemB = await eco().token('OEM', 'WD2');
      const moB = await eco().token('MO', 'DE-DD2');
      const adminToken = await eco().token('ADMIN');
      const cpoToken = await eco().token('CPO', 'DE*DD3');
      const all = ['oem.contract.created', 'root.cert.added'];
      await createEndpoint(eco(), oemA, { url: mine.url, enabledEvents: all });
      await createEndpoint(eco(), oemB, { url: otherOem.url, enabledEvents: all });
      await createEndpoint(eco(), moB, {
        url: otherMo.url,
        enabledEvents: ['root.cert.added', 'mo.contract.created.sent.to.oem', 'mo.prov.cert.deleted'],
      });
      await createEndpoint(eco(), adminToken, {
        url: admin.url,
        enabledEvents: ['oem.contract.created'],
        wmis: ['WD1'],
      });
      await createEndpoint(eco(), cpoToken, { url: cpo.url, enabledEvents: ['root.cert.added'] });
      await raise(eco(), contractEvent('oem.contract.created', 'WD1', 'DEDD1'));
      await raise(eco(), contractEvent('mo.prov.cert.deleted', 'WD1', 'DEDD1'));
      await raise(eco(), contractEvent('oem.contract.created', 'WD9', 'DEDD9'));
      await eco().app.events.worker.runOnce();
      const types = (r: TestReceiver) =>
        r.requests.map((q) => (JSON.parse(q.body) as { eventType: string }).eventType);
      assert.deepEqual(types(mine), ['oem.contract.created']);
      assert.deepEqual(types(otherOem), []);
      assert.deepEqual(types(otherMo), []);
      assert.deepEqual(types(admin), ['oem.contract.created']);
      assert.deepEqual(types(cpo), []);
      // Root events go to every subscriber.
      await raise(eco(), {
        type: 'root.cert.added',
        iso: 20,
        root: {
          rootCertificateId: 'b1b86334-7c74-4ccc-b78d-d4f773d3b559',
          distinguishedName: 'CN=V2G Root CA G2, DC=V2G, O=Hubject GmbH, C=DE',
          commonName: 'V2G Root CA G2',
          rootType: 'V2G',
          rootSerialNumber: 'BBBBBC1AC45AD2DFE5B1D873C35C84',
          signatureAlgorithm: 'secp521r1',
          fingerprintSHA256:
            'A7:6A:E4:C5:D0:0E:06:A9:67:55:45:11:86:5B:FA:89:E7:95:90:E8:A6:1B:5A:71:F9:CE:22:E0:39:D6:C3:70',
        },
      });
      await eco().app.events.worker.runOnce();
      for (const r of [mine, otherOem, otherMo, cpo]) {
        const last = JSON.parse(r.requests.at(-1)?.body ?? '{}') as {
          eventType: string;
          xsdMsgDefNamespace: string;
          payload: Record<string, unknown>;
        };
        assert.equal(last.eventType, 'root.cert.added');
        assert.equal(last.xsdMsgDefNamespace, 'urn:iso:15118:20:2022:MsgDef');
        assert.equal(
          last.payload.fingerprintSHA256,
          'a76ae4c5d00e06a967554511865bfa89e79590e8a61b5a71f9ce22e039d6c370',
        );
        assert.equal(last.payload.rootSerialNumber, 'bbbbbc1ac45ad2dfe5b1d873c35c84');
      }
      assert.equal(admin.requests.length, 1);
    });

    test('an event raised in a rolled-back transaction is never delivered', async () => {
      const r = await receiver();
      const oem = await eco().token('OEM', 'WE1');
      await createEndpoint(eco(), oem, { url: r.url, enabledEvents: ['oem.contract.created'] });
      await assert.rejects(
        eco().app.db.transaction(async (tx) => {
          await eco().app.events.sink.raise(tx, contractEvent('oem.contract.created', 'WE1', 'DEEE1'));
          throw new Error('the change fails');
        }),
        /the change fails/,
      );
      await eco().app.events.worker.runOnce();
      assert.equal(r.requests.length, 0);
      await assert.rejects(
        raise(eco(), {
          ...contractEvent('oem.contract.created', 'WE1', 'DEEE1'),
          pcid: 'short',
        } as PoolEvent),
        /pcid/,
      );
      await assert.rejects(
        raise(eco(), contractEvent('mo.contract.rejected.by.oem' as PoolEvent['type'], 'WE1', 'DEEE1')),
        /delivery worker/,
      );
    });

    test('deleting an endpoint cancels its pending deliveries; disabled endpoints get no new events', async () => {
      const r = await receiver();
      r.script([503]);
      const oem = await eco().token('OEM', 'WE2');
      const created = await createEndpoint(eco(), oem, {
        url: r.url,
        enabledEvents: ['oem.contract.created'],
      });
      const raised = await raise(eco(), contractEvent('oem.contract.created', 'WE2', 'DEEE2'));
      await eco().app.events.worker.runOnce();
      assert.equal(r.requests.length, 1);
      await eco().fetch(`/v1/webhook/endpoints/${created.id}`, { method: 'DELETE', token: oem });
      eco().clock.advance(HOUR_MS);
      await eco().app.events.worker.runOnce();
      assert.equal(r.requests.length, 1);
      const [delivery] = await listDeliveries(eco().app.db, { eventId: raised.eventId });
      assert.equal(delivery?.status, 'cancelled');

      const disabled = await createEndpoint(eco(), oem, {
        url: r.url,
        enabledEvents: ['oem.contract.created'],
        status: 'disabled',
      });
      const none = await raise(eco(), contractEvent('oem.contract.created', 'WE2', 'DEEE2'));
      assert.equal(none.deliveries, 0);
      assert.equal(disabled.status, 'disabled');
    });
  },
  { iso: [], env: { PNC_WEBHOOK_ALLOW_HTTP: '1', PNC_WEBHOOK_ALLOW_PRIVATE: '1' } },
);
