// D-177: webhook deliveries reach public addresses only, unless PNC_WEBHOOK_ALLOW_PRIVATE. The
// address ranges against a plain reference, names checked on what they resolve to, IP literals before
// the request, and the real worker refusing a receiver on loopback (which then gets nothing).

import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { cryptoRandom } from '../app/runtime.ts';
import { ipLiteralOf, isPublicAddress, publicOnlyLookup } from './address-policy.ts';
import { validateUrl } from './endpoints.ts';
import { EventOutbox } from './outbox.ts';
import { startReceiver, type TestReceiver } from './testing/receiver.ts';
import { DeliveryWorker } from './worker.ts';

let receiver: TestReceiver;
before(async () => {
  receiver = await startReceiver();
});
after(() => receiver.close());

/** The reference for IPv4: the special-purpose ranges written out octet by octet. */
function referenceV4Public([a, b, c]: readonly number[]): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 100 && b! >= 64 && b! <= 127) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b! >= 16 && b! <= 31) return false;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false;
  if (a === 192 && b === 88 && c === 99) return false;
  if (a === 192 && b === 168) return false;
  if (a === 198 && (b === 18 || b === 19)) return false;
  if (a === 198 && b === 51 && c === 100) return false;
  if (a === 203 && b === 0 && c === 113) return false;
  return true;
}

test('IPv4: every address agrees with the reference (property); IPv4-mapped and NAT64 forms too', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), (octets) => {
      const text = octets.join('.');
      const expected = referenceV4Public(octets);
      assert.equal(isPublicAddress(text), expected, text);
      assert.equal(isPublicAddress(`::ffff:${text}`), expected, `::ffff:${text}`);
      const hex = (octets[0]! * 256 + octets[1]!).toString(16);
      const low = (octets[2]! * 256 + octets[3]!).toString(16);
      assert.equal(isPublicAddress(`64:ff9b::${hex}:${low}`), expected, `64:ff9b::${hex}:${low}`);
    }),
    { numRuns: 2000 },
  );
  for (const blocked of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
  ]) {
    assert.equal(isPublicAddress(blocked), false, blocked);
  }
  for (const open of [
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '172.15.255.255',
    '100.128.0.1',
    '169.253.1.1',
    '193.0.0.1',
  ]) {
    assert.equal(isPublicAddress(open), true, open);
  }
});

test('IPv6: loopback, unspecified, unique local, link-local, site-local, multicast, documentation refused', () => {
  for (const blocked of [
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'fec0::1',
    'ff02::1',
    '2001:db8::1',
    '100::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '0:0:0:0:0:0:0:1',
  ]) {
    assert.equal(isPublicAddress(blocked), false, blocked);
  }
  for (const open of [
    '2001:4860:4860::8888',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '2a00:1450:4001:80b::200e',
  ]) {
    assert.equal(isPublicAddress(open), true, open);
  }
  for (const garbage of [
    '',
    'localhost',
    '1.2.3',
    '1.2.3.256',
    ':::1',
    '1::2::3',
    'g::1',
    '1:2:3:4:5:6:7:8:9',
    '[::1]',
  ]) {
    assert.equal(isPublicAddress(garbage), false, garbage);
  }
  assert.equal(ipLiteralOf('[::1]'), '::1');
  assert.equal(ipLiteralOf('127.0.0.1'), '127.0.0.1');
  assert.equal(ipLiteralOf('hooks.example'), undefined);
});

test('names: refused when they resolve to a non-public address (localhost), in both lookup forms', async () => {
  const single = await new Promise<{ error: NodeJS.ErrnoException | null }>((resolve) =>
    publicOnlyLookup('localhost', {}, (error) => resolve({ error })),
  );
  assert.equal(single.error?.code, 'EADDRNOTALLOWED');
  assert.match(single.error?.message ?? '', /localhost is resolved to .*PNC_WEBHOOK_ALLOW_PRIVATE=1/);
  const all = await new Promise<{ error: NodeJS.ErrnoException | null; addresses: unknown }>((resolve) =>
    publicOnlyLookup('localhost', { all: true }, (error, addresses) => resolve({ error, addresses })),
  );
  assert.equal(all.error?.code, 'EADDRNOTALLOWED');
  assert.deepEqual(all.addresses as LookupAddress[], []);
});

test('registration: private IP literals and localhost refused unless allowed', () => {
  for (const url of [
    'https://127.0.0.1/h',
    'https://[::1]:8443/h',
    'https://169.254.169.254/latest',
    'https://10.0.0.5/h',
    'https://localhost/h',
    'https://LOCALHOST./h',
  ]) {
    assert.throws(() => validateUrl(url, false, false), /public host .*PNC_WEBHOOK_ALLOW_PRIVATE=1/, url);
    assert.equal(validateUrl(url, false, true), new URL(url).href);
  }
  assert.equal(validateUrl('https://hooks.example/h', false, false), 'https://hooks.example/h');
  assert.equal(validateUrl('https://8.8.8.8/h', false, false), 'https://8.8.8.8/h');
});

function worker(allowPrivateNetworks: boolean): DeliveryWorker {
  return new DeliveryWorker({
    db: undefined as never, // post() touches neither the database nor the outbox
    clock: { now: () => new Date() },
    random: cryptoRandom,
    outbox: new EventOutbox({ clock: { now: () => new Date() }, random: cryptoRandom }),
    logger: { info: () => undefined, warn: () => undefined },
    options: {
      retries: 0,
      retryDelaySeconds: 1,
      timeoutMs: 2000,
      pollIntervalMs: 1000,
      allowPrivateNetworks,
    },
  });
}

test('the worker: a receiver on loopback gets nothing by default, and the delivery when allowed', async () => {
  const port = new URL(receiver.url).port;
  const before = receiver.requests.length;
  const closed = worker(false);
  for (const url of [
    `${receiver.url}/ssrf`,
    `http://localhost:${port}/ssrf`,
    `http://[::ffff:127.0.0.1]:${port}/ssrf`,
  ]) {
    const result = await closed.post(url, '{}', { 'content-type': 'application/json' });
    assert.equal(result.status, undefined, url);
    assert.match(result.error ?? '', /private, local or reserved address/, url);
  }
  assert.equal(receiver.requests.length, before, 'nothing reached the receiver');
  const open = worker(true);
  const delivered = await open.post(`${receiver.url}/allowed`, '{}', { 'content-type': 'application/json' });
  assert.equal(delivered.status, 200);
  assert.equal(receiver.requests.length, before + 1);
  await closed.stop();
  await open.stop();
});
