import { sql } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { createPlan } from '../factories/plans.ts';
import { buildTestApp, testConfig } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { as, signedInAs } from '../helpers/session.ts';

/** Rows of a table of this plan, to prove a refused write changed nothing. */
async function count(db: Awaited<ReturnType<typeof buildTestApp>>['db'], table: string, planId: string) {
  const [row] = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from ${sql.identifier(table)} where plan_id = ${planId}`,
  );
  return row?.n ?? -1;
}

describe('one database-error mapping for every route', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const { plan, lead } = await createPlan(db, { phase: 'goals' });
  const leadApi = as(app, await signedInAs(app, lead));

  it('answers 400 problem+json to a NUL character the database cannot store, and writes nothing', async () => {
    const before = {
      goals: await count(db, 'goals', plan.id),
      audit: await count(db, 'audit_events', plan.id),
    };
    const response = await leadApi.post(`/api/plans/${plan.id}/goals`, {
      lifeDomain: 'housing',
      title: 'a\u0000b',
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json<{ detail: string }>().detail).toMatch(/nothing was changed/);
    expect(response.body).not.toContain('0x00');
    expect(await count(db, 'goals', plan.id)).toBe(before.goals);
    expect(await count(db, 'audit_events', plan.id)).toBe(before.audit);
  });

  it('refuses a NUL character in a query with 400 problem+json (test/server/bad-input.test.ts)', async () => {
    const response = await leadApi.get('/api/organizations?q=a%00b');
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('answers a failure it cannot explain with a 500 that claims nothing about what was saved', async () => {
    // The path of an unexpected failure, forced by a statement that always fails.
    const connection = await createTestDatabase('liaison_empty');
    const failing = await buildApp({ config: testConfig(), connection, logger: false });
    failing.get('/api/test-failure', async () => {
      await connection.db.execute(sql`select 1 / 0`);
      return {};
    });
    await failing.ready();
    onTestFinished(async () => {
      await failing.close();
      await connection.close();
    });
    const { lead: someone } = await createPlan(connection.db);
    const response = await as(failing, await signedInAs(failing, someone)).get('/api/test-failure');
    expect(response.statusCode).toBe(500);
    expect(response.json<{ detail: string }>().detail).not.toMatch(/nothing was changed/i);
    expect(response.body).not.toMatch(/division|select/i);
  });
});
