import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { appendAuditEvent, verifyAuditChains } from '../../db/queries/audit.ts';
import type { Executor } from '../../db/client.ts';
import { addPartner, createPlan } from '../factories/plans.ts';
import { createTestDatabase, databaseUrl } from '../helpers/database.ts';

const run = promisify(execFile);

/** Two plans of one lead, a partner in the first: the actors and chains of these tests. */
async function createPlans(db: Executor) {
  const first = await createPlan(db);
  const second = await createPlan(db, { organization: first.organization, lead: first.lead });
  const partner = await addPartner(db, first, { grants: ['goals'] });
  return { PLAN: first.plan.id, OTHER_PLAN: second.plan.id, lea: first.lead, paul: partner.user };
}

describe('the access log hash chain', async () => {
  const connection = await createTestDatabase('liaison_empty');
  const { db } = connection;
  afterAll(() => connection.close());
  const { PLAN, OTHER_PLAN, paul } = await createPlans(db);
  const event = (planId: string, i: number) =>
    appendAuditEvent(db, {
      planId,
      actorUserId: paul.id,
      action: 'read',
      sections: ['goals'],
      details: { i },
    });

  it('stays one unbroken chain per plan under concurrent appends', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => event(i % 2 ? PLAN : OTHER_PLAN, i)));
    const counts = await db.execute<{ plan_id: string; n: number; max: number }>(
      sql`select plan_id, count(*)::int as n, max(seq)::int as max from audit_events group by plan_id`,
    );
    for (const row of counts) expect(row.max).toBe(row.n);
    expect(await verifyAuditChains(db)).toEqual({ checked: 40, problems: [] });
    const heads = await db.execute<{ chain: string; seq: number; same: boolean }>(sql`
      select h.chain, h.seq::int as seq, h.hash = e.hash and h.prev_hash is not distinct from e.prev_hash as same
        from audit_chain_heads h join audit_events e on e.plan_id::text = h.chain and e.seq = h.seq
       order by h.chain`);
    expect(heads).toEqual([PLAN, OTHER_PLAN].sort().map((chain) => ({ chain, seq: 20, same: true })));
  });

  it('moves neither the chain nor its head when the change it records rolls back', async () => {
    const before = await db.execute(sql`select * from audit_chain_heads order by chain`);
    await expect(
      db.transaction(async (tx) => {
        await appendAuditEvent(tx, {
          planId: PLAN,
          actorUserId: paul.id,
          action: 'update',
          sections: [],
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await db.execute(sql`select * from audit_chain_heads order by chain`)).toEqual(before);
    expect(await verifyAuditChains(db)).toEqual({ checked: 40, problems: [] });
  });

  it('names the first bad row of a chain whose row was changed behind the triggers', async () => {
    const [target] = await db.execute<{ id: string }>(
      sql`select id from audit_events where plan_id = ${PLAN} order by seq offset 5 limit 1`,
    );
    // Only a superuser who disables the trigger can change a row: exactly what the chain must reveal.
    await db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await db.execute(sql`update audit_events set sections = '{background}' where id = ${target!.id}`);
    await db.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    const { problems } = await verifyAuditChains(db);
    expect(problems).toEqual([
      { planId: PLAN, seq: 6, id: target!.id, reason: expect.stringMatching(/does not match its hash/) },
    ]);
  });

  it('is checked by `npm run audit:verify`, which exits 1 and names the row', async () => {
    const name = (await db.execute<{ n: string }>(sql`select current_database() as n`))[0]!.n;
    const result = await run('node', ['--import', 'tsx', 'db/audit-verify-cli.ts'], {
      env: { ...process.env, DATABASE_URL: databaseUrl(name) },
    }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in result ? result.code : 0).toBe(1);
    expect('stderr' in result ? result.stderr : '').toMatch(
      new RegExp(`plan ${PLAN}: first bad row .* at position 6`),
    );
  });

  it('reveals a deleted row', async () => {
    const fresh = await createTestDatabase('liaison_empty');
    try {
      const { PLAN, lea } = await createPlans(fresh.db);
      for (let i = 0; i < 4; i += 1) {
        await appendAuditEvent(fresh.db, {
          planId: PLAN,
          actorUserId: lea.id,
          action: 'read',
          sections: [],
        });
      }
      await fresh.db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
      await fresh.db.execute(sql`delete from audit_events where plan_id = ${PLAN} and seq = 2`);
      const { problems } = await verifyAuditChains(fresh.db);
      expect(problems[0]).toMatchObject({ planId: PLAN, seq: 3, reason: expect.stringMatching(/missing/) });
    } finally {
      await fresh.close();
    }
  });
});
