import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP_ERROR_KINDS, AppError, httpStatusFor, isAppError } from './app-error.ts';

test('AppError carries kind, code, message, details and cause', () => {
  const cause = new Error('low level');
  const err = new AppError('NotFound', 'pool.not-found', 'no such certificate', {
    details: { id: 'x' },
    cause,
  });
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'AppError');
  assert.equal(err.kind, 'NotFound');
  assert.equal(err.code, 'pool.not-found');
  assert.equal(err.message, 'no such certificate');
  assert.deepEqual(err.details, { id: 'x' });
  assert.equal(err.cause, cause);
});

test('details is absent, not undefined, when not given (exactOptionalPropertyTypes)', () => {
  const err = new AppError('Conflict', 'x.y', 'm');
  assert.equal('details' in err, false);
  assert.equal('cause' in err, false);
});

test('isAppError recognises copies from another module instance by discriminant', async () => {
  // A second copy of the module (distinct URL => distinct module record and class identity).
  const copy = (await import(`./app-error.ts?copy=${Date.now()}`)) as typeof import('./app-error.ts');
  assert.notEqual(copy.AppError, AppError);
  const foreign = new copy.AppError('Codec', 'exi.header', 'bad header');
  assert.equal(foreign instanceof AppError, false);
  assert.equal(isAppError(foreign), true);
  assert.equal(copy.isAppError(new AppError('Codec', 'exi.header', 'bad header')), true);
});

test('isAppError rejects look-alikes', () => {
  assert.equal(isAppError(new Error('x')), false);
  assert.equal(isAppError(null), false);
  assert.equal(isAppError('AppError'), false);
  assert.equal(isAppError({ kind: 'Codec', code: 'exi.header' }), false);
  assert.equal(isAppError({ brand: 'pnc.AppError', kind: 'Nope', code: 'a.b' }), false);
});

test('httpStatusFor maps every kind', () => {
  const expected: Record<string, number> = {
    Malformed: 400,
    NotFound: 404,
    Unauthorized: 401,
    Forbidden: 403,
    Conflict: 409,
    Codec: 400,
    Signature: 400,
    Policy: 422,
    Internal: 500,
    Unavailable: 503,
  };
  for (const kind of APP_ERROR_KINDS) assert.equal(httpStatusFor(kind), expected[kind], kind);
  assert.equal(APP_ERROR_KINDS.length, Object.keys(expected).length);
});
