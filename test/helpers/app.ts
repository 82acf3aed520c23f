import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll } from 'vitest';
import type { Database, DatabaseConnection } from '../../db/client.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig, type AppConfig } from '../../server/config.ts';
import type { Mailer } from '../../server/mail/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { connectAsApplication, createTestDatabase, type Template } from './database.ts';

export const DEMO_PASSWORD = 'liaison-demo';
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  app: FastifyInstance;
  /** The database as its owner, for a test's own rows and checks: row-level security does not apply. */
  db: Database;
  /** The app's own connection, as the application role (under row-level security). */
  connection: DatabaseConnection;
  /** The owner's connection behind `db`. */
  owner: DatabaseConnection;
  config: AppConfig;
}

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    // No background jobs unless a test asks for them: their timers would outlive nothing, but
    // every app of every file would poll the queue.
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BACKGROUND_JOBS: 'false' }),
    JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: testDataDir(),
    ...overrides,
  };
}

let dataDir: string | undefined;
/** A data directory of this test process (its outbox, say), never the repository's `./data`. */
function testDataDir(): string {
  return (dataDir ??= mkdtempSync(path.join(tmpdir(), 'liaison-test-data-')));
}

/**
 * Builds the app on a fresh database for one test file and closes both after the file.
 * Call at the top of a `describe` or file; the database is a copy of a template. `mailer`
 * replaces the configuration's (a double whose `send` fails, say); the caller closes it. `now` is
 * the sign-in throttles' clock.
 */
export async function buildTestApp(
  options: { template?: Template; config?: Partial<AppConfig>; mailer?: Mailer; now?: () => Date } = {},
): Promise<TestApp> {
  const owner = await createTestDatabase(options.template);
  const connection = connectAsApplication(owner);
  const config = testConfig(options.config);
  const app = await buildApp({
    config,
    connection,
    logger: process.env.TEST_LOG === '1',
    ...(options.mailer ? { mailer: options.mailer } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  await app.ready();
  afterAll(async () => {
    await app.close();
    await connection.close();
    await owner.close();
  });
  return { app, db: owner.db, connection, owner, config };
}

/**
 * A second instance on the database of `first`, as a second server behind a load balancer would
 * be: its own app and its own connection pool, the same configuration (and JWT secret) unless
 * `config` says otherwise. Closed after the file.
 */
export async function buildSecondApp(
  first: TestApp,
  options: { config?: Partial<AppConfig>; now?: () => Date } = {},
): Promise<TestApp> {
  const connection = connectAsApplication(first.owner);
  const config = { ...first.config, ...options.config };
  const app = await buildApp({
    config,
    connection,
    logger: process.env.TEST_LOG === '1',
    ...(options.now ? { now: options.now } : {}),
  });
  await app.ready();
  afterAll(async () => {
    await app.close();
    await connection.close();
  });
  return { app, db: first.db, connection, owner: first.owner, config };
}

/** Signs in through the API and returns the session token. */
export async function login(app: FastifyInstance, email: string, password = DEMO_PASSWORD): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (response.statusCode !== 200)
    throw new Error(`login of ${email} failed: ${response.statusCode} ${response.body}`);
  return response.json<{ token: string }>().token;
}

/** Sends a request as a signed-in user (Bearer token), like fastify/demo's `injectWithLogin`. */
export async function injectAs(
  app: FastifyInstance,
  token: string,
  options: InjectOptions,
): Promise<LightMyRequestResponse> {
  return app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } });
}

/** The same, carrying the token in the session cookie as the web app does. */
export function cookieHeader(token: string): Record<string, string> {
  return { cookie: `${SESSION_COOKIE}=${token}` };
}
