import { connectDatabase, type Database } from './client.ts';
import { startEmbeddedDatabase } from './embedded.ts';

/**
 * Runs a command-line task on DATABASE_URL, or on the embedded PostgreSQL in DATA_DIR when it is
 * not set (started for the task and stopped after it).
 */
export async function withCliDatabase<T>(task: (db: Database) => Promise<T>): Promise<T> {
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase(process.env.DATA_DIR ?? './data');
  const url = process.env.DATABASE_URL ?? embedded?.url();
  if (!url) throw new Error('No database: set DATABASE_URL or DATA_DIR.');
  const connection = connectDatabase(url, { max: 1 });
  try {
    return await task(connection.db);
  } finally {
    await connection.close();
    await embedded?.stop();
  }
}
