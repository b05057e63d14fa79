// Signs the current Certificate Trust List on request (GET /v1/root/ctl, `pnc root ctl`): the roots
// of the pool and its change count, read in one query so the sequence number and the list agree,
// signed by the CTL signer certificate of the CA (./ctl.ts for the format, ./demo-roots.ts for the
// signer). The opened signer key is kept (opening a software key costs a scrypt derivation).

import type { CertificateView } from '../ca/types.ts';
import { appError } from '../errors/catalogue.ts';
import type { KeyStore, Signer } from '../signer/types.ts';
import { buildCtlPayload, CTL_VALIDITY_MS, type CtlDocument, signCtl } from './ctl.ts';
import type { RcpRepository } from './repository.ts';

/** The CN prefix of CTL signer certificates (`CTL Signer ISO15118-2`). */
export const CTL_SIGNER_CN = 'CTL Signer';

/** What the CTL service needs from the CA (src/ca). */
export interface CtlCertificateSource {
  listCertificates(filter: {
    readonly status?: 'issued';
    readonly leavesOnly?: boolean;
    readonly issuerCaId?: string;
  }): Promise<CertificateView[]>;
  chain(reference: string): Promise<Uint8Array[]>;
}

export interface CtlServiceDeps {
  readonly roots: Pick<RcpRepository, 'list'>;
  readonly ca: CtlCertificateSource;
  readonly keyStore: Pick<KeyStore, 'open'>;
  readonly clock: { now(): Date };
}

/** Is this issued certificate a usable CTL signer at `now`? */
export function isCtlSigner(c: CertificateView, now: Date): boolean {
  return (
    c.status === 'issued' &&
    c.keyId !== null &&
    c.subject.startsWith(`CN=${CTL_SIGNER_CN} `) &&
    c.profileId.endsWith('/cps-leaf') &&
    c.notBefore.getTime() <= now.getTime() &&
    c.notAfter.getTime() > now.getTime()
  );
}

/** The CTL signers of the CA, preferred first: ISO 15118-2 (ES256, widest support), then latest notAfter. */
export async function ctlSigners(ca: CtlCertificateSource, now: Date): Promise<CertificateView[]> {
  const issued = await ca.listCertificates({ status: 'issued', leavesOnly: true });
  return issued
    .filter((c) => isCtlSigner(c, now))
    .sort((a, b) => {
      const a2 = a.profileId.startsWith('iso15118-2/') ? 0 : 1;
      const b2 = b.profileId.startsWith('iso15118-2/') ? 0 : 1;
      return a2 - b2 || b.notAfter.getTime() - a.notAfter.getTime();
    });
}

export class CtlService {
  readonly #deps: CtlServiceDeps;
  readonly #signers = new Map<string, Promise<Signer>>();

  constructor(deps: CtlServiceDeps) {
    if (deps?.roots === undefined || deps.ca === undefined || deps.keyStore === undefined)
      throw new TypeError('CtlService needs roots, a CA and a key store');
    if (typeof deps.clock?.now !== 'function') throw new TypeError('CtlService needs a clock');
    this.#deps = deps;
  }

  /** A freshly signed CTL of the current pool; 404 rcp.ctl-unavailable without a CTL signer. */
  async current(): Promise<CtlDocument> {
    const now = this.#deps.clock.now();
    const [signerCert] = await ctlSigners(this.#deps.ca, now);
    if (signerCert === undefined) {
      throw appError(
        'rcp.ctl-unavailable',
        'no CTL signer: create one with pnc pki init (it issues "CTL Signer" under the Prov Sub-CA 2)',
      );
    }
    const chain = await this.#deps.ca.chain(signerCert.id);
    // x5c without the root: the consumer holds it (RFC 7515 §4.1.6 allows a partial chain).
    const x5c = chain.length > 1 ? chain.slice(0, -1) : chain;
    const signer = await this.#open(signerCert.keyId as string);
    // Every row, deleted ones included: the change count is rows + deletions (./repository.ts).
    const all = await this.#deps.roots.list({ includeDeleted: true });
    const sequenceNumber = all.length + all.filter((r) => r.deletedAt !== null).length;
    const nextUpdate = new Date(Math.min(now.getTime() + CTL_VALIDITY_MS, signerCert.notAfter.getTime()));
    const payload = buildCtlPayload(all, { sequenceNumber, issuedAt: now, nextUpdate });
    return signCtl(payload, { signer, chain: x5c });
  }

  #open(keyId: string): Promise<Signer> {
    let pending = this.#signers.get(keyId);
    if (pending === undefined) {
      pending = this.#deps.keyStore.open(keyId);
      this.#signers.set(keyId, pending);
      pending.catch(() => this.#signers.delete(keyId));
    }
    return pending;
  }
}
