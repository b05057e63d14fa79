// The vehicle's contracts: several installed contracts, one active (used for PaymentDetails and
// Authorization). Files in a directory:
//
//   <dir>/contracts/<EMAID>/contract.json          { emaid, installedAt, notAfter, subject }
//   <dir>/contracts/<EMAID>/contract-key.pem       PKCS#8, mode 0600
//   <dir>/contracts/<EMAID>/contract-chain.pem     contract certificate first, then the MO sub-CAs
//   <dir>/active-contract                          the active EMAID
//
// Installing a contract whose EMAID is stored replaces it (a renewed contract). The first installed
// contract becomes active; a later one when the caller asks — `pnc ev charge` does, for the contract
// it has just installed, unless an EMAID was chosen; `pnc ev contracts use` switches (D-126).

import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appError } from '../../errors/catalogue.ts';
import { toPem } from '../../pki/path/index.ts';
import { parseEmaid } from '../../pki/profiles/identifiers.ts';
import { readCertificates } from './identity.ts';

export interface StoredContract {
  readonly emaid: string;
  readonly installedAt: Date;
  readonly notAfter: Date;
  readonly subject: string;
  readonly active: boolean;
}

export interface ContractMaterial {
  readonly emaid: string;
  readonly key: KeyObject;
  /** Contract certificate first, then the MO sub-CAs. */
  readonly chain: readonly Uint8Array[];
}

const ACTIVE = 'active-contract';

/** Directory-safe form of an EMAID: the OPCP normal form (no separators, upper case). */
export function emaidKey(emaid: string): string {
  const parsed = parseEmaid(emaid, { verifyCheckDigit: false });
  const key = parsed.ok ? parsed.value.normalized : emaid.toUpperCase();
  if (!/^[A-Z0-9]{1,32}$/.test(key)) throw appError('ev.no-contract', `'${emaid}' is not an EMAID`);
  return key;
}

export class ContractStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  #contractDir(emaid: string): string {
    return join(this.#dir, 'contracts', emaidKey(emaid));
  }

  install(
    material: ContractMaterial,
    installedAt: Date,
    options: { activate?: boolean } = {},
  ): StoredContract {
    const leaf = new X509Certificate(material.chain[0]!);
    if (!leaf.checkPrivateKey(material.key))
      throw appError('ev.install-rejected', 'the contract key does not belong to the contract certificate');
    const dir = this.#contractDir(material.emaid);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keyPath = join(dir, 'contract-key.pem');
    writeFileSync(keyPath, material.key.export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600 });
    chmodSync(keyPath, 0o600);
    writeFileSync(join(dir, 'contract-chain.pem'), material.chain.map((c) => toPem(c)).join(''));
    writeFileSync(
      join(dir, 'contract.json'),
      `${JSON.stringify(
        {
          emaid: material.emaid,
          installedAt: installedAt.toISOString(),
          notAfter: new Date(leaf.validTo).toISOString(),
          subject: leaf.subject.replace(/\n/g, ', '),
        },
        null,
        2,
      )}\n`,
    );
    if (options.activate || this.activeEmaid() === undefined) this.use(material.emaid);
    return this.list().find((c) => emaidKey(c.emaid) === emaidKey(material.emaid))!;
  }

  list(): StoredContract[] {
    const root = join(this.#dir, 'contracts');
    if (!existsSync(root)) return [];
    const active = this.activeEmaid();
    const out: StoredContract[] = [];
    for (const name of readdirSync(root).sort()) {
      const metaPath = join(root, name, 'contract.json');
      if (!existsSync(metaPath)) continue;
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as {
        emaid: string;
        installedAt: string;
        notAfter: string;
        subject: string;
      };
      out.push({
        emaid: meta.emaid,
        installedAt: new Date(meta.installedAt),
        notAfter: new Date(meta.notAfter),
        subject: meta.subject,
        active: active !== undefined && emaidKey(meta.emaid) === emaidKey(active),
      });
    }
    return out;
  }

  activeEmaid(): string | undefined {
    const path = join(this.#dir, ACTIVE);
    if (!existsSync(path)) return undefined;
    const value = readFileSync(path, 'utf8').trim();
    return value === '' ? undefined : value;
  }

  /** Makes a stored contract the active one. */
  use(emaid: string): void {
    const metaPath = join(this.#contractDir(emaid), 'contract.json');
    if (!existsSync(metaPath)) throw appError('ev.no-contract', `no contract ${emaid} is installed`);
    const stored = (JSON.parse(readFileSync(metaPath, 'utf8')) as { emaid: string }).emaid;
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(this.#dir, ACTIVE), `${stored}\n`);
  }

  remove(emaid: string): void {
    const dir = this.#contractDir(emaid);
    if (!existsSync(dir)) throw appError('ev.no-contract', `no contract ${emaid} is installed`);
    rmSync(dir, { recursive: true, force: true });
    const active = this.activeEmaid();
    if (active !== undefined && emaidKey(active) === emaidKey(emaid))
      rmSync(join(this.#dir, ACTIVE), { force: true });
  }

  /** Key and chain of a contract (default: the active one). */
  load(emaid?: string): ContractMaterial {
    const chosen = emaid ?? this.activeEmaid();
    if (chosen === undefined)
      throw appError('ev.no-contract', 'no active contract; install one or `pnc ev contracts use`');
    const dir = this.#contractDir(chosen);
    if (!existsSync(join(dir, 'contract.json')))
      throw appError('ev.no-contract', `no contract ${chosen} is installed`);
    const meta = JSON.parse(readFileSync(join(dir, 'contract.json'), 'utf8')) as { emaid: string };
    let key: KeyObject;
    try {
      key = createPrivateKey(readFileSync(join(dir, 'contract-key.pem')));
    } catch (e) {
      throw appError('ev.identity', `the key of contract ${chosen} cannot be read`, { cause: e });
    }
    return {
      emaid: meta.emaid,
      key,
      chain: readCertificates(join(dir, 'contract-chain.pem'), 'the contract chain'),
    };
  }
}
