import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { supportsTransactionTimeout } from '../../db/client.ts';
import { asSystem, runInNewScope } from '../../db/scope.ts';
import { connectAsApplication, createTestDatabase, databaseUrl } from '../helpers/database.ts';

// Issue 16's fault suite saw a request wait forever: a transaction whose connection lost track of
// its backend after a backend was killed (postgres.js 3.4.9). The server's pool now carries a time
// limit per transaction (db/client.ts, server/main.ts): PostgreSQL ends the session, the request
// answers 503 and the connection is made again. Background work nobody waits for lifts the limit.

describe('the time limit of a transaction', async () => {
  const owner = await createTestDatabase('liaison_empty');
  const url = databaseUrl(owner.sql.options.database);
  const app = connectAsApplication(owner, 2, { transactionTimeout: '1s' });
  afterAll(async () => {
    await app.close();
    await owner.close();
  });
  const sleepInTransaction = () =>
    app.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_sleep(1.5)`);
      return 'done';
    });

  it('is known to the embedded PostgreSQL (17)', async () => {
    expect(await supportsTransactionTimeout(url)).toBe(true);
  });

  it('ends a request’s transaction that lasts longer, and the pool serves the next one', async () => {
    await expect(runInNewScope(() => asSystem(sleepInTransaction))).rejects.toThrow(
      /CONNECTION_CLOSED|terminat/,
    );
    const [row] = await runInNewScope(() =>
      asSystem(() => app.db.execute<{ ok: number }>(sql`select 1 as ok`)),
    );
    expect(row?.ok).toBe(1);
  });

  it('lets background work nobody waits for run longer', async () => {
    await expect(asSystem(sleepInTransaction)).resolves.toBe('done');
  });
});
