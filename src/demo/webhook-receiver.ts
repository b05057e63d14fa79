// The OEM backend's webhook receiver of the demo and the end-to-end tests: a node:http server on
// 127.0.0.1 that accepts POSTed events, checks the HMAC signature over the raw body with the
// endpoint's secret (docs/events.md "Delivery": `payload-signature`, and the timed `X-PnC-Signature`)
// and answers 200 only when it verifies (401 otherwise, so a bad signature is visible in the delivery
// log). Events are kept in memory with the verdict; `next(type)` waits for the first of a type.

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../app/runtime.ts';
import { verifySignature, verifyTimedSignature } from '../events/index.ts';

const MAX_BODY_BYTES = 64 * 1024;

export interface ReceivedEvent {
  readonly eventId: string;
  readonly eventType: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** payload-signature and X-PnC-Signature both verified with the secret. */
  readonly signatureValid: boolean;
}

export interface WebhookReceiver {
  /** The URL to register, e.g. http://127.0.0.1:40123/hooks. */
  readonly url: string;
  readonly events: readonly ReceivedEvent[];
  /** The endpoint secret (known once the endpoint is registered). */
  setSecret(secret: string): void;
  /** Resolves with the first event of the type (already received or arriving later). */
  next(eventType: string, match?: (e: ReceivedEvent) => boolean): Promise<ReceivedEvent>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(clock: Clock): Promise<WebhookReceiver> {
  let secret: string | undefined;
  const events: ReceivedEvent[] = [];
  const waiters: {
    type: string;
    match: (e: ReceivedEvent) => boolean;
    resolve: (e: ReceivedEvent) => void;
  }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => {
        const v = req.headers[name];
        return typeof v === 'string' ? v : '';
      };
      const valid =
        secret !== undefined &&
        verifySignature(secret, raw, header('payload-signature')) &&
        verifyTimedSignature(secret, raw, header('x-pnc-signature'), clock.now());
      let body: { eventId?: unknown; eventType?: unknown; payload?: unknown };
      try {
        body = JSON.parse(raw) as typeof body;
      } catch {
        res.writeHead(400).end();
        return;
      }
      const event: ReceivedEvent = {
        eventId: String(body.eventId),
        eventType: String(body.eventType),
        payload: (body.payload ?? {}) as Record<string, unknown>,
        signatureValid: valid,
      };
      events.push(event);
      for (const w of waiters.splice(0)) {
        if (w.type === event.eventType && w.match(event)) w.resolve(event);
        else waiters.push(w);
      }
      res.writeHead(valid ? 200 : 401).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    events,
    setSecret(s) {
      secret = s;
    },
    next(eventType, match = () => true) {
      const found = events.find((e) => e.eventType === eventType && match(e));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ type: eventType, match, resolve }));
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
