// Small helpers of the CPS route tests (routes.test.ts, routes-iso20.test.ts): the routes and the MO
// they act for, reading a JSON answer, and checking an error answer's status and OPCP error body.

import assert from 'node:assert/strict';

/** The MO of the route tests: its token scope and its provider ID (EMAIDs start with it). */
export const MO_SCOPE = 'DE-ABC';
export const PROVIDER = 'DEABC';

export const OPCP_SIGN = '/v1/cps/contractData/signed';
export const OPCP_GENERATE = '/v1/cps/generate/signedContractData';
export const OPNC_SIGN = '/opnc/v1/cps/contractData/sign';
export const OPNC_GENERATE = '/opnc/v1/cps/contractData/generateandsign';

export type Json = Record<string, unknown>;

export async function json(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

/** `res` has `status` and the OPCP error body {errorMessages, traceId}; its first message matches. */
export async function expectError(res: Response, status: number, message?: RegExp): Promise<void> {
  const body = await json(res);
  assert.equal(res.status, status, JSON.stringify(body));
  assert.deepEqual(Object.keys(body).sort(), ['errorMessages', 'traceId']);
  if (message !== undefined) assert.match((body.errorMessages as string[])[0] ?? '', message);
}
