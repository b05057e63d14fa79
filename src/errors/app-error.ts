// The one internal error type of the project.
//
// Every component throws AppError for expected failures (bad input, missing record, failed signature
// check, ...). The kind is a closed set: edges (HTTP, CLI) map a kind to a status or exit code and
// nothing else needs to know about transport. The code is a stable, documented identifier (see
// ./catalogue.ts and docs/errors.md) that clients and tests may match on; the message is for humans
// and may change. Anything that is not an AppError is a bug and is reported as an internal error
// without details.

/** Closed set of error kinds. Adding one is a deliberate change: update httpStatusFor and the docs. */
export type AppErrorKind =
  | 'Malformed'
  | 'NotFound'
  | 'Unauthorized'
  | 'Forbidden'
  | 'Conflict'
  | 'Codec'
  | 'Signature'
  | 'Policy'
  | 'Internal'
  | 'Unavailable';

export const APP_ERROR_KINDS: readonly AppErrorKind[] = [
  'Malformed',
  'NotFound',
  'Unauthorized',
  'Forbidden',
  'Conflict',
  'Codec',
  'Signature',
  'Policy',
  'Internal',
  'Unavailable',
];

export interface AppErrorOptions {
  /** Structured, non-secret context (offsets, limits, field names). Never keys or credentials. */
  details?: Record<string, unknown>;
  /** The underlying error, kept for logs; never shown to remote clients. */
  cause?: unknown;
}

// A discriminant that survives duplicated module copies (two installed versions of this package, or a
// module loaded once as .ts and once through a bundle), where `instanceof` would fail. Same idea as
// protobuf-es `isFieldError` checking by name, not only by class.
const APP_ERROR_BRAND = 'pnc.AppError';

export class AppError extends Error {
  readonly brand: typeof APP_ERROR_BRAND = APP_ERROR_BRAND;
  readonly kind: AppErrorKind;
  readonly code: string;
  // `declare`: no class-field definition is emitted, so the property is absent (not undefined) when
  // there are no details.
  declare readonly details?: Record<string, unknown>;

  constructor(kind: AppErrorKind, code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** True for any AppError, including one created by another copy of this module. */
export function isAppError(e: unknown): e is AppError {
  if (e instanceof AppError) return true;
  if (typeof e !== 'object' || e === null) return false;
  const candidate = e as { brand?: unknown; kind?: unknown; code?: unknown };
  return (
    candidate.brand === APP_ERROR_BRAND &&
    typeof candidate.code === 'string' &&
    (APP_ERROR_KINDS as readonly unknown[]).includes(candidate.kind)
  );
}

/**
 * HTTP status for a kind. Used only at the HTTP edge. Codec and Signature failures are the client's
 * bad input (400); Policy is a well-formed request that our rules refuse (422).
 */
export function httpStatusFor(kind: AppErrorKind): number {
  switch (kind) {
    case 'Malformed':
      return 400;
    case 'NotFound':
      return 404;
    case 'Unauthorized':
      return 401;
    case 'Forbidden':
      return 403;
    case 'Conflict':
      return 409;
    case 'Codec':
      return 400;
    case 'Signature':
      return 400;
    case 'Policy':
      return 422;
    case 'Internal':
      return 500;
    case 'Unavailable':
      return 503;
  }
}
