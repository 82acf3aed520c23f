import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Executor } from '../../../db/client.ts';
import { actions, notifications, plans } from '../../../db/schema/index.ts';
import { runDailyNotices } from '../../../server/jobs/daily-notices.ts';
import { addGrants, addPartner, createPlan } from '../../factories/plans.ts';
import { buildSecondApp, buildTestApp } from '../../helpers/app.ts';

const DAY = 86_400_000;
/** The clock of these tests: the jobs take `now`, nothing sleeps. */
const NOW = new Date('2030-03-01T07:00:00Z');
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

async function noticesOf(db: Executor, userId: string, kind: (typeof notifications.$inferSelect)['kind']) {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.recipientUserId, userId), eq(notifications.kind, kind)));
}

describe('the daily notices', async () => {
  const first = await buildTestApp({ template: 'liaison_empty' });
  const { db } = first;
  const karim = await createPlan(db, { plan: { nextEvaluationOn: '2030-03-05' } });
  const paul = await addPartner(db, karim);
  // Consent for three sections ending in 10 days (one grant per section), and one ending in 20.
  await addGrants(db, karim, paul.member, ['goals', 'actions', 'crisis'], {
    validFrom: at(-30),
    validUntil: at(10),
  });
  await addGrants(db, karim, paul.member, ['network'], { validFrom: at(-30), validUntil: at(20) });
  const overdue = randomUUID();
  await db.insert(actions).values([
    {
      id: overdue,
      planId: karim.plan.id,
      ownerMemberId: paul.member.id,
      title: 'Bel de huisbaas',
      dueOn: '2030-02-27',
    },
    {
      planId: karim.plan.id,
      ownerMemberId: paul.member.id,
      title: 'Klaar',
      dueOn: '2030-02-20',
      status: 'done',
    },
    { planId: karim.plan.id, ownerMemberId: paul.member.id, title: 'Later', dueOn: '2030-03-10' },
  ]);
  const lead = karim.lead.id;
  const client = karim.client.id;

  it('gives exactly one notice of a grant ending in 10 days to the lead and one to the client', async () => {
    const run = await runDailyNotices(db, NOW);
    expect(run.grantEnding).toBe(2);
    for (const userId of [lead, client]) {
      const notices = await noticesOf(db, userId, 'grant_ending');
      expect(notices).toHaveLength(1);
      expect([...notices[0]!.sections].sort()).toEqual(['actions', 'crisis', 'goals']);
      expect(notices[0]!.dueOn).toBe('2030-03-11');
    }
    // The partner whose consent it is hears nothing of it; the grant ending in 20 days waits.
    expect(await noticesOf(db, paul.user.id, 'grant_ending')).toEqual([]);
  });

  it('gives an overdue action to its owner and the lead, and an evaluation due in 4 days to the lead', async () => {
    for (const userId of [lead, paul.user.id]) {
      const notices = await noticesOf(db, userId, 'action_overdue');
      expect(notices.map((n) => [n.subjectId, n.dueOn])).toEqual([[overdue, '2030-02-27']]);
    }
    expect((await noticesOf(db, lead, 'evaluation_due')).map((n) => n.dueOn)).toEqual(['2030-03-05']);
    expect(await noticesOf(db, client, 'evaluation_due')).toEqual([]);
    expect(await noticesOf(db, client, 'action_overdue')).toEqual([]);
  });

  it('adds nothing when it runs again, or after a restart (a new app and pool on the same database)', async () => {
    const count = async () =>
      (await db.execute<{ n: number }>(sql`select count(*)::int as n from notifications`))[0]!.n;
    const before = await count();
    expect(before).toBe(5);
    expect(await runDailyNotices(db, NOW)).toEqual({ grantEnding: 0, actionOverdue: 0, evaluationDue: 0 });
    const restarted = await buildSecondApp(first);
    expect(await runDailyNotices(restarted.db, new Date(NOW.getTime() + 3_600_000))).toEqual({
      grantEnding: 0,
      actionOverdue: 0,
      evaluationDue: 0,
    });
    // Two runs at once (two instances after a restart) write each notice once too.
    await Promise.all([runDailyNotices(db, at(1)), runDailyNotices(restarted.db, at(1))]);
    expect(await count()).toBe(before);
  });

  it('tells of the grant ending in 20 days once it is within 14, and of a new due day once it passes', async () => {
    await runDailyNotices(db, at(7));
    for (const userId of [lead, client]) {
      const ends = (await noticesOf(db, userId, 'grant_ending')).map((n) => n.dueOn).sort();
      expect(ends).toEqual(['2030-03-11', '2030-03-21']);
    }
    await db.update(actions).set({ dueOn: '2030-03-07' }).where(eq(actions.id, overdue));
    await runDailyNotices(db, at(7));
    const days = (await noticesOf(db, lead, 'action_overdue')).map((n) => n.dueOn).sort();
    expect(days).toEqual(['2030-02-27', '2030-03-07']);
  });

  it('says nothing about a closed plan', async () => {
    const other = await createPlan(db, {
      phase: 'closed',
      plan: { nextEvaluationOn: '2030-03-02', closedAt: NOW },
    });
    await runDailyNotices(db, NOW);
    expect(await noticesOf(db, other.lead.id, 'evaluation_due')).toEqual([]);
    await db.update(plans).set({ phase: 'active', closedAt: null }).where(eq(plans.id, other.plan.id));
    await runDailyNotices(db, NOW);
    expect(await noticesOf(db, other.lead.id, 'evaluation_due')).toHaveLength(1);
  });
});
