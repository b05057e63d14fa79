// Test support: locating the third-party data in ../shared (or $PNC_SHARED_DIR). It is never
// copied into this repository; tests that need it skip with SHARED_SKIP when it is absent.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseVectorLines, type VectorRecord } from '../exi/vector-check.ts';

export function sharedDir(): string {
  return process.env.PNC_SHARED_DIR ?? resolve(import.meta.dirname, '../../../shared');
}

export function sharedPath(...parts: string[]): string {
  return join(sharedDir(), ...parts);
}

export function hasShared(...parts: string[]): boolean {
  return existsSync(sharedPath(...parts));
}

export const SHARED_SKIP =
  'SKIPPED: needs ../shared (or $PNC_SHARED_DIR) with the third-party vectors, schemas and specs';

/** EXI vectors of one file in ../shared/vectors/exi, or undefined when absent. */
export function exiVectors(file: string): VectorRecord[] | undefined {
  const path = sharedPath('vectors', 'exi', file);
  if (!existsSync(path)) return undefined;
  return parseVectorLines(readFileSync(path, 'utf8'), path);
}

export function exiVector(file: string, id: string): VectorRecord | undefined {
  return exiVectors(file)?.find((v) => v.id === id);
}

export function readSharedJson(...parts: string[]): unknown {
  return JSON.parse(readFileSync(sharedPath(...parts), 'utf8'));
}
