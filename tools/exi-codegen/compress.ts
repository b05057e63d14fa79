// Bounded repetitions without unrolled state chains (exi-and-signatures.md P6; -20 has maxOccurs up
// to 2048). Determinisation yields, for X{min,max}, a chain of states that are identical except for
// the successor of SE(X). Such a chain s1 → s2 → … → sn (each entered only from its predecessor)
// becomes ONE counted state: its SE(X) loops back up to n−1 times, the n-th time it goes on to the
// state after the chain. Widths are unchanged (the states had the same productions), so the encoding
// is bit-identical; the interpreter keeps the count (src/exi/runtime/grammar.ts `RtState.loop*`).

/** A state as flat productions [kind, arg, next, ...]. */
export type FlatState = number[];

export interface CompressedGrammar {
  readonly states: FlatState[];
  /** [state, production index, limit, exit state] */
  readonly loops: [number, number, number, number][];
}

const MIN_CHAIN = 3;

export function compressChains(input: FlatState[]): CompressedGrammar {
  const n = input.length;
  const indegree = new Array<number>(n).fill(0);
  for (const s of input) for (let i = 2; i < s.length; i += 3) if (s[i]! >= 0) indegree[s[i]!]!++;

  /** Production index of `a` whose successor is `b` when a and b differ only there (else -1). */
  const chainLink = (a: number, b: number): number => {
    const sa = input[a]!;
    const sb = input[b]!;
    if (sa.length !== sb.length) return -1;
    let link = -1;
    for (let i = 0; i < sa.length; i += 3) {
      if (sa[i] !== sb[i] || sa[i + 1] !== sb[i + 1]) return -1;
      // A self-loop in a chain state would not survive the merge: refuse such chains.
      if (sa[i + 2] === a || sb[i + 2] === b) return -1;
      if (sa[i + 2] === sb[i + 2]) continue;
      if (link >= 0 || sa[i + 2] !== b) return -1;
      link = i / 3;
    }
    // The link must be the same production in the next state too (it points on along the chain).
    return link;
  };

  const chainOf = new Map<number, { members: number[]; link: number }>();
  const inChain = new Set<number>();
  for (let s = 0; s < n; s++) {
    if (inChain.has(s)) continue;
    let best: { members: number[]; link: number } | undefined;
    // Try each production of s as the link that runs along the chain; keep the longest chain.
    for (let i = 0; i < input[s]!.length / 3; i++) {
      const members = [s];
      for (;;) {
        const last = members[members.length - 1]!;
        const candidate = input[last]![i * 3 + 2]!;
        if (candidate < 0 || inChain.has(candidate) || members.includes(candidate)) break;
        if (indegree[candidate] !== 1 || chainLink(last, candidate) !== i) break;
        members.push(candidate);
      }
      if (members.length >= MIN_CHAIN && (!best || members.length > best.members.length))
        best = { members, link: i };
    }
    if (best) {
      chainOf.set(s, best);
      for (const m of best.members) inChain.add(m);
    }
  }

  // Renumber: keep every state that is not a non-first chain member, in the original order.
  const newIndex = new Array<number>(n).fill(-1);
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (inChain.has(s) && !chainOf.has(s)) continue;
    newIndex[s] = count++;
  }
  // Non-first chain members map to their chain head.
  for (const [head, { members }] of chainOf) for (const m of members) newIndex[m] = newIndex[head]!;

  const states: FlatState[] = [];
  const loops: [number, number, number, number][] = [];
  for (let s = 0; s < n; s++) {
    if (inChain.has(s) && !chainOf.has(s)) continue;
    const flat = input[s]!.map((v, i) => (i % 3 === 2 && v >= 0 ? newIndex[v]! : v));
    const chain = chainOf.get(s);
    if (chain) {
      const last = chain.members[chain.members.length - 1]!;
      const exit = input[last]![chain.link * 3 + 2]!;
      flat[chain.link * 3 + 2] = newIndex[s]!;
      loops.push([newIndex[s]!, chain.link, chain.members.length, newIndex[exit]!]);
    }
    states.push(flat);
  }
  return { states, loops };
}
