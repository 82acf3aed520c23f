import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APPLICATION_ROLE, ensureApplicationRole } from '../db/app-role.ts';
import { connectDatabase, supportsTransactionTimeout, type DatabaseConnection } from '../db/client.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { loadDemoData } from '../db/seed/demo.ts';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { WEB_BUILD_DIR } from './plugins/web.ts';
import { resolveJwtSecret } from './secrets.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** The web app is built by `npm install`; build it here if that step was skipped. */
function ensureWebBuild(): void {
  if (existsSync(`${WEB_BUILD_DIR}/index.html`)) return;
  console.log('Building the web app (first start)…');
  const result = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'],
    {
      cwd: projectRoot,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) console.warn('The web app could not be built; the API still runs.');
}

/** The application role's password in the embedded default, made once and kept in DATA_DIR. */
async function applicationRolePassword(dataDir: string): Promise<string> {
  const file = path.resolve(dataDir, 'app-db-password');
  if (!existsSync(file)) await writeFile(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return (await readFile(file, 'utf8')).trim();
}

/** Migrates an external database: as its owner when DATABASE_OWNER_URL is set, else as DATABASE_URL. */
async function migrateExternalDatabase(ownerUrl: string | undefined, connection: DatabaseConnection) {
  if (!ownerUrl) return migrateDatabase(connection.db);
  const owner = connectDatabase(ownerUrl, { max: 1 });
  try {
    await migrateDatabase(owner.db);
  } finally {
    await owner.close();
  }
}

function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}

/**
 * The longest a request's transaction may last before PostgreSQL ends it and the request answers
 * 503 (db/client.ts). The benchmark's slowest whole request at size L, 50 connections at once, has
 * a p99 of 4.4 s (bench/RESULTS.md, S1), waiting for a pooled connection included; the fault
 * suite expects every write answered within 12 s.
 */
const REQUEST_TRANSACTION_TIMEOUT = '8s';

async function main(): Promise<void> {
  const config = loadConfig();
  ensureWebBuild();

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase(config.DATA_DIR, {
      log: (line) => {
        if (config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace') console.log(`[postgres] ${line}`);
      },
    });
    databaseUrl = embedded.url();
  }

  // The embedded default migrates and loads demo data as the owner, then serves as the
  // application role, which owns no table (db/app-role.ts); an external database serves as
  // DATABASE_URL says (README, "Running it for real").
  if (embedded) {
    const owner = connectDatabase(databaseUrl, { max: 1 });
    try {
      await migrateDatabase(owner.db);
      const { loaded } = await loadDemoData(owner.db);
      if (loaded) console.log('Demo data loaded (accounts in README.md, password "liaison-demo").');
      const password = await applicationRolePassword(config.DATA_DIR);
      await ensureApplicationRole(owner.db, { password });
      databaseUrl = withCredentials(databaseUrl, APPLICATION_ROLE, password);
    } catch (error) {
      await owner.close();
      await embedded.stop();
      throw error;
    }
    await owner.close();
  }

  const connection: DatabaseConnection = connectDatabase(databaseUrl, {
    max: config.DB_POOL_SIZE,
    ...((await supportsTransactionTimeout(databaseUrl))
      ? { transactionTimeout: REQUEST_TRANSACTION_TIMEOUT }
      : {}),
  });
  let stopping = false;
  const stop = async (signal: string, app?: Awaited<ReturnType<typeof buildApp>>) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down…`);
    try {
      await app?.close();
      await connection.close();
    } finally {
      await embedded?.stop();
      console.log('Liaison stopped.');
    }
  };

  try {
    // The embedded database was migrated above; demo data only ever goes there, and only once.
    if (!embedded) await migrateExternalDatabase(config.DATABASE_OWNER_URL, connection);
    const app = await buildApp({
      config: { ...config, JWT_SECRET: await resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR) },
      connection,
      databaseState: embedded?.state,
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        stop(signal, app).then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(error);
            process.exit(1);
          },
        );
      });
    }
    await app.listen({ host: config.HOST, port: config.PORT });
    console.log(`Liaison is running at http://${config.HOST}:${config.PORT}`);
  } catch (error) {
    await stop('startup failure').catch(() => {});
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
