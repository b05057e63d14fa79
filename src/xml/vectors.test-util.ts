/**
 * Test support: the XML renderings of the shared EXI vectors (../shared/vectors/exi/*.jsonl or
 * $PNC_SHARED_DIR/vectors/exi). Third-party data is never copied into the repo; callers skip when
 * it is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface XmlVector {
  id: string;
  file: string;
  xml: string;
}

export const SKIP_MESSAGE = 'needs ../shared/vectors/exi (or $PNC_SHARED_DIR/vectors/exi); not found';

export function vectorDir(): string {
  const shared = process.env.PNC_SHARED_DIR ?? resolve(import.meta.dirname, '../../../shared');
  return join(shared, 'vectors', 'exi');
}

/** All vectors with an `xml` field, or undefined when the shared directory is absent. */
export function loadXmlVectors(): XmlVector[] | undefined {
  const dir = vectorDir();
  if (!existsSync(dir)) return undefined;
  const out: XmlVector[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const v = JSON.parse(line) as { id: string; xml?: string | null };
      if (typeof v.xml === 'string') out.push({ id: v.id, file, xml: v.xml });
    }
  }
  return out;
}
