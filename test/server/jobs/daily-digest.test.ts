import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actions, clientMessages, goals, users } from '../../../db/schema/index.ts';
import { runDailyDigest } from '../../../server/jobs/daily-digest.ts';
import { runDailyNotices } from '../../../server/jobs/daily-notices.ts';
import { notifyGrantsShared } from '../../../server/services/notifications.ts';
import { addGrants, addPartner, createPlan } from '../../factories/plans.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { startSmtpServer } from '../../helpers/smtp.ts';

const DAY = 86_400_000;
const NOW = new Date('2030-03-01T06:00:00Z');
const CANARY = /CANARY-[a-z]+/;

describe('the daily e-mail digest', async () => {
  const smtp = await startSmtpServer();
  const { app, db, config } = await buildTestApp({
    template: 'liaison_empty',
    config: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://liaison.test' },
  });
  // Plan content with canaries where a careless digest would pick it up: the client's name, a
  // goal, an overdue action's title, the client's message.
  const karim = await createPlan(db, {
    // The client's name as the plan holds it (the account's own name greets him in his e-mail).
    client: { name: 'Karim Benali', locale: 'fr' },
    clientRecord: { lastName: 'CANARY-client' },
    lead: { name: 'Léa Janssens', locale: 'nl' },
    plan: { nextEvaluationOn: '2030-03-04' },
  });
  const paul = await addPartner(db, karim, { name: 'Paul Verhaegen', locale: 'en' });
  const nora = await addPartner(db, karim, { name: 'Nora Peeters' });
  await db.update(users).set({ emailDigest: false }).where(eq(users.id, nora.user.id));
  await db.insert(goals).values({ planId: karim.plan.id, lifeDomain: 'housing', title: 'CANARY-goal' });
  await db.insert(actions).values({
    planId: karim.plan.id,
    ownerMemberId: paul.member.id,
    title: 'CANARY-action',
    dueOn: '2030-02-20',
  });
  const grants = await addGrants(db, karim, paul.member, ['goals', 'actions'], {
    validFrom: new Date(NOW.getTime() - 30 * DAY),
    validUntil: new Date(NOW.getTime() + 5 * DAY),
  });
  const noraGrants = await addGrants(db, karim, nora.member, ['goals']);
  await db.transaction(async (tx) => {
    await notifyGrantsShared(
      tx,
      karim.plan.id,
      grants.map((g) => g.id),
      NOW,
    );
    await notifyGrantsShared(
      tx,
      karim.plan.id,
      noraGrants.map((g) => g.id),
      NOW,
    );
  });
  await db.insert(clientMessages).values({
    planId: karim.plan.id,
    authorUserId: karim.client.id,
    body: 'CANARY-message',
  });
  await runDailyNotices(db, NOW);
  // The notices were written just before the digest runs.
  await db.execute(
    sql`update notifications set created_at = ${new Date(NOW.getTime() - 3_600_000).toISOString()}`,
  );

  it('sends each user with new notices one e-mail with the count and links, in their language, no plan content', async () => {
    const run = await runDailyDigest(db, app.mailer, config, NOW);
    expect(run).toEqual({ sent: 3, skipped: 0, failed: 0 });
    const to = (user: { email: string }) => smtp.waitForMail((m) => m.to.includes(user.email.toLowerCase()));
    const lea = await to(karim.lead);
    // Léa: the grant ending, the overdue action and the evaluation due.
    expect(lea.subject).toBe('Je hebt 3 nieuwe berichten in Liaison');
    expect(lea.links).toEqual(['https://liaison.test/notifications', 'https://liaison.test/account']);
    const client = await to(karim.client);
    expect(client.subject).toBe('Vous avez 1 nouvel avis dans Liaison');
    const partner = await to(paul.user);
    // Paul: what was shared with him and the action he owns that is overdue.
    expect(partner.subject).toBe('You have 2 new notices in Liaison');
    for (const mail of [lea, client, partner]) {
      expect(mail.raw).not.toMatch(CANARY);
      expect(mail.text).not.toMatch(CANARY);
      expect(mail.html ?? '').not.toMatch(CANARY);
    }
    // Nora switched it off.
    expect(smtp.messages.some((m) => m.to.includes(nora.user.email.toLowerCase()))).toBe(false);
    expect(smtp.messages).toHaveLength(3);
  });

  it('sends nothing twice: a second run the same day, or after a restart, finds nothing to send', async () => {
    expect(await runDailyDigest(db, app.mailer, config, new Date(NOW.getTime() + 3_600_000))).toEqual({
      sent: 0,
      skipped: 0,
      failed: 0,
    });
    expect(smtp.messages).toHaveLength(3);
  });

  it('sends nothing the next day when nothing new arrived, and again once something did', async () => {
    const tomorrow = new Date(NOW.getTime() + DAY + 3_600_000);
    expect((await runDailyDigest(db, app.mailer, config, tomorrow)).sent).toBe(0);
    await db
      .insert(clientMessages)
      .values({ planId: karim.plan.id, authorUserId: karim.client.id, body: 'x' });
    const [message] = await db
      .select()
      .from(clientMessages)
      .orderBy(sql`created_at desc`)
      .limit(1);
    await db.execute(sql`
      insert into notifications (recipient_user_id, kind, plan_id, subject_id, dedupe_key, created_at)
      values (${karim.lead.id}, 'client_message', ${karim.plan.id}, ${message!.id}, ${`test:${randomUUID()}`},
              ${new Date(tomorrow.getTime() - 60_000).toISOString()})`);
    expect((await runDailyDigest(db, app.mailer, config, tomorrow)).sent).toBe(1);
    const again = smtp.messages.at(-1)!;
    expect(again.to).toEqual([karim.lead.email.toLowerCase()]);
    expect(again.subject).toBe('Je hebt 4 nieuwe berichten in Liaison');
  });
});
