import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { Database } from '../../db/client.ts';
import { MIGRATIONS_FOLDER } from '../../db/migrate.ts';

interface Journal {
  entries: Array<{ idx: number; tag: string; when: number }>;
}

/**
 * Migrates a database through the migration `lastTag` and no further: the committed folder copied
 * with a journal that ends there. A later `migrateDatabase` then runs the rest, on the rows a test
 * wrote in between (data written before a migration, as it meets a real database).
 */
export async function migrateThrough(db: Database, lastTag: string): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'liaison-migrations-'));
  try {
    await cp(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalPath = path.join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Journal;
    const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
    if (last < 0) throw new Error(`no migration ${lastTag}`);
    journal.entries = journal.entries.slice(0, last + 1);
    await writeFile(journalPath, JSON.stringify(journal));
    await migrate(db, { migrationsFolder: folder });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
