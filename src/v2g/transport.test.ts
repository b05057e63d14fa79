// TLS profiles of the V2G link on loopback with certificates of the real CA: ISO 15118-2 accepts only
// TLS 1.2 with ECDHE-ECDSA-AES128-SHA256 and a SECC chain leading to the client's V2G roots; ISO
// 15118-20 only TLS 1.3 with a vehicle certificate (mutual authentication).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tls from 'node:tls';
import { isAppError } from '../errors/app-error.ts';
import { toPem } from '../pki/path/index.ts';
import { createV2gTestPki, type KeyAndChain, type V2gTestPki } from './testing/demo-pki.ts';
import { connectEvcc, type SeccServer, startSeccServer } from './transport.ts';
import { PAYLOAD_TYPE } from './v2gtp.ts';

const code = (c: string) => (e: unknown) => isAppError(e) && e.code === c;

/** A raw node:tls client with chosen versions / ciphers: resolves with the protocol or rejects. */
function rawClient(port: number, options: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options });
    socket.once('secureConnect', () => {
      const protocol = socket.getProtocol() ?? '';
      socket.destroy();
      resolve(protocol);
    });
    socket.once('error', reject);
  });
}

/** Echo server: answers each V2GTP message with the same payload. */
async function echoServer(pki: V2gTestPki, extra: Partial<Parameters<typeof startSeccServer>[0]> = {}) {
  const tlsErrors: Error[] = [];
  const clientChains: (readonly Uint8Array[])[] = [];
  const server = await startSeccServer(
    {
      profile: pki.iso === 2 ? 'iso-2' : 'iso-20',
      identity: { key: pki.secc.key, chain: pki.secc.chain },
      onTlsError: (e) => tlsErrors.push(e),
      ...extra,
    },
    (connection, info) => {
      clientChains.push(info.clientChain);
      void (async () => {
        try {
          for (;;) {
            const m = await connection.receive(10_000);
            await connection.send(m.payloadType, m.payload);
          }
        } catch {
          connection.close();
        }
      })();
    },
  );
  return { server, tlsErrors, clientChains };
}

