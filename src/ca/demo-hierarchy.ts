// The demo hierarchy of `pnc pki init` (issue 3 item 11: "V2G root, CPO/MO/OEM/CPS sub-CAs, CPS
// leaf"). One tree per ISO 15118 edition, all under the V2G root as Hubject runs its PKI (MO and OEM
// sub-CAs hosted by the V2G root, no MO / OEM root: pki-profiles.md §1.3, C7):
//
//   V2G Root CA
//   ├── CPO Sub-CA 1 ── CPO Sub-CA 2        (issues SECC leaves)
//   ├── MO Sub-CA 1 ── MO Sub-CA 2          (issues contract certificates)
//   ├── OEM Sub-CA 1 ── OEM Sub-CA 2        (issues OEM provisioning certificates)
//   └── Prov Sub-CA 1 ── Prov Sub-CA 2 ── CPS Leaf   (signs CertificateInstallationRes)
//
// -2: P-256 everywhere; -20: P-521, or Ed448 on request ([V2G20-2674], [V2G20-2319]). Validity:
// each profile's issuance default (P-013), clipped to the issuer.
//
// Idempotent and resumable: every node has a fixed name (the CN, with the edition) and a node that
// exists and is usable is reused, so a second run creates nothing and an interrupted run continues
// where it stopped. A node whose name is taken by something that cannot be reused (other role,
// revoked, expired, failed) stops the run with `ca.exists` before anything else is created.

import { appError } from '../errors/catalogue.ts';
import type { CertificateRole } from '../pki/profiles/types.ts';
import type { KeyAlgorithm } from '../signer/types.ts';
import type { CertificateAuthorityService } from './service.ts';
import type { CaView, CertificateView, IsoNumber, SubCaDomain } from './types.ts';

export interface DemoNode {
  /** Stable key within the plan, e.g. 'cpo-sub2'. */
  readonly key: string;
  readonly parent: string | null;
  readonly role: CertificateRole;
  readonly commonName: string;
  readonly domain?: SubCaDomain;
  readonly level?: 1 | 2;
}

export interface DemoInitOptions {
  readonly iso: readonly IsoNumber[];
  /** Key algorithm of the -20 tree: P-521 (default) or Ed448. */
  readonly algorithm20?: 'P-521' | 'Ed448';
  readonly organization: string;
  readonly country: string;
  readonly actor: string;
  readonly onProgress?: (event: DemoProgress) => void;
}

export interface DemoProgress {
  readonly iso: IsoNumber;
  readonly node: DemoNode;
  readonly action: 'created' | 'exists';
  readonly id: string;
  readonly serial: string;
  readonly algorithm: string;
  readonly notAfter: Date;
  readonly subject: string;
}

const SUFFIX: Readonly<Record<IsoNumber, string>> = { 2: 'ISO15118-2', 20: 'ISO15118-20' };

/** The nodes of one tree in creation order (parents first). */
export function demoPlan(iso: IsoNumber): DemoNode[] {
  const s = SUFFIX[iso];
  const sub = (domain: SubCaDomain, title: string): DemoNode[] => [
    {
      key: `${domain}-sub1`,
      parent: 'root',
      role: `${domain}-sub1` as CertificateRole,
      commonName: `${title} Sub-CA 1 ${s}`,
      domain,
      level: 1,
    },
    {
      key: `${domain}-sub2`,
      parent: `${domain}-sub1`,
      role: `${domain}-sub2` as CertificateRole,
      commonName: `${title} Sub-CA 2 ${s}`,
      domain,
      level: 2,
    },
  ];
  return [
    { key: 'root', parent: null, role: 'v2g-root', commonName: `V2G Root CA ${s}` },
    ...sub('cpo', 'CPO'),
    ...sub('mo', 'MO'),
    ...sub('oem', 'OEM'),
    // "Prov" as Hubject and the public generators name the CPS sub-CAs (pki-profiles.md §1.1).
    ...sub('cps', 'Prov'),
    { key: 'cps-leaf', parent: 'cps-sub2', role: 'cps-leaf', commonName: `CPS Leaf ${s}` },
  ];
}

