// Checks both SECC sessions make the same way (./session.ts for ISO 15118-2, ./session-20.ts for
// ISO 15118-20): the sequence rules, the revocation status of a contract chain, the contract
// certificate's CN, and the time bound on the installation backend. Each session maps the outcome to
// the response codes of its edition.

import { X509Certificate } from 'node:crypto';
import { isAppError } from '../../errors/app-error.ts';
import { appError } from '../../errors/catalogue.ts';
import { bytesEqual } from '../messages.ts';
import type { ContractStatusChecker } from './ports.ts';

/**
 * Why a request may not be handled now: not one the state accepts (FAILED_SequenceError), or a
 * SessionID other than SessionSetupRes's (FAILED_UnknownSession); undefined when it may.
 */
export function sequenceViolation(
  request: { readonly type: string; readonly sessionId: Uint8Array },
  state: string,
  accepted: readonly string[],
  sessionId: Uint8Array | undefined,
): { readonly code: 'FAILED_SequenceError' | 'FAILED_UnknownSession'; readonly reason: string } | undefined {
  if (!accepted.includes(request.type))
    return { code: 'FAILED_SequenceError', reason: `${request.type} is not expected in ${state}` };
  if (request.type !== 'SessionSetupReq' && !bytesEqual(request.sessionId, sessionId!))
    return { code: 'FAILED_UnknownSession', reason: 'SessionID differs from SessionSetupRes' };
  return undefined;
}

/** Why a validated contract chain may not be used: a status not `good` of one element, or no status. */
export interface ChainStatusProblem {
  readonly kind: 'unavailable' | 'unknown' | 'revoked';
  readonly reason: string;
}

/**
 * The revocation status of the leaf and every sub-CA of `chain` (leaf first, anchor last), each with
 * its issuer, as OCPP Authorize does it; fails closed. Undefined when all are good.
 */
export async function chainStatusProblem(
  checker: ContractStatusChecker,
  chain: readonly Uint8Array[],
): Promise<ChainStatusProblem | undefined> {
  for (let i = 0; i + 1 < chain.length; i++) {
    let status: Awaited<ReturnType<ContractStatusChecker['status']>>;
    try {
      status = await checker.status(chain[i]!, chain[i + 1]!);
    } catch (e) {
      if (!isAppError(e)) throw e;
      return { kind: 'unavailable', reason: `revocation status unavailable: ${e.code}` };
    }
    if (status === 'good') continue;
    if (status === 'unknown')
      return { kind: 'unknown', reason: `revocation status of chain element ${i} is unknown` };
    return { kind: 'revoked', reason: `chain element ${i} is revoked` };
  }
  return undefined;
}

/** The subject CN of a certificate (undefined when unreadable or absent). */
export function commonNameOf(der: Uint8Array): string | undefined {
  try {
    return /^CN=(.*)$/m.exec(new X509Certificate(der).subject)?.[1];
  } catch {
    return undefined;
  }
}

/** `promise`, or v2g.timeout after `ms` milliseconds. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(appError('v2g.timeout', `no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** What went wrong at the installation backend, for the FAILED answer's reason. */
export function backendFailureReason(e: unknown): string {
  return isAppError(e) ? `${e.code} ${e.message}` : e instanceof Error ? e.message : String(e);
}
