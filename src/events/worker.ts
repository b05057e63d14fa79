// The delivery worker (docs/events.md): takes due deliveries from events_deliveries under a lease,
// POSTs their body to the endpoint with the signature headers (./signature.ts), and records the
// outcome and a delivery-log row in one transaction.
//
// - 2xx: delivered. 400 / 409: rejected, never retried (OPCP docs/components/06: "Action stopped in
//   case OEM send HTTP400 or HTTP409"). Anything else (other status, connection error, timeout):
//   retried after PNC_WEBHOOK_RETRY_DELAY seconds (default 3600), at most PNC_WEBHOOK_RETRIES times
//   (default 3: "retry 3 times in 1 hour interval"), then failed.
// - Due times come from the injected clock, so tests move a settable clock instead of waiting an hour
//   and call runOnce().
// - At-least-once: a delivery is leased for timeout + 5 s. A process killed during a POST leaves the
//   lease, which expires; then any worker (the restarted one, or another instance) sends the same body
//   with the same eventId again. A worker records an outcome only while it still holds the lease.
// - Outcomes of oem.contract.* deliveries to OEM endpoints raise the MO's events in the same
//   transaction (D-109): 2xx → mo.contract.<x>.sent.to.oem; 400 / 409, or retries exhausted →
//   mo.contract.rejected.by.oem; the first retryable failure → mo.contract.queued.to.oem.

import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Clock, RandomSource } from '../app/runtime.ts';
import type { Database, Tx } from '../storage/types.ts';
import { AddressNotAllowedError, ipLiteralOf, isPublicAddress, publicOnlyLookup } from './address-policy.ts';
import type { ContractEventData } from './event-sink.ts';
import type { EventOutbox } from './outbox.ts';
import {
  claimDue,
  type DeliveryRecord,
  type DeliveryStatus,
  type EndpointRecord,
  findEndpoint,
  findEvent,
  insertAttempt,
  recordOutcome,
} from './repository.ts';
import { SIGNATURE_HEADERS, signatureHeaders } from './signature.ts';
import { type DeliveryEventType, type EventType, isOemContractEventType } from './vocabulary.ts';

export interface WorkerOptions {
  /** Retries after the first attempt (PNC_WEBHOOK_RETRIES). */
  readonly retries: number;
  /** Delay between attempts, seconds (PNC_WEBHOOK_RETRY_DELAY). */
  readonly retryDelaySeconds: number;
  /** Time limit of one POST, connection to last byte (PNC_WEBHOOK_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** How often the outbox is polled when nothing wakes the worker (PNC_WEBHOOK_POLL_MS). */
  readonly pollIntervalMs: number;
  /** Deliveries in flight at once. */
  readonly concurrency?: number;
  /** Most response body bytes read (the rest is dropped with the connection). */
  readonly maxResponseBytes?: number;
  readonly userAgent?: string;
  /**
   * Deliver also to private, loopback, link-local and other non-public addresses
   * (PNC_WEBHOOK_ALLOW_PRIVATE; D-177). Default false: public unicast addresses only.
   */
  readonly allowPrivateNetworks?: boolean;
}

export interface WorkerLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

export interface DeliveryWorkerDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Raises the MO's events derived from OEM delivery outcomes; wakes the worker on new events. */
  readonly outbox: EventOutbox;
  readonly options: WorkerOptions;
  readonly logger: WorkerLogger;
}

/** What one POST gave: an HTTP status, or an error (connection, timeout). */
export interface PostResult {
  readonly status?: number;
  readonly error?: string;
}

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
/** Lease = timeout + this margin: long enough for the POST and the outcome's transaction. */
export const LEASE_MARGIN_MS = 5_000;
/** A new event is looked for at most this long after it was raised (bursts share one claim). */
export const WAKE_COALESCE_MS = 5;

type Outcome = 'delivered' | 'rejected' | 'retry' | 'failed';

/** Most outcomes recorded in one transaction. */
const MAX_OUTCOMES_PER_TRANSACTION = 64;

