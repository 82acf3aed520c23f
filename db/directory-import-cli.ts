// `npm run directory:import -- <file>`: imports Open Referral HSDS data into the partner directory,
// from a CSV datapackage (its datapackage.json or its folder) or an HSDS JSON file. Idempotent:
// an upsert by the source's ids. Every skipped row is printed with its file, line and reason. A
// fatal error (unreadable file, missing columns, malformed JSON) imports nothing and exits 1.
// Uses DATABASE_URL, or the embedded PostgreSQL in DATA_DIR when it is not set.
import { withCliDatabase } from './cli.ts';
import { DirectoryImportError, formatImportReport, importDirectory } from './directory/import.ts';
import { migrateDatabase } from './migrate.ts';

const input = process.argv[2];
if (!input || process.argv.length > 3) {
  console.error('Usage: npm run directory:import -- <datapackage.json | folder | organizations.json>');
  process.exit(2);
}

try {
  const report = await withCliDatabase(async (db) => {
    await migrateDatabase(db);
    return importDirectory(db, input);
  });
  console.log(formatImportReport(input, report));
} catch (error) {
  if (!(error instanceof DirectoryImportError)) throw error;
  console.error(`Nothing was imported: ${error.message}`);
  process.exitCode = 1;
}
