// validatePath: RFC 5280 §6.1 basic path validation with path building (RFC 4158 style depth-first
// search over issuer candidates matched by name and AKI/SKI, alternatives tried, bounded), and
// the ISO 15118 usage checks on top when asked. Synchronous and never throws on any input.
// Decisions PV-nn: ./README.md.

import { namesEqual } from '../lint/algorithms.ts';
import { akiMatches, type PathCert, toPathCert } from './certificate.ts';
import {
  type CheckFailure,
  checkExtensions,
  checkIssuing,
  checkPathLength,
  checkRevocation,
  checkStrict,
  checkValidity,
} from './checks.ts';
import { checkIsoUsage } from './iso15118.ts';
import { formatName } from './names.ts';
import { type SignatureCheck, verifySignature } from './signature.ts';
import type { InvalidPath, PathErrorCode, PathValidationResult, ValidatePathOptions } from './types.ts';

/** Default bound on certificates per path, target and anchor included (PV-10). */
export const DEFAULT_MAX_LENGTH = 10;
/** Hard ceiling for `maxLength`. */
export const MAX_PATH_LENGTH = 64;
/** Input bounds: more certificates than this are refused before any parsing (PV-10). */
export const MAX_INTERMEDIATES = 256;
export const MAX_ANCHORS = 1024;
/** Search budget: issuer candidates examined, and distinct signature verifications. */
export const MAX_SEARCH_STEPS = 4096;
export const MAX_SIGNATURE_CHECKS = 256;

interface Node {
  readonly pc: PathCert;
  readonly anchorIndex: number | null;
}

/** Failure ranking when no path validates: a complete path beats a dead end (PV-11). */
type Ranked = CheckFailure & { readonly rank: number; readonly chain?: readonly PathCert[] };

class BudgetExceeded extends Error {}

function invalid(
  code: PathErrorCode,
  reason: string,
  extra: Partial<Omit<InvalidPath, 'valid'>> = {},
): InvalidPath {
  return { valid: false, code, reason, ...extra };
}

function describe(c: PathCert): string {
  return formatName(c.cert.subject);
}

