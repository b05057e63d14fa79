// The vehicle's identity: OEM provisioning key and certificate chain (leaf first, then the OEM sub-CAs),
// the V2G roots it trusts, its PCID and EVCCID. Persisted in a directory as files:
//
//   <dir>/vehicle.json              { pcid, evccId (hex, 6 bytes) }
//   <dir>/provisioning-key.pem      PKCS#8, mode 0600
//   <dir>/provisioning-chain.pem    leaf first
//   <dir>/v2g-roots.pem             the installed V2G roots
//   <dir>/vehicle-tls-key.pem       optional, mode 0600: ISO 15118-20 vehicle certificate key (mutual TLS)
//   <dir>/vehicle-tls-chain.pem     optional: the vehicle certificate first, then its sub-CAs
//
// ISO 15118-20 needs a P-521 or Ed448 provisioning key (key transport SECP521 / X448, D-141) and
// presents the vehicle certificate as TLS client certificate; without one the OEM provisioning
// certificate is presented (D-165).
// Keys never leave the directory except as KeyObjects in memory.

import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appError } from '../../errors/catalogue.ts';
import { splitCertificates, toPem } from '../../pki/path/index.ts';
import { parsePcid } from '../../pki/profiles/identifiers.ts';

export interface VehicleIdentity {
  readonly pcid: string;
  /** EVCCID: the MAC address of the EVCC, 6 bytes. */
  readonly evccId: Uint8Array;
  readonly provisioningKey: KeyObject;
  /** OEM provisioning certificate first, then its sub-CAs. */
  readonly provisioningChain: readonly Uint8Array[];
  readonly v2gRoots: readonly Uint8Array[];
  /** ISO 15118-20 mutual TLS: the vehicle certificate's key and chain (leaf first). */
  readonly tls?: { readonly key: KeyObject; readonly chain: readonly Uint8Array[] };
}

const FILES = {
  meta: 'vehicle.json',
  key: 'provisioning-key.pem',
  chain: 'provisioning-chain.pem',
  roots: 'v2g-roots.pem',
  tlsKey: 'vehicle-tls-key.pem',
  tlsChain: 'vehicle-tls-chain.pem',
} as const;

/** Checks the parts fit together: key ↔ leaf, P-256 for ISO 15118-2, PCID = leaf CN. */
export function checkIdentity(identity: VehicleIdentity): void {
  const leafDer = identity.provisioningChain[0];
  if (!leafDer) throw appError('ev.identity', 'the provisioning chain is empty');
  if (identity.v2gRoots.length === 0) throw appError('ev.identity', 'no V2G roots installed');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(leafDer);
  } catch (e) {
    throw appError('ev.identity', 'the OEM provisioning certificate cannot be parsed', { cause: e });
  }
  if (!leaf.checkPrivateKey(identity.provisioningKey))
    throw appError('ev.identity', 'the provisioning key does not belong to the OEM provisioning certificate');
  if (identity.evccId.length !== 6)
    throw appError('ev.identity', 'the EVCCID must be 6 bytes (a MAC address)');
  const cn = /^CN=(.*)$/m.exec(leaf.subject)?.[1];
  if (cn !== identity.pcid)
    throw appError('ev.identity', `the PCID ${identity.pcid} is not the certificate's CN (${String(cn)})`);
  if (identity.tls) {
    let tlsLeaf: X509Certificate;
    try {
      tlsLeaf = new X509Certificate(identity.tls.chain[0] ?? new Uint8Array(0));
    } catch (e) {
      throw appError('ev.identity', 'the vehicle TLS certificate cannot be parsed', { cause: e });
    }
    if (!tlsLeaf.checkPrivateKey(identity.tls.key))
      throw appError('ev.identity', 'the vehicle TLS key does not belong to the vehicle TLS certificate');
  }
}

export function saveIdentity(dir: string, identity: VehicleIdentity): void {
  checkIdentity(identity);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(dir, FILES.meta),
    `${JSON.stringify({ pcid: identity.pcid, evccId: Buffer.from(identity.evccId).toString('hex') }, null, 2)}\n`,
  );
  const keyPath = join(dir, FILES.key);
  writeFileSync(keyPath, identity.provisioningKey.export({ format: 'pem', type: 'pkcs8' }) as string, {
    mode: 0o600,
  });
  chmodSync(keyPath, 0o600);
  writeFileSync(join(dir, FILES.chain), identity.provisioningChain.map((c) => toPem(c)).join(''));
  writeFileSync(join(dir, FILES.roots), identity.v2gRoots.map((c) => toPem(c)).join(''));
  if (identity.tls) {
    const tlsKeyPath = join(dir, FILES.tlsKey);
    writeFileSync(tlsKeyPath, identity.tls.key.export({ format: 'pem', type: 'pkcs8' }) as string, {
      mode: 0o600,
    });
    chmodSync(tlsKeyPath, 0o600);
    writeFileSync(join(dir, FILES.tlsChain), identity.tls.chain.map((c) => toPem(c)).join(''));
  }
}

export function hasIdentity(dir: string): boolean {
  return existsSync(join(dir, FILES.meta));
}

export function readCertificates(path: string, what: string): Uint8Array[] {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw appError('ev.identity', `cannot read ${what} (${path})`, { cause: e });
  }
  const split = splitCertificates(bytes);
  if (!split.ok || split.certificates.length === 0)
    throw appError('ev.identity', `${what} (${path}) holds no PEM or DER certificate`);
  return [...split.certificates];
}

export function readPrivateKey(path: string, what: string): KeyObject {
  try {
    return createPrivateKey(readFileSync(path));
  } catch (e) {
    throw appError('ev.identity', `cannot read ${what} (${path})`, { cause: e });
  }
}

export function loadIdentity(dir: string): VehicleIdentity {
  if (!hasIdentity(dir))
    throw appError('ev.identity', `no vehicle identity in ${dir}; run \`pnc ev provision\` first`);
  let meta: { pcid?: unknown; evccId?: unknown };
  try {
    meta = JSON.parse(readFileSync(join(dir, FILES.meta), 'utf8')) as typeof meta;
  } catch (e) {
    throw appError('ev.identity', `${FILES.meta} is not JSON`, { cause: e });
  }
  if (
    typeof meta.pcid !== 'string' ||
    typeof meta.evccId !== 'string' ||
    !/^[0-9a-fA-F]{12}$/.test(meta.evccId)
  )
    throw appError('ev.identity', `${FILES.meta} needs pcid and a 12-hex-digit evccId`);
  const identity: VehicleIdentity = {
    pcid: meta.pcid,
    evccId: new Uint8Array(Buffer.from(meta.evccId, 'hex')),
    provisioningKey: readPrivateKey(join(dir, FILES.key), 'the provisioning key'),
    provisioningChain: readCertificates(join(dir, FILES.chain), 'the provisioning chain'),
    v2gRoots: readCertificates(join(dir, FILES.roots), 'the V2G roots'),
    ...(existsSync(join(dir, FILES.tlsKey))
      ? {
          tls: {
            key: readPrivateKey(join(dir, FILES.tlsKey), 'the vehicle TLS key'),
            chain: readCertificates(join(dir, FILES.tlsChain), 'the vehicle TLS chain'),
          },
        }
      : {}),
  };
  checkIdentity(identity);
  return identity;
}

export function pcidOk(pcid: string): boolean {
  return parsePcid(pcid).ok;
}
