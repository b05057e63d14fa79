// Loading the configuration: JSON file < environment < command-line flags, every field validated,
// every problem reported at once (AppError `config.invalid`), the result frozen.
//
// Secrets (DATABASE_URL) never appear in messages, and redactConfig masks them for printing and logs.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { appError } from '../errors/catalogue.ts';
import {
  type AppConfig,
  CONFIG_FIELDS,
  type ConfigField,
  type ConfigKey,
  type ConfigOrigin,
  DEFAULT_DATA_DIR,
  DEFAULTS,
  defaultPublicUrl,
} from './fields.ts';

/** Values from the command line; strings are parsed like environment variables. */
export type ConfigOverrides = { readonly [K in ConfigKey]?: string | number | boolean | undefined };

export interface LoadConfigOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Path of a JSON configuration file. When absent, the environment variable PNC_CONFIG names it. */
  readonly file?: string | undefined;
  /** Command-line values: the highest precedence. */
  readonly overrides?: ConfigOverrides;
  /** Directory that a relative dataDir is resolved against (default: the process working directory). */
  readonly cwd?: string;
}

export const CONFIG_FILE_ENV = 'PNC_CONFIG';

function describeOrigin(origin: ConfigOrigin): string {
  switch (origin.kind) {
    case 'file':
      return `config file ${origin.path}`;
    case 'env':
      return `environment ${origin.name}`;
    case 'flag':
      return `--${origin.name}`;
  }
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw appError('config.file', `cannot read config file ${path}: ${code}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // SyntaxError messages quote at most a short excerpt around the position; acceptable for a file
    // the operator owns, but keep only the first line.
    const reason = (error as Error).message.split('\n')[0];
    throw appError('config.file', `config file ${path} is not valid JSON: ${reason}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw appError('config.file', `config file ${path} must contain a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

interface Candidate {
  readonly raw: unknown;
  readonly text: boolean;
  readonly origin: ConfigOrigin;
}

/** The values given for one field, lowest precedence first. */
function candidatesFor(
  field: ConfigField,
  file: { path: string; values: Record<string, unknown> } | undefined,
  env: Readonly<Record<string, string | undefined>>,
  overrides: ConfigOverrides,
): Candidate[] {
  const out: Candidate[] = [];
  if (file !== undefined && Object.hasOwn(file.values, field.key)) {
    out.push({ raw: file.values[field.key], text: false, origin: { kind: 'file', path: file.path } });
  }
  // An empty variable counts as unset (`DATABASE_URL=` in a compose file means "none").
  const fromEnv = env[field.env];
  if (fromEnv !== undefined && fromEnv !== '') {
    out.push({ raw: fromEnv, text: true, origin: { kind: 'env', name: field.env } });
  }
  const fromFlag = overrides[field.key];
  if (fromFlag !== undefined) {
    out.push({
      raw: fromFlag,
      text: typeof fromFlag === 'string',
      origin: { kind: 'flag', name: field.flag ?? field.key },
    });
  }
  return out;
}

/**
 * Reads, validates and freezes the configuration. Every value given is validated, also one that a
 * higher-precedence source overrides, so a broken setting cannot lie in wait. Throws AppError
 * `config.file` when the file cannot be read or parsed, `config.invalid` listing every problem.
 */
export function loadConfig(options: LoadConfigOptions): AppConfig {
  const env = options.env;
  const filePath = options.file ?? (env[CONFIG_FILE_ENV] === '' ? undefined : env[CONFIG_FILE_ENV]);
  const file = filePath === undefined ? undefined : { path: filePath, values: readConfigFile(filePath) };
  const overrides = options.overrides ?? {};
  const problems: string[] = [];

  if (file !== undefined) {
    const known = new Set<string>(CONFIG_FIELDS.map((f) => f.key));
    for (const key of Object.keys(file.values)) {
      if (!known.has(key)) problems.push(`config file ${file.path}: unknown key ${JSON.stringify(key)}`);
    }
  }
  for (const key of Object.keys(overrides)) {
    if (!CONFIG_FIELDS.some((f) => f.key === key)) problems.push(`unknown override ${JSON.stringify(key)}`);
  }

  const chosen: Partial<Record<ConfigKey, unknown>> = {};
  for (const field of CONFIG_FIELDS as readonly ConfigField[]) {
    for (const candidate of candidatesFor(field, file, env, overrides)) {
      const result = field.parse(candidate.raw, candidate.text);
      if (result.ok) chosen[field.key] = result.value;
      else problems.push(`${field.key} (${describeOrigin(candidate.origin)}): ${result.problem}`);
    }
  }

  if (problems.length > 0) {
    const list = problems.map((p) => `  - ${p}`).join('\n');
    throw appError(
      'config.invalid',
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${list}`,
    );
  }

  const port = (chosen.port as number | undefined) ?? DEFAULTS.port;
  const config: AppConfig = {
    ...DEFAULTS,
    ...(chosen as Partial<AppConfig>),
    port,
    dataDir: resolve(
      options.cwd ?? process.cwd(),
      (chosen.dataDir as string | undefined) ?? DEFAULT_DATA_DIR,
    ),
    publicUrl: (chosen.publicUrl as string | undefined) ?? defaultPublicUrl(port),
  };
  return Object.freeze(config);
}

/**
 * Masks a secret for display: a URL keeps its scheme, user, host and path, with the password and any
 * password-like query parameter (`?password=`, `sslpassword=`, ...) replaced by `***`; anything else
 * is hidden entirely.
 */
export function maskSecret(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return '***';
  }
  if (url.host === '') return '***';
  if (url.password !== '') url.password = '***';
  for (const name of [...url.searchParams.keys()]) {
    if (/pass|secret|key|token/i.test(name)) url.searchParams.set(name, '***');
  }
  return url.href;
}

/**
 * The configuration as a JSON-ready object with secrets masked (`--print-config`, start-up log).
 * Unset optional fields are null so every field is visible.
 */
export function redactConfig(config: AppConfig): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const field of CONFIG_FIELDS as readonly ConfigField[]) {
    const value = config[field.key];
    if (value === undefined) out[field.key] = null;
    else if (field.secret) out[field.key] = typeof value === 'string' ? maskSecret(value) : '***';
    else out[field.key] = value;
  }
  return out;
}
