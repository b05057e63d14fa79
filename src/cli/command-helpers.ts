// Helpers shared by the `pnc` commands that work on the data directory directly (no running server
// needed): the actor recorded in the audit log, positional-argument checks, and opening the migrated
// database or the certificate authority for the length of one command.

import { userInfo } from 'node:os';
import { type OpenedCertificateAuthority, openCertificateAuthority } from '../app/certificate-authority.ts';
import { openMigratedDatabase } from '../app/database.ts';
import { cryptoRandom, systemClock } from '../app/runtime.ts';
import type { AppConfig } from '../config/fields.ts';
import { appError } from '../errors/catalogue.ts';
import { EventOutbox } from '../events/outbox.ts';
import { createRcp, type Rcp } from '../rcp/index.ts';
import type { Database } from '../storage/types.ts';
import { type ConfigOptionValues, loadCommandConfig } from './config-options.ts';
import type { CliWriter } from './registry.ts';

/** What a data-directory command needs of its context: the config options, environment and stderr. */
export interface DataDirCommandContext {
  readonly values: ConfigOptionValues;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stderr: CliWriter;
}

/** The actor of CLI changes in the audit log: `cli:<user name>` (or `cli` when unknown). */
export function actor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Refuses any positional argument (cli.usage). */
export function noPositionals(positionals: readonly string[]): void {
  if (positionals.length > 0) throw appError('cli.usage', `unexpected argument '${positionals[0]}'`);
}

/** The one positional argument, or cli.usage `give exactly one <what>`. */
export function oneArgument(positionals: readonly string[], what: string): string {
  if (positionals.length !== 1) throw appError('cli.usage', `give exactly one ${what}`);
  return positionals[0] as string;
}

/** Logger warnings written to the command's stderr as `pnc: warning: …`. */
function warnOnStderr(stderr: CliWriter): (details: object, message: string) => void {
  return (_details, message) => stderr.write(`pnc: warning: ${message}\n`);
}

/** Runs `fn` on the data directory's migrated database (the command's configuration), then closes it. */
export async function withDatabase<T>(
  ctx: DataDirCommandContext,
  fn: (db: Database) => Promise<T>,
): Promise<T> {
  const config = loadCommandConfig(ctx);
  const db = await openMigratedDatabase(config, {
    clock: systemClock,
    logger: { warn: warnOnStderr(ctx.stderr) },
  });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Runs `fn` with the certificate authority of `config` (database and key store), then closes it. */
export async function withCa<T>(
  config: AppConfig,
  ctx: DataDirCommandContext,
  fn: (opened: OpenedCertificateAuthority) => Promise<T>,
): Promise<T> {
  const opened = await openCertificateAuthority(config, {
    clock: systemClock,
    random: cryptoRandom,
    logger: { info: () => undefined, warn: warnOnStderr(ctx.stderr) },
  });
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}

/**
 * The Root Certificate Pool on an opened certificate authority. Its events go to the outbox table; a
 * running server's delivery worker sends them.
 */
export function rcpOf(opened: Pick<OpenedCertificateAuthority, 'db' | 'ca' | 'keyStore'>): Rcp {
  return createRcp({
    db: opened.db,
    clock: systemClock,
    random: cryptoRandom,
    ca: opened.ca,
    keyStore: opened.keyStore,
    events: new EventOutbox({ clock: systemClock, random: cryptoRandom }),
  });
}

/** Rows as left-aligned columns two spaces apart (the first row is the header); no trailing blanks. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i] as number) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
