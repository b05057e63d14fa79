// Test support: the EXI streams of the shared vector set (../shared/vectors/exi/<schema>.jsonl
// relative to the repository root, or $PNC_SHARED_DIR/vectors/exi). Third-party data is never
// copied into the repository: callers skip with SKIP_MESSAGE when the directory is absent.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ExiVector {
  readonly id: string;
  readonly schema: string;
  /** document: EXI 1.0 §8.5.1; fragment / element-fragment: §8.5.2 (eMAID with §8.5.3). */
  readonly kind: 'document' | 'fragment' | 'element-fragment';
  readonly exi: Uint8Array;
  readonly roundTrip?: string;
}

export const SKIP_MESSAGE = 'needs ../shared/vectors/exi (or $PNC_SHARED_DIR/vectors/exi); not found';

export function exiVectorDir(): string {
  const shared = process.env.PNC_SHARED_DIR ?? resolve(import.meta.dirname, '../../../../shared');
  return join(shared, 'vectors', 'exi');
}

/** The vectors of one schema set, or undefined when the vector directory (or the file) is absent. */
export function loadExiVectors(schema: string): ExiVector[] | undefined {
  const file = join(exiVectorDir(), `${schema}.jsonl`);
  if (!existsSync(file)) return undefined;
  const out: ExiVector[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const v = JSON.parse(line) as {
      id: string;
      schema: string;
      kind: ExiVector['kind'];
      exi: string;
      roundTrip?: string;
    };
    out.push({
      id: v.id,
      schema: v.schema,
      kind: v.kind,
      exi: new Uint8Array(Buffer.from(v.exi, 'base64')),
      ...(v.roundTrip === undefined ? {} : { roundTrip: v.roundTrip }),
    });
  }
  return out;
}
