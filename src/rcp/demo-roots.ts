// publishDemoRoots: after the demo hierarchy exists (src/ca/demo-hierarchy.ts, `pnc pki init`, the
// HTTP test ecosystem), its V2G roots go into the pool, so the other pools trust what the demo PKI
// issues, and a CTL signer certificate is issued for the CTL (./ctl.ts). Idempotent like
// initDemoHierarchy: a root already in the pool and a usable CTL signer are reused.

import { createHash } from 'node:crypto';
import { demoPlan } from '../ca/demo-hierarchy.ts';
import type { CaView, CertificateView, IsoNumber } from '../ca/types.ts';
import { CTL_SIGNER_CN, type CtlCertificateSource, isCtlSigner } from './ctl-service.ts';
import type { RcpService } from './service.ts';

/** What publishDemoRoots needs from the CA (src/ca CertificateAuthorityService). */
export interface DemoRootsCa extends CtlCertificateSource {
  findCaByName(name: string): Promise<CaView | undefined>;
  issueWithGeneratedKey(request: {
    readonly caId: string;
    readonly role: 'cps-leaf';
    readonly subject: {
      readonly commonName: string;
      readonly organization?: string;
      readonly country?: string;
    };
    readonly actor?: string;
  }): Promise<CertificateView & { keyId: string }>;
}

export interface PublishDemoRootsOptions {
  readonly iso: readonly IsoNumber[];
  readonly actor: string;
  /** Subject O and C of the CTL signer (default: those of the demo hierarchy's pki init). */
  readonly organization?: string;
  readonly country?: string;
  readonly now: () => Date;
}

export interface PublishedRoot {
  readonly iso: IsoNumber;
  readonly action: 'added' | 'exists';
  readonly id: string;
  readonly fingerprintSha256: string;
  readonly subject: string;
}

export interface PublishedDemoRoots {
  readonly roots: readonly PublishedRoot[];
  /** The CTL signer certificate, or undefined when no Prov Sub-CA 2 exists. */
  readonly ctlSigner?: {
    readonly action: 'created' | 'exists';
    readonly id: string;
    readonly subject: string;
    readonly fingerprintSha256: string;
  };
}

function suffix(iso: IsoNumber): string {
  return `ISO15118-${iso}`;
}

/** Adds the demo V2G root of each edition to the pool and makes sure a CTL signer exists. */
export async function publishDemoRoots(
  rcp: Pick<RcpService, 'add' | 'findActiveByFingerprint'>,
  ca: DemoRootsCa,
  options: PublishDemoRootsOptions,
): Promise<PublishedDemoRoots> {
  const roots: PublishedRoot[] = [];
  for (const iso of options.iso) {
    const rootNode = demoPlan(iso).find((n) => n.key === 'root');
    const rootCa = rootNode === undefined ? undefined : await ca.findCaByName(rootNode.commonName);
    if (rootCa?.certificate == null || rootCa.status !== 'active') continue;
    const fingerprint = createHash('sha256').update(rootCa.certificate).digest('hex');
    const existing = await rcp.findActiveByFingerprint(fingerprint);
    if (existing !== undefined) {
      roots.push({
        iso,
        action: 'exists',
        id: existing.id,
        fingerprintSha256: fingerprint,
        subject: existing.subject,
      });
      continue;
    }
    const added = await rcp.add({ der: rootCa.certificate, rootType: 'V2G', actor: options.actor });
    roots.push({
      iso,
      action: 'added',
      id: added.root.id,
      fingerprintSha256: fingerprint,
      subject: added.root.subject,
    });
  }
  const ctlSigner = await ensureCtlSigner(ca, options);
  return ctlSigner === undefined ? { roots } : { roots, ctlSigner };
}

/** A CTL signer under the Prov Sub-CA 2 of the first edition (ISO 15118-2 preferred). */
async function ensureCtlSigner(
  ca: DemoRootsCa,
  options: PublishDemoRootsOptions,
): Promise<PublishedDemoRoots['ctlSigner']> {
  const editions = [...options.iso].sort((a, b) => a - b);
  for (const iso of editions) {
    const subNode = demoPlan(iso).find((n) => n.key === 'cps-sub2');
    const sub2 = subNode === undefined ? undefined : await ca.findCaByName(subNode.commonName);
    if (sub2 === undefined || sub2.status !== 'active' || sub2.keyId === null) continue;
    const now = options.now();
    const existing = (
      await ca.listCertificates({ issuerCaId: sub2.id, status: 'issued', leavesOnly: true })
    ).find((c) => isCtlSigner(c, now));
    const fingerprintOf = (c: CertificateView) =>
      createHash('sha256')
        .update(c.certificate ?? new Uint8Array(0))
        .digest('hex');
    if (existing !== undefined) {
      return {
        action: 'exists',
        id: existing.id,
        subject: existing.subject,
        fingerprintSha256: fingerprintOf(existing),
      };
    }
    const issued = await ca.issueWithGeneratedKey({
      caId: sub2.id,
      role: 'cps-leaf',
      subject: {
        commonName: `${CTL_SIGNER_CN} ${suffix(iso)}`,
        ...(options.organization === undefined ? {} : { organization: options.organization }),
        ...(options.country === undefined ? {} : { country: options.country }),
      },
      actor: options.actor,
    });
    return {
      action: 'created',
      id: issued.id,
      subject: issued.subject,
      fingerprintSha256: fingerprintOf(issued),
    };
  }
  return undefined;
}
