import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actions, auditEvents } from '../../../db/schema/index.ts';
import { addMeeting } from '../../factories/sections.ts';
import { addPartner, createPlan } from '../../factories/plans.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// Issue 14, part 4: a decision of a meeting becomes an action with an owner in one step — one
// call, one transaction with its audit event — and the action links back to the decision.

describe('an action made from a decision of a meeting', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const plan = await createPlan(db);
  const sam = await addPartner(db, plan, {
    name: 'Sam Opvang',
    grants: ['meetings', 'actions'],
    grant: { access: 'contribute' },
  });
  const actionsOnly = await addPartner(db, plan, { name: 'Actions Only', grants: ['actions'] });
  const decision = 'Na een nacht in de opvang verwittigt Samuel Léa de volgende ochtend.';
  const meeting = await addMeeting(db, plan, {
    participants: [plan.leadMember, sam.member],
    decisions: `1. Léa plant het bezoek.\n2. ${decision}`,
  });
  const url = `/api/plans/${plan.plan.id}/meetings/${meeting.id}/actions`;
  const body = { decision, title: 'Léa verwittigen na een nacht in de opvang', ownerMemberId: sam.member.id };
  const lead = as(app, await signedInAs(app, plan.lead));
  const samClient = as(app, await signedInAs(app, sam.user));
  const actionsOnlyClient = as(app, await signedInAs(app, actionsOnly.user));
  const countActions = async () =>
    (await db.select({ n: count() }).from(actions).where(eq(actions.planId, plan.plan.id)))[0]?.n ?? 0;

  it('lets the lead make it in one call, owned, linked back, with its audit event', async () => {
    const response = await lead.post(url, { ...body, dueOn: '2030-01-31' });
    expect(response.statusCode, response.body).toBe(201);
    const action = response.json<{
      id: string;
      ownerMemberId: string;
      owner: { name: string };
      fromMeeting: { meetingId: string; decision: string };
      dueOn: string;
    }>();
    expect(action).toMatchObject({
      ownerMemberId: sam.member.id,
      owner: { name: 'Sam Opvang' },
      dueOn: '2030-01-31',
      fromMeeting: { meetingId: meeting.id, decision },
    });
    expect(response.headers.location).toBe(`/api/plans/${plan.plan.id}/actions/${action.id}`);
    const [event] = await db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, action.id), eq(auditEvents.action, 'create')));
    expect(event?.n).toBe(1);
    // Its owner reads it, with the decision it carries out (Sam reads the meetings).
    const read = await samClient.get(`/api/plans/${plan.plan.id}/actions/${action.id}`);
    expect(read.json<{ fromMeeting: unknown }>().fromMeeting).toEqual({ meetingId: meeting.id, decision });
  });

  it('gives a reader of the actions who does not read the meetings the action without the decision', async () => {
    const list = await actionsOnlyClient.get(`/api/plans/${plan.plan.id}/actions`);
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(decision);
    expect(list.json<Array<{ fromMeeting: unknown }>>().every((a) => a.fromMeeting === null)).toBe(true);
  });

  it('refuses a partner (403, even one who may contribute), and one who cannot see the meeting (404)', async () => {
    const before = await countActions();
    const refused = await samClient.post(url, body);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect((await actionsOnlyClient.post(url, body)).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url, payload: body })).statusCode).toBe(401);
    expect(await countActions()).toBe(before);
  });

  it('refuses a decision the meeting does not hold (422), an owner from elsewhere (422) and bad input (400)', async () => {
    const before = await countActions();
    const other = await createPlan(db);
    expect((await lead.post(url, { ...body, decision: 'Iets anders' })).statusCode).toBe(422);
    expect((await lead.post(url, { ...body, ownerMemberId: other.leadMember.id })).statusCode).toBe(422);
    for (const payload of [
      { ...body, decision: '' },
      { ...body, title: '' },
      { ...body, ownerMemberId: 'sam' },
      { decision, title: 'Zonder eigenaar' },
      { ...body, status: 'done' },
    ]) {
      const response = await lead.post(url, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await countActions()).toBe(before);
  });

  it('keeps the meeting an action was made from: deleting it is refused (409)', async () => {
    const meetingUrl = `/api/plans/${plan.plan.id}/meetings/${meeting.id}`;
    const tag = String((await lead.get(meetingUrl)).headers.etag);
    const response = await lead.delete(meetingUrl, { headers: { 'if-match': tag } });
    expect(response.statusCode).toBe(409);
  });
});