describe('ISO 15118-2 TLS profile', () => {
  let pki: V2gTestPki;
  let server: SeccServer;
  let tlsErrors: Error[];
  before(async () => {
    pki = await createV2gTestPki({ iso: 2 });
    ({ server, tlsErrors } = await echoServer(pki));
  });
  after(async () => {
    await server?.close();
    await pki?.close();
  });

  test('TLS 1.2, ECDHE-ECDSA-AES128-SHA256, chain to the V2G root; V2GTP round trip', async () => {
    const link = await connectEvcc({
      profile: 'iso-2',
      host: server.host,
      port: server.port,
      roots: [pki.root],
      at: pki.clock.now(),
    });
    assert.equal(link.protocol, 'TLSv1.2');
    assert.equal(link.socket.getCipher().name, 'ECDHE-ECDSA-AES128-SHA256');
    await link.connection.send(PAYLOAD_TYPE.exi, Uint8Array.of(0x80, 0x00, 0x01));
    const echo = await link.connection.receive(10_000);
    assert.deepEqual([...echo.payload], [0x80, 0x00, 0x01]);
    link.connection.close();
  });

  test('TLS 1.3, TLS 1.1 and other TLS 1.2 suites are refused by the SECC', async () => {
    const before = tlsErrors.length;
    await assert.rejects(rawClient(server.port, { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' }));
    await assert.rejects(
      rawClient(server.port, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
    );
    await assert.rejects(
      rawClient(server.port, {
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256',
      }),
    );
    // The same client with the ISO suite gets through: the refusals above are about version and suite.
    assert.equal(
      await rawClient(server.port, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA256' }),
      'TLSv1.2',
    );
    assert.ok(tlsErrors.length >= before + 3, 'the SECC saw the failed handshakes');
  });

  test('wrong V2G roots: refused; a SECC chain that is not a SECC leaf: refused by the ISO path check', async () => {
    const other = await createV2gTestPki({ iso: 2 });
    try {
      await assert.rejects(
        connectEvcc({
          profile: 'iso-2',
          host: server.host,
          port: server.port,
          roots: [other.root],
          at: pki.clock.now(),
        }),
        code('v2g.tls'),
      );
      // A server presenting a contract certificate (valid chain to the same root, wrong role).
      const contract = await pki.issueLeaf('mo-sub2', 'contract-leaf', 'DEPNCC000000991');
      const wrong = await echoServer(pki, { identity: { key: contract.key, chain: contract.chain } });
      try {
        await assert.rejects(
          connectEvcc({
            profile: 'iso-2',
            host: '127.0.0.1',
            port: wrong.server.port,
            roots: [pki.root],
            at: pki.clock.now(),
          }),
          (e: unknown) =>
            isAppError(e) && e.code === 'v2g.tls' && /path\.(profile|wrong-root)/.test(e.message),
        );
      } finally {
        await wrong.server.close();
      }
    } finally {
      await other.close();
    }
  });

  test('key log: the same NSS lines from both ends when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pnc-keylog-'));
    try {
      const serverLog = join(dir, 'server.log');
      const clientLog = join(dir, 'client.log');
      const logged = await echoServer(pki, { keyLogPath: serverLog });
      try {
        const link = await connectEvcc({
          profile: 'iso-2',
          host: '127.0.0.1',
          port: logged.server.port,
          roots: [pki.root],
          at: pki.clock.now(),
          keyLogPath: clientLog,
        });
        await link.connection.send(PAYLOAD_TYPE.exi, Uint8Array.of(0x80));
        await link.connection.receive(10_000);
        link.connection.close();
        const c = readFileSync(clientLog, 'utf8');
        const s = readFileSync(serverLog, 'utf8');
        assert.match(c, /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n/);
        assert.equal(c, s, 'both ends log the same master secret');
      } finally {
        await logged.server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('configuration errors: key not matching the leaf, a P-521 key for -2, no roots', async () => {
    const other = await pki.issueLeaf('cpo-sub2', 'secc-leaf', 'DE*PNC*E99999*1');
    await assert.rejects(
      startSeccServer(
        { profile: 'iso-2', identity: { key: other.key, chain: pki.secc.chain } },
        () => undefined,
      ),
      code('v2g.invalid-config'),
    );
    await assert.rejects(
      connectEvcc({ profile: 'iso-2', host: '127.0.0.1', port: server.port, roots: [], at: pki.clock.now() }),
      code('v2g.invalid-config'),
    );
    await assert.rejects(
      startSeccServer(
        { profile: 'iso-20' as 'iso-2', identity: { key: pki.secc.key, chain: pki.secc.chain } },
        () => undefined,
      ),
      code('v2g.invalid-config'),
      'a P-256 key does not serve the -20 profile',
    );
  });
});

describe('ISO 15118-20 TLS profile (TLS 1.3, mutual authentication)', () => {
  let pki: V2gTestPki;
  let server: SeccServer;
  let clientChains: (readonly Uint8Array[])[];
  let vehicleCert: KeyAndChain;
  before(async () => {
    pki = await createV2gTestPki({ iso: 20 });
    vehicleCert = await pki.issueLeaf('vehicle-sub2', 'vehicle-leaf', 'WP0ZZZ99ZTS392124');
    ({ server, clientChains } = await echoServer(pki, { clientRoots: [pki.root] }));
  });
  after(async () => {
    await server?.close();
    await pki?.close();
  });

  test('TLS 1.3 with the vehicle certificate; the SECC sees the vehicle chain', async () => {
    const link = await connectEvcc({
      profile: 'iso-20',
      host: server.host,
      port: server.port,
      roots: [pki.root],
      identity: { key: vehicleCert.key, chain: vehicleCert.chain },
      at: pki.clock.now(),
    });
    assert.equal(link.protocol, 'TLSv1.3');
    assert.equal(link.cipher, 'TLS_AES_256_GCM_SHA384');
    await link.connection.send(PAYLOAD_TYPE.iso20Common, Uint8Array.of(0x80, 0x8c));
    const echo = await link.connection.receive(10_000);
    assert.equal(echo.payloadType, PAYLOAD_TYPE.iso20Common);
    assert.deepEqual(clientChains.at(-1)?.[0], vehicleCert.chain[0], 'the vehicle leaf as the SECC saw it');
    link.connection.close();
  });

  test('no client certificate, a foreign client certificate, or TLS 1.2: refused', async () => {
    // Without a certificate: TLS 1.3 reports the refusal after the handshake, on the first read.
    const noCert = await new Promise<string>((resolve) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        port: server.port,
        ca: toPem(pki.root),
        checkServerIdentity: () => undefined,
        minVersion: 'TLSv1.3',
      });
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      socket.once('data', () => resolve('data'));
      socket.once('close', () => resolve('closed'));
    });
    assert.notEqual(noCert, 'data');
    const other = await createV2gTestPki({ iso: 20 });
    try {
      const foreign = await other.issueLeaf('vehicle-sub2', 'vehicle-leaf', 'WP0ZZZ99ZTS392125');
      const refused = await new Promise<string>((resolve) => {
        const socket = tls.connect({
          host: '127.0.0.1',
          port: server.port,
          ca: toPem(pki.root),
          checkServerIdentity: () => undefined,
          key: foreign.key.export({ format: 'pem', type: 'pkcs8' }),
          cert: foreign.chain.map((c) => toPem(c)).join(''),
        });
        socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
        socket.once('data', () => resolve('data'));
        socket.once('close', () => resolve('closed'));
      });
      assert.notEqual(refused, 'data');
      assert.match(refused, /ALERT|closed|ECONNRESET/);
    } finally {
      await other.close();
    }
    await assert.rejects(rawClient(server.port, { maxVersion: 'TLSv1.2' }));
    await assert.rejects(
      connectEvcc({
        profile: 'iso-20',
        host: '127.0.0.1',
        port: server.port,
        roots: [pki.root],
        at: pki.clock.now(),
      }),
      code('v2g.invalid-config'),
    );
  });
});
