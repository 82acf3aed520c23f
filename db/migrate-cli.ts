// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to the embedded
// PostgreSQL in DATA_DIR when DATABASE_URL is not set.
import { connectDatabase } from './client.ts';
import { startEmbeddedDatabase } from './embedded.ts';
import { migrateDatabase } from './migrate.ts';

const embedded = process.env.DATABASE_URL
  ? undefined
  : await startEmbeddedDatabase(process.env.DATA_DIR ?? './data');
const url = process.env.DATABASE_URL ?? embedded?.url();
if (!url) throw new Error('no database');
const connection = connectDatabase(url, { max: 1 });
try {
  await migrateDatabase(connection.db);
  console.log('Migrations applied.');
} finally {
  await connection.close();
  await embedded?.stop();
}
