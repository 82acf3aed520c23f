import { randomBytes } from 'node:crypto';
import { connectDatabase } from '../db/client.ts';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { registerBenchRoutes } from './raw-routes.ts';

// The server under test, in a process of its own (the load generator must not share its event
// loop): the real app from `buildApp`, configured from the environment as `npm start` is
// (NODE_ENV=production, LOG_LEVEL=warn, DATABASE_URL of the bench cluster), plus the routes that
// exist only when benchmarking (raw baseline, hello world, token signing), registered on the same
// instance before it starts listening. It answers the parent with its port once it listens.

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const connection = connectDatabase(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const app = await buildApp({
    config: { ...config, JWT_SECRET: config.JWT_SECRET ?? randomBytes(32).toString('base64url') },
    connection,
  });
  // The raw baseline as the owner (BENCH_RAW_DATABASE_URL): plain SQL, no row-level security.
  const raw = process.env['BENCH_RAW_DATABASE_URL']
    ? connectDatabase(process.env['BENCH_RAW_DATABASE_URL'], { max: config.DB_POOL_SIZE })
    : connection;
  registerBenchRoutes(app, raw.sql);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // The order of server/main.ts: stop taking requests and finish the open ones, then the pool.
    await app.close();
    await connection.close();
    if (raw !== connection) await raw.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());

  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  process.send?.({ listening: port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
