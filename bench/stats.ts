import type postgres from 'postgres';

// SQL statements per request, from pg_stat_statements (loaded with shared_preload_libraries on
// the bench cluster; track = top, so a function's inner statements are not counted, and utility
// statements, BEGIN and COMMIT included, are). Read from the `postgres` database, filtered on the
// `liaison` database: the bench's own queries never count.

export type StatementCategory = 'session' | 'facts' | 'content' | 'audit' | 'transaction';

export interface StatementUse {
  category: StatementCategory;
  /** The normalized statement, shortened. */
  query: string;
  perRequest: number;
  /** Execution + planning time per request, in milliseconds. */
  msPerRequest: number;
  planMsPerRequest: number;
  rowsPerRequest: number;
}

export interface StatementProfile {
  requests: number;
  perRequest: number;
  byCategory: Record<StatementCategory, number>;
  /** Statements per request other than the audit event and transaction control. */
  besidesAudit: number;
  dbMsPerRequest: number;
  planMsPerRequest: number;
  /** Rows inserted into audit_events per request. */
  auditRowsPerRequest: number;
  statements: StatementUse[];
}

export function classify(query: string): StatementCategory {
  const q = query.toLowerCase();
  if (/^\s*(begin|commit|rollback|savepoint|release|start transaction)\b/.test(q)) return 'transaction';
  if (q.includes('"sessions"') || /\bsessions\b/.test(q)) return 'session';
  if (
    q.includes('pg_advisory_xact_lock') ||
    (q.includes('audit_events') && (q.includes('insert') || q.includes('"hash"')))
  )
    return 'audit';
  if (q.includes('json_agg') && q.includes('grants')) return 'facts';
  return 'content';
}

export async function resetStatements(sql: postgres.Sql): Promise<void> {
  await sql`select pg_stat_statements_reset()`;
}

export async function readStatements(sql: postgres.Sql, requests: number): Promise<StatementProfile> {
  const all = await sql<
    Array<{ query: string; calls: number; rows: number; exec_ms: number; plan_ms: number }>
  >`
    select s.query, s.calls::float8 as calls, s.rows::float8 as rows,
           s.total_exec_time as exec_ms, s.total_plan_time as plan_ms
      from pg_stat_statements s join pg_database d on d.oid = s.dbid
     where d.datname = 'liaison'
     order by s.calls desc`;
  const rows = all.filter((row) => !row.query.includes('pg_catalog.pg_type'));
  const begins = rows
    .filter((row) => /^\s*(begin|start transaction)\b/i.test(row.query))
    .reduce((n, r) => n + r.calls, 0);
  const ends = rows.filter((row) => /^\s*(commit|rollback)\b/i.test(row.query));
  const ended = ends.reduce((n, r) => n + r.calls, 0);
  if (ended < begins) {
    const commit = ends.find((row) => /^\s*commit\b/i.test(row.query));
    if (commit) commit.calls += begins - ended;
    else rows.push({ query: 'commit', calls: begins - ended, rows: 0, exec_ms: 0, plan_ms: 0 });
  }
  rows.sort((a, b) => b.calls - a.calls);
  const per = (value: number) => (requests > 0 ? value / requests : Number.NaN);
  const statements: StatementUse[] = rows.map((row) => ({
    category: classify(row.query),
    query: row.query.replace(/\s+/g, ' ').trim().slice(0, 160),
    perRequest: round(per(row.calls)),
    msPerRequest: round(per(row.exec_ms + row.plan_ms), 3),
    planMsPerRequest: round(per(row.plan_ms), 3),
    rowsPerRequest: round(per(row.rows)),
  }));
  const byCategory: Record<StatementCategory, number> = {
    session: 0,
    facts: 0,
    content: 0,
    audit: 0,
    transaction: 0,
  };
  for (const row of rows) byCategory[classify(row.query)] += row.calls;
  for (const key of Object.keys(byCategory) as StatementCategory[])
    byCategory[key] = round(per(byCategory[key]));
  const total = rows.reduce((sum, row) => sum + row.calls, 0);
  const auditRows = rows
    .filter((row) => /insert into "?audit_events"?/i.test(row.query))
    .reduce((sum, row) => sum + row.rows, 0);
  return {
    requests,
    perRequest: round(per(total)),
    byCategory,
    besidesAudit: round(byCategory.session + byCategory.facts + byCategory.content),
    dbMsPerRequest: round(per(rows.reduce((sum, row) => sum + row.exec_ms + row.plan_ms, 0)), 3),
    planMsPerRequest: round(per(rows.reduce((sum, row) => sum + row.plan_ms, 0)), 3),
    auditRowsPerRequest: round(per(auditRows)),
    statements: statements.filter((s) => s.perRequest >= 0.01),
  };
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
