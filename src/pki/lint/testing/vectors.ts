// Test support: the real certificates of ../shared/vectors/pki/certs-*.jsonl (never copied into
// this repository; absent → the tests skip with SHARED_SKIP).

import { existsSync, readFileSync } from 'node:fs';
import { sharedPath } from '../../../testing/shared-data.ts';
import type { CertificateRole, IsoVersion } from '../../profiles/types.ts';

export interface CertVector {
  readonly id: string;
  readonly file: string;
  readonly source: string;
  readonly der: Uint8Array;
  readonly subject: string;
  readonly issuer: string;
  readonly role: CertificateRole;
  readonly iso: IsoVersion;
  readonly notBefore: string;
  readonly notAfter: string;
  /** Issuer ids, issuer first. */
  readonly chain: readonly string[];
  readonly findings: readonly string[];
  readonly chainValidAt: string | null;
}

const FILES = ['certs-v2g.jsonl', 'certs-mo.jsonl', 'certs-oem.jsonl', 'certs-cps.jsonl'];

/** All certificate vectors, or undefined when ../shared is absent. */
export function certVectors(): CertVector[] | undefined {
  if (!FILES.every((f) => existsSync(sharedPath('vectors', 'pki', f)))) return undefined;
  const out: CertVector[] = [];
  for (const file of FILES) {
    const text = readFileSync(sharedPath('vectors', 'pki', file), 'utf8');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const r = JSON.parse(line) as Record<string, unknown> & { expected?: { chainValidAt?: string | null } };
      out.push({
        id: String(r.id),
        file,
        source: String(r.source),
        der: new Uint8Array(Buffer.from(String(r.der), 'base64')),
        subject: String(r.subject),
        issuer: String(r.issuer),
        role: r.role as CertificateRole,
        iso: r.iso as IsoVersion,
        notBefore: String(r.notBefore),
        notAfter: String(r.notAfter),
        chain: (r.chain as string[] | undefined) ?? [],
        findings: (r.findings as string[] | undefined) ?? [],
        chainValidAt: r.expected?.chainValidAt ?? null,
      });
    }
  }
  return out;
}
