import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type postgres from 'postgres';
import type { Database } from './client.ts';
import { ensureJobQueueSchema } from './job-queue.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Applies the committed drizzle-kit migrations that this database has not seen yet, then creates
 * or migrates the background jobs' schema (db/job-queue.ts), both as the connection's role: the owner.
 */
export async function migrateDatabase(db: Database): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  await ensureJobQueueSchema((db as unknown as { $client: postgres.Sql }).$client);
}
