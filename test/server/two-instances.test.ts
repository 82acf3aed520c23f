import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { verifyAuditChains } from '../../db/queries/audit.ts';
import { addGoal, addPartner, createPlan } from '../factories/plans.ts';
import { createAdmin, createOrganization, createUser, TEST_PASSWORD } from '../factories/users.ts';
import { buildSecondApp, buildTestApp, injectAs, login } from '../helpers/app.ts';

// Two servers on one database, as behind a load balancer (issue 16, "Two instances, one
// database"): each has its own app and connection pool, and requests alternate between them.
// Nothing that decides an answer may live in one process only.

describe('two instances on one database', async () => {
  // One clock for both throttles: it stands still unless a test moves it.
  let now = new Date('2026-12-01T09:00:00Z');
  const clock = () => now;
  const a = await buildTestApp({ template: 'liaison_empty', now: clock });
  const b = await buildSecondApp(a, { now: clock });
  const { db } = a;
  const instances: Array<[string, FastifyInstance]> = [
    ['A', a.app],
    ['B', b.app],
  ];
  const status = async (app: FastifyInstance, token: string, url = '/api/me') =>
    (await injectAs(app, token, { method: 'GET', url })).statusCode;

  it('are really two: separate connection pools on the same database', async () => {
    const backends = async (which: typeof a) =>
      (
        await which.connection.db.execute<{ pid: number; db: string }>(
          sql`select pg_backend_pid() as pid, current_database() as db`,
        )
      )[0]!;
    const [fromA, fromB] = [await backends(a), await backends(b)];
    expect(fromA.db).toBe(fromB.db);
    expect(fromA.pid).not.toBe(fromB.pid);
    expect(a.app).not.toBe(b.app);
  });

  it('accept a session opened on the other, and refuse it on both from the next request after sign-out on one', async () => {
    const user = await createUser(db);
    const token = await login(a.app, user.email, TEST_PASSWORD);
    expect(await status(b.app, token)).toBe(200);
    expect(await status(a.app, token)).toBe(200);
    // Both instances have verified (and cached) the token's signature by now.
    const out = await injectAs(a.app, token, { method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(204);
    expect(await status(b.app, token)).toBe(401);
    expect(await status(a.app, token)).toBe(401);
  });

  it('end every session of an account disabled on the other instance, for good', async () => {
    const organization = await createOrganization(db);
    const admin = await createAdmin(db, { organization });
    const user = await createUser(db, { organization });
    const adminToken = await login(b.app, admin.email, TEST_PASSWORD);
    const onA = await login(a.app, user.email, TEST_PASSWORD);
    const onB = await login(b.app, user.email, TEST_PASSWORD);
    for (const [, app] of instances)
      for (const token of [onA, onB]) expect(await status(app, token)).toBe(200);

    const patch = (app: FastifyInstance, disabled: boolean, version: number) =>
      injectAs(app, adminToken, {
        method: 'PATCH',
        url: `/api/users/${user.id}`,
        headers: { 'if-match': `"${version}"` },
        payload: { disabled },
      });
    const disabled = await patch(b.app, true, 1);
    expect(disabled.statusCode, disabled.body).toBe(200);
    for (const [, app] of instances)
      for (const token of [onA, onB]) expect(await status(app, token)).toBe(401);
    const enabled = await patch(a.app, false, disabled.json<{ version: number }>().version);
    expect(enabled.statusCode, enabled.body).toBe(200);
    for (const [, app] of instances)
      for (const token of [onA, onB]) expect(await status(app, token)).toBe(401);
  });

  it("withdraw consent on one instance with effect on the partner's next request on the other", async () => {
    const karim = await createPlan(db);
    const paul = await addPartner(db, karim, { grants: ['goals', 'actions'] });
    const paulToken = await login(a.app, paul.user.email, TEST_PASSWORD);
    const leadToken = await login(b.app, karim.lead.email, TEST_PASSWORD);
    const goalsUrl = `/api/plans/${karim.plan.id}/goals`;
    expect(await status(a.app, paulToken, goalsUrl)).toBe(200);
    expect(await status(b.app, paulToken, goalsUrl)).toBe(200);
    const goalsGrant = paul.grants.find((grant) => grant.section === 'goals')!;
    const revoke = await injectAs(b.app, leadToken, {
      method: 'POST',
      url: `/api/plans/${karim.plan.id}/grants/${goalsGrant.id}/revoke`,
      payload: {},
    });
    expect(revoke.statusCode, revoke.body).toBe(200);
    expect(await status(a.app, paulToken, goalsUrl)).toBe(403);
    expect(await status(b.app, paulToken, goalsUrl)).toBe(403);
    expect(await status(a.app, paulToken, `/api/plans/${karim.plan.id}/actions`)).toBe(200);
  });

  it('count failed sign-ins together: alternating between them reaches the wait, and its growth', async () => {
    const user = await createUser(db);
    const attempt = (app: FastifyInstance, password: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password },
        remoteAddress: '192.0.2.77',
      });
    // Five failures, three on A and two on B: each instance alone has seen fewer than five.
    for (let i = 0; i < 5; i += 1)
      expect((await attempt(instances[i % 2]![1], 'wrong')).statusCode).toBe(401);
    for (const [name, app] of instances) {
      const waiting = await attempt(app, TEST_PASSWORD);
      expect(waiting.statusCode, name).toBe(429);
      expect(waiting.headers['retry-after'], name).toBe('1');
    }
    now = new Date(now.getTime() + 1000);
    expect((await attempt(b.app, 'wrong')).statusCode).toBe(401);
    // The sixth failure, on B, doubles the wait on A too.
    expect((await attempt(a.app, TEST_PASSWORD)).headers['retry-after']).toBe('2');
    now = new Date(now.getTime() + 2000);
    expect((await attempt(a.app, TEST_PASSWORD)).statusCode).toBe(200);
    // The success on A cleared the count for B as well.
    expect((await attempt(b.app, 'wrong')).statusCode).toBe(401);
    expect((await attempt(b.app, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('let exactly one of two writes with the same If-Match through, one on each instance (200 and 412)', async () => {
    const karim = await createPlan(db);
    const goal = await addGoal(db, karim);
    const url = `/api/plans/${karim.plan.id}/goals/${goal.id}`;
    const onA = await login(a.app, karim.lead.email, TEST_PASSWORD);
    const onB = await login(b.app, karim.lead.email, TEST_PASSWORD);
    for (let round = 0; round < 10; round += 1) {
      const read = await injectAs(a.app, onA, { method: 'GET', url });
      const etag = String(read.headers.etag);
      const write = (app: FastifyInstance, token: string, title: string) =>
        injectAs(app, token, { method: 'PATCH', url, headers: { 'if-match': etag }, payload: { title } });
      const answers = await Promise.all([
        write(a.app, onA, `round ${round} on A`),
        write(b.app, onB, `round ${round} on B`),
      ]);
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 412]);
    }
    const [row] = await db.execute<{ version: number }>(sql`select version from goals where id = ${goal.id}`);
    expect(row?.version).toBe(11);
  });

  it('keep every audit chain intact when writes and reads of one plan interleave across both', async () => {
    const karim = await createPlan(db);
    const paul = await addPartner(db, karim, { grants: ['goals'] });
    const leadOn = [
      await login(a.app, karim.lead.email, TEST_PASSWORD),
      await login(b.app, karim.lead.email, TEST_PASSWORD),
    ];
    const paulOn = [
      await login(a.app, paul.user.email, TEST_PASSWORD),
      await login(b.app, paul.user.email, TEST_PASSWORD),
    ];
    const goalsUrl = `/api/plans/${karim.plan.id}/goals`;
    const before = (
      await db.execute<{ n: number }>(
        sql`select count(*)::int as n from audit_events where plan_id = ${karim.plan.id}`,
      )
    )[0]!.n;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const side = i % 2;
        const app = instances[side]![1];
        return i % 4 < 2
          ? injectAs(app, leadOn[side]!, {
              method: 'POST',
              url: goalsUrl,
              payload: { lifeDomain: 'housing', title: `goal ${i}` },
            })
          : injectAs(app, paulOn[side]!, { method: 'GET', url: goalsUrl });
      }),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([
      ...Array(20).fill(200),
      ...Array(20).fill(201),
    ]);
    const after = (
      await db.execute<{ n: number }>(
        sql`select count(*)::int as n from audit_events where plan_id = ${karim.plan.id}`,
      )
    )[0]!.n;
    // One event per write and one per partner read.
    expect(after - before).toBe(40);
    expect(await verifyAuditChains(db)).toMatchObject({ problems: [] });
  });
});
