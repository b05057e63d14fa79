// A V2GTP message channel over a byte stream (TCP or TLS socket): send one message, await the next
// one with a bounded wait. Framing errors and oversized payloads end the connection (D-120).

import type { Duplex } from 'node:stream';
import { AppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import { encodeV2gtp, type V2gtpLimits, type V2gtpMessage, V2gtpParser } from './v2gtp.ts';

interface Waiter {
  resolve(m: V2gtpMessage): void;
  reject(e: Error): void;
}

export class V2gtpConnection {
  readonly socket: Duplex;
  readonly #parser: V2gtpParser;
  readonly #queue: V2gtpMessage[] = [];
  #waiter: Waiter | undefined;
  #error: Error | undefined;

  constructor(socket: Duplex, limits: V2gtpLimits = {}) {
    this.socket = socket;
    this.#parser = new V2gtpParser(limits);
    socket.on('data', (chunk: Buffer) => {
      if (this.#error) return;
      let messages: V2gtpMessage[];
      try {
        messages = this.#parser.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      } catch (e) {
        this.#fail(e as Error);
        socket.destroy();
        return;
      }
      for (const m of messages) this.#deliver(m);
    });
    socket.on('end', () => this.#fail(appError('v2g.closed', 'the peer closed the connection')));
    socket.on('close', () => this.#fail(appError('v2g.closed', 'the connection is closed')));
    socket.on('error', (e: Error) =>
      this.#fail(
        e instanceof AppError ? e : appError('v2g.closed', `connection error: ${e.message}`, { cause: e }),
      ),
    );
  }

  #deliver(m: V2gtpMessage): void {
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      w.resolve(m);
    } else {
      this.#queue.push(m);
    }
  }

  #fail(e: Error): void {
    if (this.#error) return;
    this.#error = e;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.reject(e);
  }

  /** The next message; rejects with v2g.timeout after timeoutMs, v2g.closed or a framing error. */
  receive(timeoutMs: number): Promise<V2gtpMessage> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#error) return Promise.reject(this.#error);
    if (this.#waiter) return Promise.reject(appError('v2g.protocol', 'receive() is already pending'));
    return new Promise<V2gtpMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(
          appError('v2g.timeout', `no V2GTP message within ${timeoutMs} ms`, { details: { timeoutMs } }),
        );
      }, timeoutMs);
      // The socket keeps a process alive while it is open; the timer alone must not.
      timer.unref();
      this.#waiter = {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  send(payloadType: number, payload: Uint8Array): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    const frame = encodeV2gtp(payloadType, payload);
    return new Promise((resolve, reject) => {
      this.socket.write(frame, (e) =>
        e ? reject(appError('v2g.closed', e.message, { cause: e })) : resolve(),
      );
    });
  }

  /** Ends the connection after the written data is flushed. */
  close(): void {
    this.socket.end();
  }
}
