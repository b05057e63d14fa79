// An invalid path as an AppError (`path.invalid`, kind Policy → HTTP 422), for callers that throw
// instead of returning the result (HTTP handlers, pool uploads).

import type { AppError } from '../../errors/app-error.ts';
import { appError } from '../../errors/catalogue.ts';
import type { InvalidPath } from './types.ts';

export function pathError(result: InvalidPath): AppError {
  return appError('path.invalid', result.reason, {
    details: {
      code: result.code,
      ...(result.at === undefined ? {} : { at: result.at }),
      ...(result.violations === undefined
        ? {}
        : { violations: result.violations.filter((v) => v.severity === 'error') }),
    },
  });
}
