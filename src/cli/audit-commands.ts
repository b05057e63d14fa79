// `pnc audit list`: the audit trail of every certificate and pool change, for the operator
// (DEVELOPERS.md "audit log of every certificate and pool change"; docs/audit.md). Two append-only
// tables hold it — the CA's ca_audit_log (issuance, revocation, CA changes; src/ca) and audit_log
// (RCP, PCP, CPS, CCP, events, maintenance; src/audit) — each written in the transaction of its
// change. This command reads both from the data directory's database (with or without a running
// server) and shows them as one list, newest first.

import { listAudit } from '../audit/audit-log.ts';
import { SqlCaRepository } from '../ca/repository.ts';
import { appError } from '../errors/catalogue.ts';
import type { Database } from '../storage/types.ts';
import { formatTable, noPositionals, withDatabase } from './command-helpers.ts';
import { CONFIG_OPTION_HELP, CONFIG_OPTIONS } from './config-options.ts';
import { defineCommand } from './registry.ts';

/** Components writing audit records: the CA (its own table) and the pools and services. */
export const AUDIT_COMPONENTS = ['ca', 'rcp', 'pcp', 'cps', 'ccp', 'events', 'maintenance'] as const;
type AuditComponent = (typeof AUDIT_COMPONENTS)[number];

export interface AuditView {
  readonly at: string;
  readonly component: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly details: Record<string, unknown>;
}

const MAX_DETAILS_CELL = 100;

const auditListCommand = defineCommand({
  path: ['audit', 'list'],
  summary: 'List the audit trail of certificate and pool changes, newest first',
  usage: [
    'Usage: pnc audit list [--component C] [--subject S] [--limit N] [--json] [--data-dir DIR]',
    '',
    'Every issuance, revocation and CA change (component ca) and every change of the pools and',
    `services (${AUDIT_COMPONENTS.slice(1).join(', ')}), with time, actor, action, subject and details.`,
    'Subjects: CA and certificate ids (ca), root fingerprints (rcp), PCIDs, EMAIDs, endpoint ids.',
    'With --json: an array of {at, component, actor, action, subject, details}.',
  ].join('\n'),
  options: {
    component: { type: 'string' },
    subject: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    ...CONFIG_OPTIONS,
  },
  optionHelp: {
    component: `Only records of this component: ${AUDIT_COMPONENTS.join(', ')}`,
    subject: 'Only records about this subject (exact match)',
    limit: 'At most this many records (default 100, at most 10000)',
    json: 'Print a JSON array',
    ...CONFIG_OPTION_HELP,
  },
  async run(ctx) {
    const { values, positionals, stdout } = ctx;
    noPositionals(positionals);
    const component = values.component as string | undefined;
    if (component !== undefined && !(AUDIT_COMPONENTS as readonly string[]).includes(component)) {
      throw appError('cli.usage', `--component must be one of ${AUDIT_COMPONENTS.join(', ')}`);
    }
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) {
      throw appError('cli.usage', '--limit must be an integer from 1 to 10000');
    }
    const subject = values.subject as string | undefined;
    const views = await withDatabase(ctx, (db) =>
      readAudit(db, {
        ...(component === undefined ? {} : { component: component as AuditComponent }),
        ...(subject === undefined ? {} : { subject }),
        limit,
      }),
    );
    if (values.json === true) {
      stdout.write(`${JSON.stringify(views, null, 2)}\n`);
      return 0;
    }
    if (views.length === 0) {
      stdout.write('no audit records\n');
      return 0;
    }
    const rows = [
      ['AT', 'COMPONENT', 'ACTOR', 'ACTION', 'SUBJECT', 'DETAILS'],
      ...views.map((v) => {
        const details = JSON.stringify(v.details);
        return [
          v.at,
          v.component,
          v.actor,
          v.action,
          v.subject,
          details.length > MAX_DETAILS_CELL ? `${details.slice(0, MAX_DETAILS_CELL - 1)}…` : details,
        ];
      }),
    ];
    stdout.write(`${formatTable(rows)}\n`);
    return 0;
  },
});

/**
 * The newest `limit` records of both audit tables (or of one component), merged by time, newest
 * first; records of the same millisecond keep each table's own order.
 */
export async function readAudit(
  db: Database,
  query: { readonly component?: AuditComponent; readonly subject?: string; readonly limit: number },
): Promise<AuditView[]> {
  const fromCa =
    query.component === undefined || query.component === 'ca'
      ? (
          await new SqlCaRepository(db).listAudit({
            ...(query.subject === undefined ? {} : { subject: query.subject }),
            newestFirst: true,
            limit: query.limit,
          })
        ).map((r) => ({
          at: r.at.toISOString(),
          component: 'ca',
          actor: r.actor,
          action: r.action,
          subject: r.subject,
          details: r.details,
        }))
      : [];
  const fromPools =
    query.component === 'ca'
      ? []
      : (
          await listAudit(db, {
            ...(query.component === undefined ? {} : { component: query.component }),
            ...(query.subject === undefined ? {} : { subject: query.subject }),
            limit: query.limit,
          })
        ).map((r) => ({
          at: r.at.toISOString(),
          component: r.component,
          actor: r.actor,
          action: r.action,
          subject: r.subject,
          details: r.details as Record<string, unknown>,
        }));
  // Both lists are newest first: merge them (ISO strings of one format sort as times).
  const merged: AuditView[] = [];
  let i = 0;
  let j = 0;
  while (merged.length < query.limit && (i < fromCa.length || j < fromPools.length)) {
    const a = fromCa[i];
    const b = fromPools[j];
    if (b === undefined || (a !== undefined && a.at >= b.at)) {
      merged.push(a as AuditView);
      i++;
    } else {
      merged.push(b);
      j++;
    }
  }
  return merged;
}

export const auditCommands = [auditListCommand];
