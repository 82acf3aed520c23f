import { sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { JOB_SCHEMA } from './job-queue.ts';

// The application's own database role (issue 16, finding 9): it reads and writes rows, owns no
// table, and so can neither disable the append-only triggers nor alter the schema; the history
// tables are insert-only for it as a second wall behind the triggers. Migrations and demo data run
// as the owner; the server then connects as this role.

export const APPLICATION_ROLE = 'liaison_app';

/** The tables the application only ever appends to (0001_append_only.sql and later). */
const APPEND_ONLY_TABLES = [
  'audit_events',
  'grants',
  'grant_revocations',
  'visibility_decisions',
  'lead_handovers',
  'plan_reopenings',
  'action_entries',
];

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const PASSWORD = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * Creates (or updates) the application role with this password and gives it exactly what the
 * server needs in the current database: rows of every table, insert-only on the history tables,
 * the search functions. Run as the owner after migrations, at every start (new tables included).
 */
export async function ensureApplicationRole(
  db: Executor,
  { role = APPLICATION_ROLE, password }: { role?: string; password: string },
): Promise<void> {
  if (!IDENTIFIER.test(role)) throw new Error(`not a role name: ${role}`);
  if (!PASSWORD.test(password))
    throw new Error('the application role password must be 16+ base64url characters');
  const exists = await db.execute(sql`select 1 from pg_roles where rolname = ${role}`);
  const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${password}'`;
  await db.execute(sql.raw(`${exists.length > 0 ? 'ALTER' : 'CREATE'} ROLE ${role} WITH ${attributes}`));
  const [{ database } = { database: '' }] = await db.execute<{ database: string }>(
    sql`select current_database() as database`,
  );
  if (!IDENTIFIER.test(database)) throw new Error(`unexpected database name: ${database}`);
  for (const statement of [
    `GRANT CONNECT ON DATABASE ${database} TO ${role}`,
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${role}`,
    `REVOKE UPDATE, DELETE, TRUNCATE ON ${APPEND_ONLY_TABLES.join(', ')} FROM ${role}`,
  ])
    await db.execute(sql.raw(statement));
  // The background jobs' rows (db/job-queue.ts): pg-boss's schema and queue tables are the owner's,
  // made with the migrations; the application sends, fetches and completes jobs, and creates nothing.
  const [jobs] = await db.execute<{ present: boolean }>(
    sql`select exists (select 1 from pg_namespace where nspname = ${JOB_SCHEMA}) as present`,
  );
  if (jobs?.present)
    for (const statement of [
      `GRANT USAGE ON SCHEMA ${JOB_SCHEMA} TO ${role}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO ${role}`,
      `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${JOB_SCHEMA} TO ${role}`,
    ])
      await db.execute(sql.raw(statement));
}
