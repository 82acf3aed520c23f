// `npm run db:backup`: writes DATA_DIR/backups/liaison-<timestamp>.dump, a consistent copy of the
// database (format in db/backup.ts). Uses DATABASE_URL when set; otherwise the embedded PostgreSQL
// in DATA_DIR: the one a running Liaison started, or one started for the backup.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { backupDatabase } from './backup.ts';
import { runningEmbeddedUrl, startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts';

const dataDir = process.env.DATA_DIR ?? './data';
const started = Date.now();
let embedded: EmbeddedDatabase | undefined;
let url = process.env.DATABASE_URL ?? (await runningEmbeddedUrl(dataDir));
if (!url) {
  embedded = await startEmbeddedDatabase(dataDir);
  url = embedded.url();
}
const sql = postgres(url, { max: 1, onnotice: () => {} });
try {
  const folder = path.resolve(dataDir, 'backups');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const result = await backupDatabase(sql, path.join(folder, `liaison-${stamp}.dump`));
  console.log(
    `Backup written: ${result.file} (${result.tables} tables, ${result.rows} rows, ${Math.ceil(result.bytes / 1024)} KiB, ${Date.now() - started} ms).`,
  );
} catch (error) {
  console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await sql.end({ timeout: 5 });
  await embedded?.stop();
}
