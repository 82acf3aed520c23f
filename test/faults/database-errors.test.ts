import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseConnection } from '../../db/client.ts';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../helpers/app.ts';

/**
 * A connection whose every statement fails with `error`, as drizzle reports a driver failure
 * (`Failed query: …` with the driver's error as cause).
 */
function failingConnection(error: Error): DatabaseConnection {
  const failed = new Error('Failed query: select 1', { cause: error });
  const handler: ProxyHandler<() => void> = {
    get: (_target, key) =>
      key === 'then' ? (_resolve: unknown, reject: (reason: unknown) => void) => reject(failed) : chain,
    apply: () => chain,
  };
  const chain: unknown = new Proxy(() => {}, handler);
  return { db: chain, sql: chain, close: async () => {} } as unknown as DatabaseConnection;
}

function driverError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * The ways a statement fails when its backend or PostgreSQL dies: each is a 503 (try again, nothing
 * was written), never a 500. EPIPE came up in test/faults/under-load.test.ts: a statement written
 * to the socket of a backend killed a moment before.
 */
describe('a statement that fails because the database went away', () => {
  const cases: [string, Error][] = [
    ['EPIPE (written to a closed socket)', driverError('EPIPE', 'write EPIPE')],
    ['ECONNRESET', driverError('ECONNRESET', 'read ECONNRESET')],
    ['CONNECTION_CLOSED (postgres.js)', driverError('CONNECTION_CLOSED', 'write CONNECTION_CLOSED')],
    [
      '57P01 (backend terminated)',
      driverError('57P01', 'terminating connection due to administrator command'),
    ],
  ];

  it.each(cases)('%s answers 503 problem+json with Retry-After', async (_name, error) => {
    const app = await buildApp({ config: testConfig(), connection: failingConnection(error), logger: false });
    afterAll(() => app.close());
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'someone@factory.example', password: 'any-password-at-all' },
    });
    expect(response.statusCode, response.body).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});