export function validatePath(options: ValidatePathOptions): PathValidationResult {
  try {
    return run(options);
  } catch (e) {
    // Defence in depth: validatePath promises never to throw; a bug surfaces as an input error.
    return invalid('path.input', `internal failure: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function run(options: ValidatePathOptions): PathValidationResult {
  if (typeof options !== 'object' || options === null)
    return invalid('path.input', 'options must be an object');
  const { at } = options;
  if (!(at instanceof Date) || Number.isNaN(at.getTime()))
    return invalid('path.input', '`at` must be a valid Date');
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > MAX_PATH_LENGTH)
    return invalid('path.input', `maxLength must be an integer from 1 to ${MAX_PATH_LENGTH}`);
  const intermediates = options.intermediates ?? [];
  const anchors = options.anchors;
  if (!Array.isArray(anchors) || !Array.isArray(intermediates))
    return invalid('path.input', 'anchors and intermediates must be arrays');
  if (intermediates.length > MAX_INTERMEDIATES)
    return invalid(
      'path.input',
      `${intermediates.length} intermediates, more than the bound of ${MAX_INTERMEDIATES}`,
    );
  if (anchors.length > MAX_ANCHORS)
    return invalid('path.input', `${anchors.length} anchors, more than the bound of ${MAX_ANCHORS}`);

  const target = toPathCert(options.target);
  if (!target.ok)
    return invalid('path.parse', `the target is not a usable certificate: ${target.reason}`, { at: 0 });

  // Pool of issuer candidates. Anchors win over an identical untrusted copy; duplicates collapse.
  const byId = new Map<string, Node>();
  for (let i = 0; i < anchors.length; i++) {
    const p = toPathCert(anchors[i]);
    if (!p.ok) return invalid('path.parse', `trust anchor #${i} is not a usable certificate: ${p.reason}`);
    if (!byId.has(p.cert.id)) byId.set(p.cert.id, { pc: p.cert, anchorIndex: i });
  }
  for (let i = 0; i < intermediates.length; i++) {
    const p = toPathCert(intermediates[i]);
    if (!p.ok) return invalid('path.parse', `intermediate #${i} is not a usable certificate: ${p.reason}`);
    if (!byId.has(p.cert.id)) byId.set(p.cert.id, { pc: p.cert, anchorIndex: null });
  }
  const pool = [...byId.values()];
  const strict = options.strict === true;

  const state = {
    steps: 0,
    signatures: new Map<string, SignatureCheck>(),
    best: null as Ranked | null,
  };
  const record = (f: Ranked): void => {
    const b = state.best;
    // Higher rank wins; among complete paths the first found (preferred candidates) wins; among
    // dead ends the deepest one says most about what is missing.
    if (b === null || f.rank > b.rank || (f.rank === b.rank && f.rank < 3 && f.at > b.at)) state.best = f;
  };

  const signature = (child: PathCert, issuer: PathCert): SignatureCheck => {
    const key = `${child.id}/${issuer.id}`;
    const hit = state.signatures.get(key);
    if (hit !== undefined) return hit;
    if (state.signatures.size >= MAX_SIGNATURE_CHECKS) throw new BudgetExceeded();
    const r = verifySignature(child, issuer);
    state.signatures.set(key, r);
    return r;
  };

  const validateComplete = (path: PathCert[], anchorIndex: number): PathValidationResult | null => {
    const f = checkPath(path, options, strict, signature);
    if (f !== null) {
      record({ ...f, rank: 3, chain: [...path] });
      return null;
    }
    const chain = path.map((p) => p.der);
    const result: PathValidationResult = {
      valid: true,
      chain,
      anchor: chain[chain.length - 1] as Uint8Array,
      anchorIndex,
      violations: [],
    };
    if (options.profile === undefined || options.profile === false) return result;
    const profileOptions = options.profile === true ? {} : options.profile;
    const usage = checkIsoUsage(path, { ...profileOptions, at, anchorIndex });
    if (usage.failure !== undefined) {
      // A usage failure is final: the path is valid by RFC 5280, the chain is simply not fit for
      // this use; another path to another anchor is not searched for (PV-13).
      return invalid(usage.failure.code, usage.failure.reason, {
        at: usage.failure.at,
        chain,
        violations: usage.violations,
      });
    }
    return { ...result, roles: usage.roles, profiles: usage.profiles, violations: usage.violations };
  };

  // The target is itself a trust anchor: a path of one (RFC 5280 §6.1 with n = 0).
  const targetAsAnchor = byId.get(target.cert.id);
  if (targetAsAnchor !== undefined && targetAsAnchor.anchorIndex !== null) {
    const done = validateComplete([targetAsAnchor.pc], targetAsAnchor.anchorIndex);
    if (done !== null) return done;
    return finish(state.best);
  }

  const search = (path: PathCert[]): PathValidationResult | null => {
    const current = path[path.length - 1] as PathCert;
    const depth = path.length - 1;
    const candidates = pool.filter(
      (n) =>
        namesEqual(current.cert.issuer, n.pc.cert.subject) &&
        akiMatches(current, n.pc) &&
        !path.some((p) => p.id === n.pc.id),
    );
    if (candidates.length === 0) {
      record({
        code: 'path.no-issuer',
        rank: 1,
        at: depth,
        reason: `certificate ${depth} (${describe(current)}): no ${path.length === 1 ? '' : 'further '}issuer certificate found for ${formatName(current.cert.issuer)} among the anchors and intermediates`,
        chain: [...path],
      });
      return null;
    }
    candidates.sort((a, b) => preference(a, b, at));
    for (const cand of candidates) {
      if (++state.steps > MAX_SEARCH_STEPS) throw new BudgetExceeded();
      const sig = signature(current, cand.pc);
      if (!sig.ok) {
        record({
          code: sig.code,
          rank: 2,
          at: depth,
          reason: `certificate ${depth} (${describe(current)}): ${sig.reason}`,
          chain: [...path, cand.pc],
        });
        continue;
      }
      const next = [...path, cand.pc];
      if (cand.anchorIndex !== null) {
        const done = validateComplete(next, cand.anchorIndex);
        if (done !== null) return done;
        continue; // anchors end a path (PV-03); another candidate may still succeed
      }
      if (next.length >= maxLength) {
        record({
          code: 'path.too-long',
          rank: 1.5,
          at: depth + 1,
          reason: `no trust anchor within ${maxLength} certificates (maxLength)`,
          chain: next,
        });
        continue;
      }
      const done = search(next);
      if (done !== null) return done;
    }
    return null;
  };

  try {
    const done = search([target.cert]);
    if (done !== null) return done;
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    return invalid(
      'path.search-limit',
      `path search stopped after ${state.steps} candidate(s) and ${state.signatures.size} signature check(s) without a valid path`,
    );
  }
  return finish(state.best);
}

function finish(best: Ranked | null): InvalidPath {
  if (best === null) return invalid('path.no-issuer', 'no path to a trust anchor');
  return invalid(best.code, best.reason, {
    at: best.at,
    ...(best.chain === undefined ? {} : { chain: best.chain.map((c) => c.der) }),
  });
}

/**
 * Candidate order (PV-11): trust anchors first (OpenSSL's trusted-first default), then issuers
 * valid at `at`, then the latest notAfter (OpenSSL's get0_best_issuer_sk), then input order.
 */
function preference(a: Node, b: Node, at: Date): number {
  const anchor = (n: Node) => (n.anchorIndex === null ? 1 : 0);
  if (anchor(a) !== anchor(b)) return anchor(a) - anchor(b);
  const t = at.getTime();
  const timely = (n: Node) =>
    n.pc.cert.notBefore.date.getTime() <= t && t <= n.pc.cert.notAfter.date.getTime() ? 0 : 1;
  if (timely(a) !== timely(b)) return timely(a) - timely(b);
  return b.pc.cert.notAfter.date.getTime() - a.pc.cert.notAfter.date.getTime();
}

/**
 * All §6.1 checks on a complete path (target first, anchor last), in OpenSSL's order so the first
 * reported problem matches its first error: certificate contents bottom-up (check_extensions),
 * then signatures and validity anchor side first (internal_verify), then revocation (PV-11).
 */
function checkPath(
  path: readonly PathCert[],
  options: ValidatePathOptions,
  strict: boolean,
  signature: (child: PathCert, issuer: PathCert) => SignatureCheck,
): CheckFailure | null {
  const n = path.length - 1;
  for (let i = 0; i <= n; i++) {
    const c = path[i] as PathCert;
    const f =
      checkExtensions(c, i) ??
      (i >= 1 ? checkIssuing(c, i, i === n, strict) : null) ??
      (i >= 1 ? checkPathLength(path, i) : null) ??
      (strict && n >= 1 ? checkStrict(path, i) : null);
    if (f !== null) return f;
  }
  for (let i = n; i >= 0; i--) {
    const c = path[i] as PathCert;
    if (i < n) {
      // Verified while building; looked up again so a path never passes without it.
      const sig = signature(c, path[i + 1] as PathCert);
      if (!sig.ok)
        return { code: sig.code, at: i, reason: `certificate ${i} (${describe(c)}): ${sig.reason}` };
    }
    const f = checkValidity(c, i, options.at);
    if (f !== null) return f;
  }
  if (options.revocation !== undefined)
    return checkRevocation(path, options.revocation, options.at, options.unknownRevocation === 'accept');
  return null;
}
