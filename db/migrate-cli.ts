// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to the embedded
// PostgreSQL in DATA_DIR when DATABASE_URL is not set.
import { withCliDatabase } from './cli.ts';
import { migrateDatabase } from './migrate.ts';

await withCliDatabase(migrateDatabase);
console.log('Migrations applied.');