function usableCa(ca: CaView, role: CertificateRole, iso: IsoNumber, now: Date): string | null {
  if (ca.role !== role || ca.iso !== String(iso)) return `it is a ${ca.role} of ISO 15118-${ca.iso}`;
  if (ca.status !== 'active') return `its status is ${ca.status}`;
  if (ca.external) return 'it was imported';
  if (ca.notAfter !== null && ca.notAfter.getTime() <= now.getTime()) return 'it expired';
  return null;
}

/** Creates (or completes) the demo hierarchy; one progress event per certificate. */
export async function initDemoHierarchy(
  service: CertificateAuthorityService,
  options: DemoInitOptions,
  now: () => Date,
): Promise<DemoProgress[]> {
  const plans = options.iso.map((iso) => ({ iso, nodes: demoPlan(iso) }));
  // Check every existing node first, so a conflict stops the run before it creates anything.
  const existing = new Map<string, CaView>();
  for (const { iso, nodes } of plans) {
    for (const node of nodes) {
      if (node.role === 'cps-leaf') continue;
      const ca = await service.findCaByName(node.commonName);
      if (ca === undefined) continue;
      const problem = usableCa(ca, node.role, iso, now());
      if (problem !== null) {
        throw appError(
          'ca.exists',
          `pnc pki init cannot reuse "${node.commonName}" (${ca.id}): ${problem}; nothing was created`,
          { details: { caId: ca.id } },
        );
      }
      existing.set(`${iso}/${node.key}`, ca);
    }
  }
  const events: DemoProgress[] = [];
  const report = (event: DemoProgress) => {
    events.push(event);
    options.onProgress?.(event);
  };
  for (const { iso, nodes } of plans) {
    const algorithm: KeyAlgorithm = iso === 2 ? 'P-256' : (options.algorithm20 ?? 'P-521');
    const cas = new Map<string, CaView>();
    for (const node of nodes) {
      const subject = {
        commonName: node.commonName,
        organization: options.organization,
        country: options.country,
      };
      const parent = node.parent === null ? undefined : cas.get(node.parent);
      const parentId = parent?.id;
      if (node.role === 'cps-leaf') {
        const leaf = await findLeaf(service, parentId as string, node.commonName, now());
        if (leaf !== undefined) {
          report(leafEvent(iso, node, 'exists', leaf, parent?.keyAlgorithm ?? algorithm));
          continue;
        }
        const issued = await service.issueWithGeneratedKey({
          caId: parentId as string,
          role: 'cps-leaf',
          subject,
          actor: options.actor,
        });
        report(leafEvent(iso, node, 'created', issued, parent?.keyAlgorithm ?? algorithm));
        continue;
      }
      let ca = existing.get(`${iso}/${node.key}`);
      let action: 'created' | 'exists' = 'exists';
      if (ca === undefined) {
        action = 'created';
        ca =
          node.parent === null
            ? await service.createRoot({ kind: 'v2g', iso, subject, algorithm, actor: options.actor })
            : await service.createSubCa({
                parentId: parentId as string,
                level: node.level as 1 | 2,
                domain: node.domain as SubCaDomain,
                subject,
                actor: options.actor,
              });
      }
      cas.set(node.key, ca);
      report({
        iso,
        node,
        action,
        id: ca.id,
        serial: ca.serial ?? '',
        algorithm: ca.keyAlgorithm,
        notAfter: ca.notAfter ?? new Date(0),
        subject: ca.subject,
      });
    }
  }
  return events;
}

async function findLeaf(
  service: CertificateAuthorityService,
  issuerCaId: string,
  commonName: string,
  now: Date,
): Promise<CertificateView | undefined> {
  const issued = await service.listCertificates({ issuerCaId, status: 'issued', leavesOnly: true });
  return issued.find(
    (c) => c.subject.startsWith(`CN=${commonName},`) && c.notAfter.getTime() > now.getTime(),
  );
}

function leafEvent(
  iso: IsoNumber,
  node: DemoNode,
  action: 'created' | 'exists',
  cert: CertificateView,
  algorithm: string,
): DemoProgress {
  return {
    iso,
    node,
    action,
    id: cert.id,
    serial: cert.serial,
    algorithm,
    notAfter: cert.notAfter,
    subject: cert.subject,
  };
}
