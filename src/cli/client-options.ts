// Options of the role CLIs that talk to a running server (`pnc oem …`, `pnc mo …`, `pnc cpo …`):
// where the server is and which API client to be. The secret is never taken from the command line
// (it would show in `ps` and shell history): it comes from a credentials file, as `pnc clients add
// --json` prints it, or from the environment.

import { readFile } from 'node:fs/promises';
import { systemClock } from '../app/runtime.ts';
import { ApiClient } from '../client/api-client.ts';
import { appError } from '../errors/catalogue.ts';

export const CLIENT_OPTIONS = {
  url: { type: 'string' },
  credentials: { type: 'string' },
} as const;

export const CLIENT_OPTION_HELP = {
  url: 'server base URL (environment PNC_URL, default http://127.0.0.1:8080)',
  credentials:
    'JSON file {"clientId","clientSecret"} as printed by `pnc clients add --json` (or PNC_CLIENT_ID + PNC_CLIENT_SECRET)',
} as const;

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';
const MAX_CREDENTIALS_FILE_BYTES = 4096;

export async function apiClientFromOptions(ctx: {
  readonly values: { readonly url?: string | undefined; readonly credentials?: string | undefined };
  readonly env: Readonly<Record<string, string | undefined>>;
}): Promise<ApiClient> {
  const baseUrl = ctx.values.url ?? ctx.env.PNC_URL ?? DEFAULT_SERVER_URL;
  let clientId = ctx.env.PNC_CLIENT_ID;
  let clientSecret = ctx.env.PNC_CLIENT_SECRET;
  if (ctx.values.credentials !== undefined) {
    let text: string;
    try {
      text = await readFile(ctx.values.credentials, 'utf8');
    } catch (error) {
      throw appError(
        'client.credentials',
        `cannot read ${ctx.values.credentials}: ${(error as Error).message}`,
      );
    }
    if (text.length > MAX_CREDENTIALS_FILE_BYTES) {
      throw appError('client.credentials', `${ctx.values.credentials} is too large for a credentials file`);
    }
    let parsed: { clientId?: unknown; clientSecret?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw appError('client.credentials', `${ctx.values.credentials} is not JSON`);
    }
    if (typeof parsed.clientId !== 'string' || typeof parsed.clientSecret !== 'string') {
      throw appError(
        'client.credentials',
        `${ctx.values.credentials} has no string clientId and clientSecret`,
      );
    }
    clientId = parsed.clientId;
    clientSecret = parsed.clientSecret;
  }
  if (clientId === undefined || clientSecret === undefined || clientId === '' || clientSecret === '') {
    throw appError(
      'client.credentials',
      'no client credentials: give --credentials FILE (from `pnc clients add --json`) or set PNC_CLIENT_ID and PNC_CLIENT_SECRET',
    );
  }
  return new ApiClient({ baseUrl, credentials: { clientId, clientSecret }, clock: systemClock });
}