interface PendingOutcome {
  readonly d: DeliveryRecord;
  readonly endpoint: EndpointRecord | undefined;
  readonly outcome: Outcome;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly result: PostResult;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

/** The outcome of an attempt: pure (the rule in the header comment). */
export function classifyAttempt(result: PostResult, attemptsSoFar: number, retries: number): Outcome {
  const status = result.status;
  if (status !== undefined && status >= 200 && status < 300) return 'delivered';
  if (status === 400 || status === 409) return 'rejected';
  return attemptsSoFar + 1 > retries ? 'failed' : 'retry';
}

const STATUS_OF: Record<Outcome, DeliveryStatus> = {
  delivered: 'delivered',
  rejected: 'rejected',
  retry: 'pending',
  failed: 'failed',
};

function derivedType(cause: EventType, outcome: Outcome, attempts: number): DeliveryEventType | undefined {
  if (!isOemContractEventType(cause)) return undefined;
  if (outcome === 'delivered')
    return `mo.contract.${cause.slice('oem.contract.'.length)}.sent.to.oem` as DeliveryEventType;
  if (outcome === 'rejected' || outcome === 'failed') return 'mo.contract.rejected.by.oem';
  return attempts === 1 ? 'mo.contract.queued.to.oem' : undefined;
}

export class DeliveryWorker {
  /** This worker's lease owner name (random per process start). */
  readonly id: string;
  readonly #deps: DeliveryWorkerDeps;
  readonly #concurrency: number;
  readonly #maxResponseBytes: number;
  readonly #inFlight = new Map<number, Promise<void>>();
  readonly #httpAgent: HttpAgent;
  readonly #httpsAgent: HttpsAgent;
  readonly #allowPrivate: boolean;
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  /** Wall-clock time the pending timer fires (the timer only paces polling; due times use the clock). */
  #timerDue = 0;
  #ticking = false;
  #currentTick: Promise<void> | undefined;
  #again = false;
  #unsubscribe: (() => void) | undefined;
  readonly #outcomes: {
    entry: PendingOutcome;
    resolve: (recorded: boolean) => void;
    reject: (error: unknown) => void;
  }[] = [];
  #flushing = false;

