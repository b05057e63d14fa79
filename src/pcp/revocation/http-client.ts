// The outbound HTTP the revocation checks need: POST an OCSP request to the responder named in a
// certificate's AIA, GET a CRL from its CRL distribution point (RFC 6960 Appendix A.1, RFC 5280
// §4.2.1.13). The URLs come from certificates an OEM uploaded, so every call is bounded: http(s)
// only, no redirects, a timeout over the whole exchange and a cap on the response size
// (docs/spec-decisions.md D-054). Failures are values, never exceptions: the caller turns them into
// "status unknown".

export interface HttpExchange {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly body?: Uint8Array;
  readonly contentType?: string;
  readonly accept?: string;
  /** Most response bytes read; a longer body is a failure. */
  readonly maxBytes: number;
  /** Whole exchange, connect to last byte. */
  readonly timeoutMs: number;
}

export type HttpResult =
  | { readonly ok: true; readonly status: number; readonly contentType: string; readonly body: Uint8Array }
  | { readonly ok: false; readonly reason: string };

/** The port: the real client below, or (in tests) a stand-in for an unreachable remote responder. */
export interface RevocationHttpClient {
  exchange(request: HttpExchange): Promise<HttpResult>;
}

/** Only absolute http / https URLs without credentials are fetched. */
export function usableUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return url;
}

async function readBounded(response: Response, maxBytes: number): Promise<Uint8Array | string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return `response of ${declared} bytes is too large`;
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return `response is larger than ${maxBytes} bytes`;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** node's fetch with the bounds above. */
export class FetchRevocationHttpClient implements RevocationHttpClient {
  async exchange(request: HttpExchange): Promise<HttpResult> {
    const url = usableUrl(request.url);
    if (url === undefined) return { ok: false, reason: `not an http(s) URL: ${request.url.slice(0, 200)}` };
    const headers: Record<string, string> = {};
    if (request.contentType !== undefined) headers['content-type'] = request.contentType;
    if (request.accept !== undefined) headers.accept = request.accept;
    const signal = AbortSignal.timeout(request.timeoutMs);
    try {
      const response = await fetch(url, {
        method: request.method,
        headers,
        redirect: 'manual',
        signal,
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      const body = await readBounded(response, request.maxBytes);
      if (typeof body === 'string') return { ok: false, reason: body };
      return {
        ok: true,
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        body,
      };
    } catch (error) {
      if (signal.aborted) return { ok: false, reason: `no answer within ${request.timeoutMs} ms` };
      const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
      return {
        ok: false,
        reason: `request failed${typeof cause === 'string' ? ` (${cause})` : ''}`,
      };
    }
  }
}
