import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  auditEvents,
  backgrounds,
  closures,
  leadHandovers,
  members,
  planReopenings,
  plans,
} from '../../../db/schema/index.ts';
import { addCoLead, addPartner, createPlan } from '../../factories/plans.ts';
import { createProfessional, createUser } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// Continuity (issue 14, part 8; DESIGN.md, "Continuity"): the lead hands the plan over to a
// colleague with the client's consent recorded, staying as co-lead or leaving; a closed plan is
// opened again for a new cycle without reviving earlier consent. Each is one transaction, audited,
// and in the client's log.

const consent = { method: 'verbal' as const, note: 'Karim agreed at the office on Monday' };

describe('handing a plan over and opening it again', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const session = async (user: Parameters<typeof signedInAs>[1]) => as(app, await signedInAs(app, user));
  const versionOf = async (planId: string) =>
    (await db.select({ version: plans.version }).from(plans).where(eq(plans.id, planId)))[0]!.version;
  const ifMatch = async (planId: string) => ({ headers: { 'if-match': `"${await versionOf(planId)}"` } });
  const listIds = async (api: Awaited<ReturnType<typeof session>>) =>
    (await api.get('/api/plans')).json<{ items: Array<{ id: string }> }>().items.map((p) => p.id);

  /** A plan with a background (the lead reads it), a co-lead, a partner and a colleague outside it. */
  async function world() {
    const plan = await createPlan(db);
    const planId = plan.plan.id;
    await db.insert(backgrounds).values({ planId, situation: 'BACKGROUND-CANARY', updatedBy: plan.lead.id });
    const coLead = await addCoLead(db, plan, { name: 'Tom Colead' });
    const partner = await addPartner(db, plan, { name: 'Paula Partner', grants: ['goals'] });
    const colleague = await createProfessional(db, {
      organization: plan.organization,
      name: 'Cora Colleague',
    });
    return { plan, planId, coLead, partner, colleague, url: `/api/plans/${planId}` };
  }

  /** The same world, its plan closed by its lead. */
  async function closedWorld() {
    const w = await world();
    const lead = await session(w.plan.lead);
    const closed = await lead.post(
      `${w.url}/close`,
      { date: '2026-11-01', reason: 'Goals reached', reasonKind: 'goals_reached', handover: '' },
      await ifMatch(w.planId),
    );
    expect(closed.statusCode, closed.body).toBe(200);
    return { ...w, lead };
  }

  describe('POST /api/plans/:planId/handover', () => {
    it('refuses without a session', async () => {
      const { url } = await world();
      expect((await app.inject({ method: 'POST', url: `${url}/handover`, payload: {} })).statusCode).toBe(
        401,
      );
    });

    it('lets only the lead hand over: a co-lead and a partner are refused (403), a stranger gets 404', async () => {
      const { plan, url, coLead, partner, colleague } = await world();
      const body = { toUserId: colleague.id, previousLead: 'past', consent };
      for (const user of [coLead.user, partner.user, plan.client]) {
        const response = await (
          await session(user)
        ).post(`${url}/handover`, body, await ifMatch(plan.plan.id));
        expect(response.statusCode, user.name).toBe(403);
      }
      const stranger = await session(await createProfessional(db));
      expect((await stranger.post(`${url}/handover`, body, await ifMatch(plan.plan.id))).statusCode).toBe(
        404,
      );
      const [row] = await db.select().from(plans).where(eq(plans.id, plan.plan.id));
      expect(row?.leadUserId).toBe(plan.lead.id);
    });

    it('rejects bad input (400), a missing or stale If-Match (428, 412), and who cannot take over (422)', async () => {
      const { plan, planId, url, colleague } = await world();
      const lead = await session(plan.lead);
      for (const body of [
        {},
        { toUserId: colleague.id, previousLead: 'past' },
        { toUserId: colleague.id, previousLead: 'gone', consent },
        { toUserId: 'nope', previousLead: 'past', consent },
        { toUserId: colleague.id, previousLead: 'past', consent: { ...consent, extra: 1 } },
        { toUserId: colleague.id, previousLead: 'past', consent, extra: true },
      ]) {
        const response = await lead.post(`${url}/handover`, body, await ifMatch(planId));
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
      const body = { toUserId: colleague.id, previousLead: 'past', consent };
      expect((await lead.post(`${url}/handover`, body)).statusCode).toBe(428);
      expect((await lead.post(`${url}/handover`, body, { headers: { 'if-match': '"99"' } })).statusCode).toBe(
        412,
      );
      const elsewhere = await createProfessional(db, { name: 'Other Org' });
      const anotherClient = await createUser(db, { kind: 'client', organization: null });
      for (const toUserId of [elsewhere.id, anotherClient.id, plan.lead.id]) {
        const response = await lead.post(`${url}/handover`, { ...body, toUserId }, await ifMatch(planId));
        expect(response.statusCode).toBe(422);
      }
      const inApp = await lead.post(
        `${url}/handover`,
        { ...body, consent: { method: 'in_app' } },
        await ifMatch(planId),
      );
      expect(inApp.statusCode).toBe(422);
      expect(await db.select().from(leadHandovers).where(eq(leadHandovers.planId, planId))).toEqual([]);
    });

    it('hands over to a colleague; the old lead, now past, reads nothing; the new lead reads everything', async () => {
      const { plan, planId, url, colleague } = await world();
      const lead = await session(plan.lead);
      const givenAt = new Date(Date.now() - 3_600_000).toISOString();
      const response = await lead.post(
        `${url}/handover`,
        { toUserId: colleague.id, previousLead: 'past', consent: { ...consent, givenAt } },
        await ifMatch(planId),
      );
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        from: { userId: plan.lead.id },
        to: { userId: colleague.id, name: 'Cora Colleague' },
        previousLead: 'past',
        consent: { method: 'verbal', givenAt, note: consent.note },
      });
      // The old lead: 404 on the plan and on its sections, absent from their list.
      expect((await lead.get(url)).statusCode).toBe(404);
      expect((await lead.get(`${url}/background`)).statusCode).toBe(404);
      expect(await listIds(lead)).not.toContain(planId);
      const [oldRow] = await db.select().from(members).where(eq(members.id, plan.leadMember.id));
      expect(oldRow).toMatchObject({ status: 'past', coLead: false });
      // The new lead reads everything a lead reads, and is in the network.
      const cora = await session(colleague);
      const overview = await cora.get(url);
      expect(overview.statusCode).toBe(200);
      expect(overview.json()).toMatchObject({ myRole: 'lead', lead: { userId: colleague.id } });
      expect(overview.body).toContain('BACKGROUND-CANARY');
      expect((await cora.get(`${url}/grants`)).statusCode).toBe(200);
      expect(await listIds(cora)).toContain(planId);
      const coraRows = await db
        .select()
        .from(members)
        .where(and(eq(members.planId, planId), eq(members.userId, colleague.id)));
      expect(coraRows).toMatchObject([{ status: 'current', coLead: false }]);
      // The consent, recorded like a grant, and the event in the client's log, naming the new lead.
      const [record] = await db.select().from(leadHandovers).where(eq(leadHandovers.planId, planId));
      expect(record).toMatchObject({ method: 'verbal', fromUserId: plan.lead.id, toUserId: colleague.id });
      const client = await session(plan.client);
      const log = (await client.get(`${url}/access-log`)).json<{
        items: Array<{ action: string; recipient: { name: string } | null }>;
      }>();
      expect(log.items.find((e) => e.action === 'handover')).toMatchObject({
        recipient: { name: 'Cora Colleague' },
      });
    });

    it('keeps the old lead as co-lead when they choose so, and a co-lead can take over', async () => {
      const { plan, planId, url, coLead } = await world();
      const lead = await session(plan.lead);
      const response = await lead.post(
        `${url}/handover`,
        { toUserId: coLead.user.id, previousLead: 'co_lead', consent: { method: 'written' } },
        await ifMatch(planId),
      );
      expect(response.statusCode, response.body).toBe(200);
      const asOld = await lead.get(url);
      expect(asOld.statusCode).toBe(200);
      expect(asOld.json()).toMatchObject({ myRole: 'co_lead' });
      expect(asOld.body).toContain('BACKGROUND-CANARY');
      expect((await (await session(coLead.user)).get(url)).json()).toMatchObject({ myRole: 'lead' });
      // The old lead no longer hands it over: only the lead does.
      const again = await lead.post(
        `${url}/handover`,
        { toUserId: coLead.user.id, previousLead: 'past', consent },
        await ifMatch(planId),
      );
      expect(again.statusCode).toBe(403);
    });

    it('writes nothing when the transaction fails half-way', async () => {
      const { plan, planId, url, colleague } = await world();
      await db.execute(sql`create or replace function fail_handover() returns trigger language plpgsql as $$
        begin raise exception 'handover refused by the test'; end $$`);
      await db.execute(sql`create trigger fail_handover before insert on lead_handovers
        for each row execute function fail_handover()`);
      try {
        const before = await versionOf(planId);
        const response = await (
          await session(plan.lead)
        ).post(
          `${url}/handover`,
          { toUserId: colleague.id, previousLead: 'past', consent },
          await ifMatch(planId),
        );
        expect(response.statusCode).toBe(500);
        const [row] = await db.select().from(plans).where(eq(plans.id, planId));
        expect(row).toMatchObject({ leadUserId: plan.lead.id, version: before });
        const [leadRow] = await db.select().from(members).where(eq(members.id, plan.leadMember.id));
        expect(leadRow).toMatchObject({ status: 'current' });
        const colleagueRows = await db.select().from(members).where(eq(members.userId, colleague.id));
        expect(colleagueRows).toEqual([]);
        const events = await db
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.planId, planId), eq(auditEvents.action, 'handover')));
        expect(events).toEqual([]);
      } finally {
        await db.execute(sql`drop trigger fail_handover on lead_handovers`);
      }
    });
  });

  describe('POST /api/plans/:planId/reopen', () => {
    it('refuses without a session, an open plan (409), the client (403), a partner of the closed plan (404)', async () => {
      const open = await world();
      expect((await app.inject({ method: 'POST', url: `${open.url}/reopen`, payload: {} })).statusCode).toBe(
        401,
      );
      const openLead = await session(open.plan.lead);
      expect((await openLead.post(`${open.url}/reopen`, {}, await ifMatch(open.planId))).statusCode).toBe(
        409,
      );
      const { plan, planId, url, partner } = await closedWorld();
      expect(
        (await (await session(plan.client)).post(`${url}/reopen`, {}, await ifMatch(planId))).statusCode,
      ).toBe(403);
      expect(
        (await (await session(partner.user)).post(`${url}/reopen`, {}, await ifMatch(planId))).statusCode,
      ).toBe(404);
    });

    it('rejects bad input (400) and a missing or stale If-Match (428, 412), changing nothing', async () => {
      const { planId, url, lead } = await closedWorld();
      expect((await lead.post(`${url}/reopen`, { why: 'x' }, await ifMatch(planId))).statusCode).toBe(400);
      expect(
        (await lead.post(`${url}/reopen`, { note: 'x'.repeat(2001) }, await ifMatch(planId))).statusCode,
      ).toBe(400);
      expect((await lead.post(`${url}/reopen`, {})).statusCode).toBe(428);
      expect((await lead.post(`${url}/reopen`, {}, { headers: { 'if-match': '"99"' } })).statusCode).toBe(
        412,
      );
      const [row] = await db.select().from(plans).where(eq(plans.id, planId));
      expect(row?.phase).toBe('closed');
      expect(await db.select().from(planReopenings).where(eq(planReopenings.planId, planId))).toEqual([]);
    });

    it('starts a new cycle: back to registration, earlier members past, earlier consent not revived, history kept', async () => {
      const { plan, planId, url, lead, partner, coLead } = await closedWorld();
      const response = await lead.post(`${url}/reopen`, { note: 'Karim came back' }, await ifMatch(planId));
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ phase: 'registration', closedAt: null });
      const [row] = await db.select().from(plans).where(eq(plans.id, planId));
      expect(row).toMatchObject({ phase: 'registration', closedAt: null });
      // The end of the cycle before is kept apart; the closure section is empty for the new cycle.
      const [reopening] = await db.select().from(planReopenings).where(eq(planReopenings.planId, planId));
      expect(reopening).toMatchObject({
        previousReason: 'Goals reached',
        previousReasonKind: 'goals_reached',
        note: 'Karim came back',
      });
      expect(await db.select().from(closures).where(eq(closures.planId, planId))).toEqual([]);
      // Earlier members are past; the partner's grant stays ended: they see nothing.
      const rows = await db.select().from(members).where(eq(members.planId, planId));
      expect(rows.find((m) => m.id === partner.member.id)?.status).toBe('past');
      expect(rows.find((m) => m.id === coLead.member.id)).toMatchObject({ status: 'past', coLead: false });
      expect(rows.find((m) => m.id === plan.leadMember.id)?.status).toBe('current');
      const asPartner = await session(partner.user);
      expect((await asPartner.get(url)).statusCode).toBe(404);
      expect(await listIds(asPartner)).not.toContain(planId);
      expect((await (await session(coLead.user)).get(url)).statusCode).toBe(404);
      // The lead writes again, and the history (the background) is still there.
      const overview = await lead.get(url);
      expect(overview.body).toContain('BACKGROUND-CANARY');
      const moved = await lead.patch(url, { phase: 'request' }, await ifMatch(planId));
      expect(moved.statusCode, moved.body).toBe(200);
      // The client reads it in their log.
      const log = (await (await session(plan.client)).get(`${url}/access-log`)).json<{
        items: Array<{ action: string }>;
      }>();
      expect(log.items.map((e) => e.action)).toContain('reopen');
      // The new cycle can end in its turn.
      const closedAgain = await lead.post(
        `${url}/close`,
        { date: '2027-01-01', reason: 'Moved away', reasonKind: 'other', handover: '' },
        await ifMatch(planId),
      );
      expect(closedAgain.statusCode, closedAgain.body).toBe(200);
    });

    it('lets a co-lead reopen, who stays in the network with the lead', async () => {
      const { planId, url, coLead } = await closedWorld();
      const asTom = await session(coLead.user);
      const response = await asTom.post(`${url}/reopen`, {}, await ifMatch(planId));
      expect(response.statusCode, response.body).toBe(200);
      expect((await asTom.get(url)).json()).toMatchObject({ myRole: 'co_lead' });
    });
  });

  // "Or a returning client registered again and linked to the earlier plan" (issue 14, part 8).
  describe('POST /api/plans/:planId/register-again', () => {
    const plansOfClient = async (clientId: string) =>
      db.select({ id: plans.id, closedAt: plans.closedAt }).from(plans).where(eq(plans.clientId, clientId));

    it('opens a new plan for the same client, linked to the earlier one, which stays closed', async () => {
      const { plan, planId, url, lead, partner } = await closedWorld();
      const response = await lead.post(`${url}/register-again`, {
        request: { clientWords: 'Ik ben terug: ik heb opnieuw hulp nodig met mijn papieren.' },
      });
      expect(response.statusCode, response.body).toBe(201);
      const next = response.json<{
        id: string;
        phase: string;
        previousPlanId: string;
        client: { name: string };
        sections: { request: { content: { clientWords: string } } };
      }>();
      expect(next.id).not.toBe(planId);
      expect(response.headers.location).toBe(`/api/plans/${next.id}`);
      expect(next).toMatchObject({ phase: 'registration', previousPlanId: planId });
      expect(next.sections.request.content.clientWords).toMatch(/Ik ben terug/);
      const both = await plansOfClient(plan.clientRecord.id);
      expect(both.map((p) => p.id).sort()).toEqual([planId, next.id].sort());
      expect(both.find((p) => p.id === planId)?.closedAt).not.toBeNull();
      // Nothing of the earlier network comes along: its partner reads neither plan.
      const paula = await session(partner.user);
      expect((await paula.get(`/api/plans/${next.id}`)).statusCode).toBe(404);
      // The client reads the new plan and where it comes from; each log says what happened.
      const karim = await session(plan.client);
      expect((await karim.get(`/api/plans/${next.id}`)).json()).toMatchObject({ previousPlanId: planId });
      const events = await db
        .select({ planId: auditEvents.planId, action: auditEvents.action, details: auditEvents.details })
        .from(auditEvents)
        .where(and(eq(auditEvents.actorUserId, plan.lead.id), eq(auditEvents.subjectId, next.id)));
      expect(events.map((e) => [e.planId, e.action]).sort()).toEqual(
        [
          [next.id, 'create'],
          [planId, 'reopen'],
        ].sort(),
      );
    });

    it('refuses without a session, an open plan (409), the client (403), a partner of the closed plan and a stranger (404), bad input (400)', async () => {
      const open = await world();
      expect(
        (await app.inject({ method: 'POST', url: `${open.url}/register-again`, payload: {} })).statusCode,
      ).toBe(401);
      expect((await (await session(open.plan.lead)).post(`${open.url}/register-again`, {})).statusCode).toBe(
        409,
      );
      const { plan, url, lead, partner } = await closedWorld();
      const before = (await plansOfClient(plan.clientRecord.id)).length;
      expect((await (await session(plan.client)).post(`${url}/register-again`, {})).statusCode).toBe(403);
      expect((await (await session(partner.user)).post(`${url}/register-again`, {})).statusCode).toBe(404);
      expect(
        (await (await session(await createProfessional(db))).post(`${url}/register-again`, {})).statusCode,
      ).toBe(404);
      for (const body of [{ request: { clientWords: '' } }, { extra: true }, { request: 'x' }]) {
        const response = await lead.post(`${url}/register-again`, body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
      }
      expect(await plansOfClient(plan.clientRecord.id)).toHaveLength(before);
    });

    it('lets a co-lead register the client again, who leads the new plan', async () => {
      const { url, coLead } = await closedWorld();
      const asTom = await session(coLead.user);
      const response = await asTom.post(`${url}/register-again`, {});
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toMatchObject({ myRole: 'lead', lead: { userId: coLead.user.id } });
    });
  });
});
