// Deterministic seeds for the property and fuzz tests, so that CI runs are reproducible: one base
// seed (PNC_FC_SEED overrides it to explore), and per property a seed derived from its name, so
// that adding or reordering properties does not change the cases the others see. fast-check
// prints the seed and the counterexample path of a failure; re-run with that PNC_FC_SEED.

/** The base seed: $PNC_FC_SEED when set (decimal or 0x…), else a fixed value. */
export const BASE_SEED: number = (() => {
  const env = process.env.PNC_FC_SEED;
  if (env !== undefined && env.trim() !== '') {
    const n = Number(env);
    if (!Number.isInteger(n)) throw new Error(`PNC_FC_SEED must be an integer, got '${env}'`);
    return n | 0;
  }
  return 0x15118;
})();

/** FNV-1a 32-bit hash of a string (stable across runs and platforms). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** The seed of the property called `name`. */
export function seedFor(name: string): number {
  return (BASE_SEED ^ fnv1a(name)) | 0;
}

/** fast-check parameters of a named property: its seed and run count (printed with any failure). */
export function runParams(name: string, numRuns: number): { seed: number; numRuns: number } {
  return { seed: seedFor(name), numRuns };
}
