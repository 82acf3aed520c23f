// `npm run db:restore -- <file> [--force]`: restores a backup made by `npm run db:backup` into
// DATABASE_URL, or into the embedded PostgreSQL in DATA_DIR (Liaison must be stopped). Refuses a
// database that holds tables unless --force (which drops and recreates it); then applies the
// migrations newer than the backup and verifies every plan's audit chain.
import postgres from 'postgres';
import { restoreDatabase, isDatabaseEmpty } from './backup.ts';
import { connectDatabase } from './client.ts';
import { createDatabase, startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts';
import { migrateDatabase } from './migrate.ts';
import { verifyAuditChains } from './queries/audit.ts';

const args = process.argv.slice(2);
const force = args.includes('--force');
const file = args.find((arg) => !arg.startsWith('--'));
if (!file) {
  console.error('Usage: npm run db:restore -- <backup file> [--force]');
  process.exit(2);
}

/** The same server's maintenance database, to drop and recreate the target. */
function maintenanceUrl(url: string): { url: string; database: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.slice(1));
  parsed.pathname = '/postgres';
  return { url: parsed.toString(), database };
}

const started = Date.now();
let embedded: EmbeddedDatabase | undefined;
let url = process.env.DATABASE_URL;
try {
  if (!url) {
    embedded = await startEmbeddedDatabase(process.env.DATA_DIR ?? './data');
    url = embedded.url();
  }
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`${message}${message.includes('already running') ? ' Stop it before restoring.' : ''}`);
  process.exit(1);
}

let sql = postgres(url, { max: 1, onnotice: () => {} });
try {
  if (!(await isDatabaseEmpty(sql))) {
    if (!force) {
      throw new Error('The database is not empty: nothing restored. Add --force to replace it.');
    }
    await sql.end({ timeout: 5 });
    const target = maintenanceUrl(url);
    const maintenance = postgres(target.url, { max: 1, onnotice: () => {} });
    try {
      await maintenance.unsafe(`drop database "${target.database.replace(/"/g, '""')}" with (force)`);
    } finally {
      await maintenance.end({ timeout: 5 });
    }
    await createDatabase(target.url, target.database);
    sql = postgres(url, { max: 1, onnotice: () => {} });
    console.log(`Database ${target.database} dropped and recreated (--force).`);
  }
  const result = await restoreDatabase(sql, file);
  console.log(
    `Restored ${result.rows} rows in ${result.tables} tables from ${file}; migrations: ${result.migrations.inBackup} in the backup, ${result.migrations.appliedAfter} newer.`,
  );
  const connection = connectDatabase(url, { max: 1 });
  try {
    await migrateDatabase(connection.db);
    const { checked, problems } = await verifyAuditChains(connection.db);
    if (problems.length > 0) {
      for (const problem of problems) {
        console.error(
          `Broken chain for plan ${problem.planId ?? '(no plan)'}: first bad row ${problem.id} at position ${problem.seq}: ${problem.reason}`,
        );
      }
      throw new Error('The restored audit log does not verify.');
    }
    console.log(`Audit log intact: ${checked} events checked. Restore done in ${Date.now() - started} ms.`);
  } finally {
    await connection.close();
  }
} catch (error) {
  console.error(`Restore failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await sql.end({ timeout: 5 });
  await embedded?.stop();
}
