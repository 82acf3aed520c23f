// Writes the OpenAPI document the app serves at /api/openapi.json to a file, for `redocly lint`
// (`npm run openapi:lint`). Builds the app without a database: postgres.js connects on the first
// query, and building the routes and the document runs none (the URL points at a closed port, so
// a query would fail at once instead of reaching some database).
// Run: node --import tsx scripts/openapi.ts [output file, default test-results/openapi.json]
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { connectDatabase } from '../db/client.ts';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';

const output = resolve(process.argv[2] ?? 'test-results/openapi.json');

const connection = connectDatabase('postgres://openapi@127.0.0.1:1/openapi', { max: 1 });
const config = {
  ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BACKGROUND_JOBS: 'false' }),
  JWT_SECRET: randomBytes(32).toString('hex'),
};
const app = await buildApp({ config, connection, logger: false });
try {
  await app.ready();
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, `${JSON.stringify(app.swagger(), null, 2)}\n`);
  console.log(`OpenAPI document written to ${output}`);
} finally {
  await app.close();
  await connection.close();
}
