// The charger's listener: TLS server (src/v2g/transport.ts) + one SeccSession per connection, driven
// by a receive → handle → send loop with the sequence timeout bounding every wait.

import type { V2gtpConnection } from '../connection.ts';
import {
  type SeccConnectionInfo,
  type SeccServer,
  type SeccServerOptions,
  startSeccServer,
} from '../transport.ts';
import { SeccSession, type SeccSessionDeps } from './session.ts';

/** V2G_SECC_Sequence_Timeout of ISO 15118-2: 60 s between two requests (D-130). */
export const SECC_SEQUENCE_TIMEOUT_MS = 60_000;

export interface SeccSessionResult {
  readonly session: SeccSession;
  /** Why the loop ended: 'stopped' (session over), or the error code (v2g.timeout, v2g.closed, ...). */
  readonly end: string;
}

/** Runs one session on an established channel until it ends; always closes the channel. */
export async function serveSeccConnection(
  connection: V2gtpConnection,
  session: SeccSession,
  sequenceTimeoutMs: number = SECC_SEQUENCE_TIMEOUT_MS,
): Promise<SeccSessionResult> {
  let end = 'stopped';
  try {
    for (;;) {
      const message = await connection.receive(sequenceTimeoutMs);
      const { reply, close } = await session.handle(message);
      if (reply) await connection.send(reply.payloadType, reply.payload);
      if (close) break;
    }
  } catch (e) {
    end = (e as { code?: string }).code ?? 'error';
  } finally {
    connection.close();
  }
  return { session, end };
}

export interface SeccListenerOptions {
  readonly tls: SeccServerOptions;
  readonly session: SeccSessionDeps;
  readonly sequenceTimeoutMs?: number;
  /** Called when a session ends (tests and the CLI report on it). */
  readonly onSessionEnd?: (result: SeccSessionResult) => void;
  /** Called for each established TLS connection (-20: the vehicle chain the client presented). */
  readonly onConnection?: (info: SeccConnectionInfo) => void;
}

export async function startSeccListener(options: SeccListenerOptions): Promise<SeccServer> {
  return startSeccServer(options.tls, (connection, info) => {
    options.onConnection?.(info);
    const session = new SeccSession({ ...options.session, tlsProfile: options.tls.profile });
    void serveSeccConnection(connection, session, options.sequenceTimeoutMs).then((r) =>
      options.onSessionEnd?.(r),
    );
  });
}
