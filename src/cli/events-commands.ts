// `pnc events list|retry` (the webhook delivery log, docs/events.md) and `pnc maintain` (pool
// maintenance on demand, docs/maintenance.md). They open the data directory's database directly, so
// they work with or without a running server (SQLite WAL / PostgreSQL): a retried delivery is sent by
// the running server's worker on its next poll.

import { createApp } from '../app/create-app.ts';
import { cryptoRandom, systemClock } from '../app/runtime.ts';
import { appError } from '../errors/catalogue.ts';
import { deliveryViews, retryDelivery } from '../events/delivery-log.ts';
import type { DeliveryStatus } from '../events/repository.ts';
import { noPositionals, formatTable as table, withDatabase } from './command-helpers.ts';
import { CONFIG_OPTION_HELP, CONFIG_OPTIONS, loadCommandConfig } from './config-options.ts';
import { defineCommand } from './registry.ts';

const STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'rejected', 'failed', 'cancelled'];

const eventsListCommand = defineCommand({
  path: ['events', 'list'],
  summary: 'List webhook deliveries with their status (the delivery log)',
  usage: [
    'Usage: pnc events list [--status S] [--event ID] [--limit N] [--log] [--json] [--data-dir DIR]',
    '',
    'Newest first. Status: pending (waiting for its next attempt, or in flight), delivered, rejected',
    '(400 / 409, not retried), failed (retries exhausted), cancelled (endpoint deleted).',
    'With --json: an array of {id, eventId, eventType, endpointId, url, status, attempts, inFlight,',
    'nextAttemptAt, lastHttpStatus, lastError, createdAt, finishedAt} (+ log with --log).',
  ].join('\n'),
  options: {
    status: { type: 'string' },
    event: { type: 'string' },
    limit: { type: 'string' },
    log: { type: 'boolean' },
    json: { type: 'boolean' },
    ...CONFIG_OPTIONS,
  },
  optionHelp: {
    status: `Only deliveries in this status: ${STATUSES.join(', ')}`,
    event: 'Only the deliveries of this eventId',
    limit: 'At most this many (default 100)',
    log: 'Include every attempt (time, HTTP status or error, outcome)',
    json: 'Print a JSON array',
    ...CONFIG_OPTION_HELP,
  },
  async run(ctx) {
    const { values, positionals, stdout } = ctx;
    noPositionals(positionals);
    const status = values.status as DeliveryStatus | undefined;
    if (status !== undefined && !STATUSES.includes(status)) {
      throw appError('cli.usage', `--status must be one of ${STATUSES.join(', ')}`);
    }
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) {
      throw appError('cli.usage', '--limit must be an integer from 1 to 10000');
    }
    const views = await withDatabase(ctx, (db) =>
      deliveryViews(
        db,
        {
          ...(status === undefined ? {} : { status }),
          ...(values.event === undefined ? {} : { eventId: values.event }),
          limit,
        },
        systemClock.now(),
        values.log === true,
      ),
    );
    if (values.json === true) {
      stdout.write(`${JSON.stringify(views, null, 2)}\n`);
      return 0;
    }
    if (views.length === 0) {
      stdout.write('no deliveries\n');
      return 0;
    }
    const rows = [
      ['ID', 'STATUS', 'ATTEMPTS', 'EVENT', 'EVENT ID', 'LAST', 'NEXT', 'URL'],
      ...views.map((v) => [
        String(v.id),
        v.inFlight ? 'in-flight' : v.status,
        String(v.attempts),
        v.eventType,
        v.eventId,
        v.lastHttpStatus !== null ? String(v.lastHttpStatus) : (v.lastError ?? '-'),
        v.nextAttemptAt ?? '-',
        v.url ?? '(endpoint deleted)',
      ]),
    ];
    stdout.write(`${table(rows)}\n`);
    if (values.log === true) {
      for (const v of views) {
        for (const a of v.log ?? []) {
          stdout.write(`  ${v.id} #${a.attempt} ${a.at} ${a.httpStatus ?? a.error ?? ''} ${a.outcome}\n`);
        }
      }
    }
    return 0;
  },
});

const eventsRetryCommand = defineCommand({
  path: ['events', 'retry'],
  summary: 'Send a webhook delivery again now, with a fresh retry budget',
  usage: [
    'Usage: pnc events retry ID [--data-dir DIR] [--config FILE]',
    '',
    'ID is a delivery id from `pnc events list`. The delivery becomes due now with its retries reset;',
    'a running `pnc serve` sends it (same body, same eventId) on its next poll. Works for failed,',
    'rejected, delivered and pending deliveries; not when the endpoint was deleted.',
  ].join('\n'),
  options: { ...CONFIG_OPTIONS },
  optionHelp: { ...CONFIG_OPTION_HELP },
  async run(ctx) {
    const { positionals, stdout } = ctx;
    if (positionals.length !== 1 || !/^[1-9][0-9]{0,15}$/.test(positionals[0] as string)) {
      throw appError('cli.usage', 'give exactly one delivery ID (a positive integer)');
    }
    const id = Number(positionals[0]);
    await withDatabase(ctx, (db) => retryDelivery(db, id, systemClock, 'cli'));
    stdout.write(`delivery ${id} is due now; a running pnc serve sends it on its next poll\n`);
    return 0;
  },
});

const maintainCommand = defineCommand({
  path: ['maintain'],
  summary: 'Remove expired and revoked certificates and their contracts from the pools, now',
  usage: [
    'Usage: pnc maintain [--json] [--data-dir DIR] [--config FILE]',
    '',
    'What `pnc serve` does every PNC_MAINTENANCE_INTERVAL seconds: expired and revoked roots,',
    'provisioning certificates and contracts leave the pools with what depends on them; the webhook',
    'events that follow are queued (a running pnc serve delivers them) and every removal is audited.',
  ].join('\n'),
  options: { json: { type: 'boolean' }, ...CONFIG_OPTIONS },
  optionHelp: { json: 'Print the report as JSON', ...CONFIG_OPTION_HELP },
  async run(ctx) {
    const { values, positionals, stdout, stderr, env } = ctx;
    noPositionals(positionals);
    const config = loadCommandConfig(ctx, env.PNC_LOG_LEVEL === undefined ? { logLevel: 'warn' } : {});
    // The composition root without listen(): the same pools and event sink as pnc serve, no server.
    const app = await createApp({ config, clock: systemClock, random: cryptoRandom, logDestination: stderr });
    let report: Awaited<ReturnType<typeof app.maintenance.run>>;
    try {
      report = await app.maintenance.run('cli');
    } finally {
      await app.close();
    }
    if (values.json === true) stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      stdout.write(
        `removed ${report.roots} roots, ${report.provisioningCertificates} provisioning certificates, ` +
          `${report.contracts} contracts; ${report.events} events queued; ` +
          `${report.prunedEvents} finished events older than the retention removed` +
          (report.failures > 0 ? `; ${report.failures} removals failed (see the log)` : '') +
          '\n',
      );
    }
    return report.failures > 0 ? 1 : 0;
  },
});

export const eventsCommands = [eventsListCommand, eventsRetryCommand, maintainCommand];
