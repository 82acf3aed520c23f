import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectDatabase, type DatabaseConnection } from '../db/client.ts';
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

  const connection: DatabaseConnection = connectDatabase(databaseUrl, { max: config.DB_POOL_SIZE });
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
    await migrateDatabase(connection.db);
    // Demo data only ever goes into the embedded database, and only once.
    if (embedded) {
      const { loaded } = await loadDemoData(connection.db);
      if (loaded) console.log('Demo data loaded (accounts in README.md, password "liaison-demo").');
    }
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