  constructor(deps: DeliveryWorkerDeps) {
    this.#deps = deps;
    this.id = `worker-${Buffer.from(deps.random(6)).toString('hex')}`;
    this.#concurrency = Math.max(1, deps.options.concurrency ?? DEFAULT_CONCURRENCY);
    this.#maxResponseBytes = deps.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#allowPrivate = deps.options.allowPrivateNetworks === true;
    // D-177: the agents resolve names with a lookup that refuses non-public addresses, so the check
    // applies to the address the connection uses.
    const agentOptions = {
      keepAlive: true,
      maxSockets: 64,
      ...(this.#allowPrivate ? {} : { lookup: publicOnlyLookup }),
    };
    this.#httpAgent = new HttpAgent(agentOptions);
    this.#httpsAgent = new HttpsAgent(agentOptions);
  }

  get running(): boolean {
    return this.#running;
  }

  /** Starts polling (pnc serve, on listen). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe = this.#deps.outbox.onRaised(() => this.wake());
    this.#schedule(0);
  }

  /** Stops taking new deliveries and waits for the ones in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    // A claim in progress, or a batch being recorded, may still hand out deliveries: wait for them.
    await this.#currentTick;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight.values()]);
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }

  /** Looks for due deliveries now (new events, pnc events retry). */
  wake(): void {
    // Wakes within WAKE_COALESCE_MS are served by one claim (one commit for a burst of events).
    if (!this.#running) return;
    if (this.#timer !== undefined && this.#timerDue <= Date.now() + WAKE_COALESCE_MS) return;
    this.#schedule(WAKE_COALESCE_MS);
  }

  /**
   * Delivers everything due now (by the injected clock), including deliveries created by the outcomes
   * (derived MO events), and returns when nothing is due or in flight; the number of attempts started.
   */
  async runOnce(): Promise<number> {
    let started = 0;
    for (;;) {
      const free = this.#concurrency - this.#inFlight.size;
      if (free > 0) {
        const claimed = await this.#claim(free);
        for (const d of claimed) this.#dispatch(d);
        started += claimed.length;
        if (claimed.length > 0) continue;
      }
      if (this.#inFlight.size === 0) return started;
      await Promise.race(this.#inFlight.values());
    }
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerDue = Date.now() + delayMs;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#currentTick = this.#tick();
    }, delayMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#ticking = true;
    try {
      do {
        this.#again = false;
        const free = this.#concurrency - this.#inFlight.size;
        if (free <= 0 || !this.#running) break;
        const claimed = await this.#claim(free);
        for (const d of claimed) this.#dispatch(d);
        if (claimed.length === free) this.#again = true;
      } while (this.#again && this.#running);
    } finally {
      this.#ticking = false;
      this.#schedule(this.#deps.options.pollIntervalMs);
    }
  }

  /** [now, owner, leaseUntil] of a claim made now. */
  #lease(): [Date, string, Date] {
    const now = this.#deps.clock.now();
    return [now, this.id, new Date(now.getTime() + this.#deps.options.timeoutMs + LEASE_MARGIN_MS)];
  }

  async #claim(limit: number): Promise<DeliveryRecord[]> {
    try {
      return await this.#deps.db.transaction((tx) => claimDue(tx, ...this.#lease(), limit));
    } catch (error) {
      this.#deps.logger.warn({ err: error }, 'webhook worker: cannot read the outbox');
      return [];
    }
  }

  #dispatch(d: DeliveryRecord): void {
    const p = this.#deliver(d)
      .catch((error: unknown) =>
        this.#deps.logger.warn({ err: error, deliveryId: d.id }, 'webhook delivery: outcome not recorded'),
      )
      .finally(() => {
        this.#inFlight.delete(d.id);
        if (this.#running) this.#schedule(0);
      });
    this.#inFlight.set(d.id, p);
  }

  async #deliver(d: DeliveryRecord): Promise<void> {
    const { db, clock, options } = this.#deps;
    const endpoint = await findEndpoint(db, d.endpointId);
    const startedAt = clock.now();
    let result: PostResult;
    if (endpoint === undefined) {
      result = { error: 'endpoint deleted' };
    } else {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': options.userAgent ?? 'pnc-webhooks',
        ...signatureHeaders(endpoint.secret, d.body, startedAt),
        [SIGNATURE_HEADERS.eventId]: d.eventId,
        [SIGNATURE_HEADERS.deliveryId]: String(d.id),
        [SIGNATURE_HEADERS.attempt]: String(d.attempts + 1),
      };
      result = await this.post(endpoint.url, d.body, headers);
    }
    const finishedAt = clock.now();
    const outcome: Outcome =
      endpoint === undefined ? 'failed' : classifyAttempt(result, d.attempts, options.retries);
    const attempts = d.attempts + 1;
    const nextAttemptAt =
      outcome === 'retry'
        ? new Date(finishedAt.getTime() + options.retryDelaySeconds * 1000)
        : d.nextAttemptAt;
    const recorded = await this.#record({
      d,
      endpoint,
      outcome,
      attempts,
      nextAttemptAt,
      result,
      startedAt,
      finishedAt,
    });
    this.#deps.logger.info(
      {
        deliveryId: d.id,
        eventId: d.eventId,
        endpointId: d.endpointId,
        attempt: attempts,
        httpStatus: result.status,
        error: result.error,
        outcome,
        recorded,
      },
      'webhook delivery attempt',
    );
  }

  /**
   * Records an outcome. Outcomes that finish close together share one transaction (one commit for
   * many deliveries: on SQLite each commit is a disk sync); when a shared transaction fails, each
   * outcome of it is recorded alone, so one bad record cannot hold the others back.
   */
  #record(entry: PendingOutcome): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#outcomes.push({ entry, resolve, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#outcomes.length > 0) {
      const batch = this.#outcomes.splice(0, MAX_OUTCOMES_PER_TRANSACTION);
      try {
        let claimed: DeliveryRecord[] = [];
        const results = await this.#deps.db.transaction(async (tx) => {
          const out: boolean[] = [];
          for (const { entry } of batch) out.push(await this.#write(tx, entry));
          // The same transaction takes over due deliveries for the slots this batch frees: one
          // commit instead of two per delivery under load (D-110).
          const free = this.#concurrency - (this.#inFlight.size - batch.length);
          claimed = this.#running && free > 0 ? await claimDue(tx, ...this.#lease(), free) : [];
          return out;
        });
        for (const [i, b] of batch.entries()) b.resolve(results[i] as boolean);
        for (const d of claimed) this.#dispatch(d);
      } catch {
        for (const b of batch) {
          try {
            b.resolve(await this.#deps.db.transaction((tx) => this.#write(tx, b.entry)));
          } catch (error) {
            b.reject(error);
          }
        }
      }
    }
    this.#flushing = false;
  }

  async #write(tx: Tx, e: PendingOutcome): Promise<boolean> {
    const { d, endpoint, outcome, attempts, result, finishedAt } = e;
    const ok = await recordOutcome(tx, d.id, this.id, finishedAt, {
      status: endpoint === undefined ? 'cancelled' : STATUS_OF[outcome],
      attempts,
      nextAttemptAt: e.nextAttemptAt,
      httpStatus: result.status ?? null,
      error: result.error ?? null,
      finishedAt: outcome === 'retry' ? null : finishedAt,
    });
    if (!ok) return false;
    await insertAttempt(tx, {
      deliveryId: d.id,
      attempt: attempts,
      worker: this.id,
      startedAt: e.startedAt,
      finishedAt,
      httpStatus: result.status ?? null,
      error: result.error ?? null,
      outcome,
    });
    if (endpoint?.role === 'OEM') await this.#raiseDerived(tx, d, outcome, attempts);
    return true;
  }

  async #raiseDerived(tx: Tx, d: DeliveryRecord, outcome: Outcome, attempts: number): Promise<void> {
    const cause = await findEvent(tx, d.eventId);
    if (cause === undefined) return;
    const type = derivedType(cause.type, outcome, attempts);
    if (type === undefined) return;
    const content = JSON.parse(cause.data) as {
      xsdMsgDefNamespace?: string;
      payload: ContractEventData & Record<string, unknown>;
    };
    const p = content.payload;
    await this.#deps.outbox.raiseAny(
      tx,
      {
        type,
        pcid: p.pcid,
        emaid: p.emaid,
        ...(content.xsdMsgDefNamespace === undefined
          ? {}
          : { iso: content.xsdMsgDefNamespace.includes(':2:') ? 2 : 20 }),
        ...(p.contractCert === undefined ? {} : { contractCert: p.contractCert }),
        ...(p.cpsSignerRootFingerprint === undefined
          ? {}
          : { cpsSignerRootFingerprint: p.cpsSignerRootFingerprint }),
        ...(p.cpsSignerRootCommonName === undefined
          ? {}
          : { cpsSignerRootCommonName: p.cpsSignerRootCommonName }),
        ...(p.signatureAlgorithm === undefined ? {} : { signatureAlgorithm: p.signatureAlgorithm }),
      },
      { actor: 'system', causeEventId: cause.id },
    );
  }

  /**
   * One POST with the time limit and the response-size bound; never throws. A keep-alive connection
   * the receiver closed just as it was reused fails with ECONNRESET before any answer: that request
   * never reached the receiver's application, so it is sent once more on a new connection at once
   * (Node.js http docs, `request.reusedSocket`) instead of waiting for the retry delay.
   */
  post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.resolve({ error: 'invalid URL' });
    }
    // IP literals are connected to without a lookup: checked here (D-177).
    const literal = ipLiteralOf(target.hostname);
    if (!this.#allowPrivate && literal !== undefined && !isPublicAddress(literal)) {
      return Promise.resolve({ error: new AddressNotAllowedError(literal, literal).message });
    }
    const deadline = Date.now() + this.#deps.options.timeoutMs;
    return this.#postOnce(target, Buffer.from(body, 'utf8'), headers, deadline, true);
  }

  #postOnce(
    target: URL,
    payload: Buffer,
    headers: Record<string, string>,
    deadline: number,
    mayResend: boolean,
  ): Promise<PostResult> {
    return new Promise<PostResult>((resolve) => {
      let settled = false;
      const done = (r: PostResult | Promise<PostResult>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const https = target.protocol === 'https:';
      const send = https ? httpsRequest : httpRequest;
      const req = send(target, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(payload.length) },
        agent: https ? this.#httpsAgent : this.#httpAgent,
      });
      const timeoutMs = Math.max(1, deadline - Date.now());
      const timer = setTimeout(() => {
        req.destroy(new Error(`timeout after ${this.#deps.options.timeoutMs} ms`));
      }, timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (mayResend && req.reusedSocket && error.code === 'ECONNRESET' && Date.now() < deadline) {
          done(this.#postOnce(target, payload, headers, deadline, false));
          return;
        }
        done({ error: error.message.slice(0, 200) });
      });
      req.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > this.#maxResponseBytes) {
            // Enough: the status decides; drop the rest with the connection.
            res.destroy();
            done({ status });
          }
        });
        res.on('end', () => done({ status }));
        res.on('error', () => done({ status }));
        res.on('close', () => done({ status }));
      });
      req.end(payload);
    });
  }
}

export type { EndpointRecord };
