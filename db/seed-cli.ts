// `npm run db:seed`: migrates the database named by DATABASE_URL and loads the demo data once.
import { connectDatabase } from './client.ts';
import { migrateDatabase } from './migrate.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, loadDemoData } from './seed/demo.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    'DATABASE_URL is not set. Example: DATABASE_URL=postgres://user:password@localhost:5432/liaison npm run db:seed',
  );
  process.exit(1);
}

const connection = connectDatabase(url, { max: 2 });
try {
  await migrateDatabase(connection.db);
  console.log('Migrations applied.');
  const { loaded } = await loadDemoData(connection.db);
  if (!loaded) {
    console.log('Demo data already present (lea.lead@demo.example exists): nothing written.');
  } else {
    console.log(`Demo data loaded. Every demo account signs in with the password "${DEMO_PASSWORD}":`);
    for (const account of DEMO_ACCOUNTS) console.log(`  ${account.email.padEnd(28)} ${account.role}`);
  }
} catch (error) {
  console.error('Seeding failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await connection.close();
}
