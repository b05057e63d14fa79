// A real webhook receiver for tests and the benchmark: a node:http server on 127.0.0.1 that records
// every request (headers and raw body) and answers with scripted statuses. Nothing is faked: the
// delivery worker talks HTTP to it exactly as to a partner's backend.

import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** process.hrtime.bigint() when the body was complete (for the benchmark's delay). */
  readonly receivedAtNs: bigint;
}

/** What to answer: a status, or 'hold' (keep the request open until release() or close()). */
export type ReceiverAnswer = number | 'hold';

export interface TestReceiver {
  /** Base URL, e.g. http://127.0.0.1:34567 */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Answers for the next requests, in order; afterwards `fallback` (default 200). */
  script(answers: readonly ReceiverAnswer[], fallback?: ReceiverAnswer): void;
  /** Resolves when at least n requests have arrived. */
  waitFor(n: number): Promise<void>;
  /** Answers held requests with this status. */
  release(status?: number): void;
  /** Called for every complete request (the benchmark counts with it). */
  onRequest?: (r: ReceivedRequest) => void;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<TestReceiver> {
  const requests: ReceivedRequest[] = [];
  let answers: ReceiverAnswer[] = [];
  let fallback: ReceiverAnswer = 200;
  const held: ServerResponse[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const receiver: TestReceiver = {
    url: '',
    requests,
    script(next, otherwise = 200) {
      answers = [...next];
      fallback = otherwise;
    },
    waitFor(n) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    release(status = 200) {
      for (const res of held.splice(0)) res.writeHead(status).end();
    },
    async close() {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAtNs: process.hrtime.bigint(),
      };
      requests.push(r);
      receiver.onRequest?.(r);
      for (const w of waiters.splice(0)) {
        if (requests.length >= w.n) w.resolve();
        else waiters.push(w);
      }
      const answer = answers.length > 0 ? (answers.shift() as ReceiverAnswer) : fallback;
      if (answer === 'hold') held.push(res);
      else res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return Object.assign(receiver, { url: `http://127.0.0.1:${address.port}` });
}
