import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents, evaluationContributions, evaluations } from '../../../db/schema/index.ts';
import { addPartner, createPlan } from '../../factories/plans.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// Evaluating together (issue 14, part 7): partners with `contribute` on `evaluations` and the client
// add their own rating and words to an evaluation; the lead reads them beside their own. Whoever
// reads the evaluation reads its contributions; nobody else learns anything of them.
describe('contributions to an evaluation', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const plan = await createPlan(db);
  const planId = plan.plan.id;
  const nora = await addPartner(db, plan, {
    name: 'Nora Jobcoach',
    grants: ['evaluations', 'network'],
    grant: { access: 'contribute' },
  });
  const reader = await addPartner(db, plan, { name: 'Rita Reader', grants: ['evaluations'] });
  const hidden = await addPartner(db, plan, {
    name: 'Hidden Helper',
    hidden: true,
    grants: ['evaluations'],
    grant: { access: 'contribute' },
  });
  const outsider = await addPartner(db, plan, { name: 'Otto Goals', grants: ['goals'] });
  const [evaluation] = await db
    .insert(evaluations)
    .values({ planId, evaluatedOn: '2026-11-20', collaborationRating: 4, collaborationNotes: 'Lead words' })
    .returning();
  const evaluationId = evaluation!.id;
  const base = `/api/plans/${planId}/evaluations/${evaluationId}/contributions`;
  const session = async (user: Parameters<typeof signedInAs>[1]) => as(app, await signedInAs(app, user));
  const lead = await session(plan.lead);
  const client = await session(plan.client);
  const noraApi = await session(nora.user);
  const readerApi = await session(reader.user);
  const hiddenApi = await session(hidden.user);
  const outsiderApi = await session(outsider.user);
  const contributionsIn = async (api: typeof lead) => {
    const response = await api.get(`/api/plans/${planId}/evaluations/${evaluationId}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ contributions: Array<Record<string, unknown>> }>().contributions;
  };
  const events = async (action: string, outcome: 'ok' | 'refused', actor: string) =>
    db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.planId, planId),
          eq(auditEvents.actorUserId, actor),
          eq(auditEvents.action, action),
          eq(auditEvents.outcome, outcome),
        ),
      );

  it('refuses without a session', async () => {
    const response = await app.inject({ method: 'POST', url: base, payload: { goalsRating: 3 } });
    expect(response.statusCode).toBe(401);
  });

  it('lets a partner who may contribute add their rating and words, audited in the same change', async () => {
    const response = await noraApi.post(base, {
      goalsRating: 4,
      goalsWords: 'Karim comes every day now',
      collaborationRating: 5,
      collaborationWords: 'Short lines with Léa',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json()).toMatchObject({
      evaluationId,
      author: { kind: 'partner', memberId: nora.member.id, name: 'Nora Jobcoach' },
      goalsRating: 4,
      collaborationRating: 5,
      editable: true,
    });
    const [event] = await events('create', 'ok', nora.user.id);
    expect(event).toMatchObject({ subjectType: 'EvaluationContribution', sections: ['evaluations'] });
  });

  it('lets the client add theirs in their own words, and only once', async () => {
    const response = await client.post(base, {
      collaborationRating: 2,
      collaborationWords: 'Too many people',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      author: { kind: 'client', memberId: null, name: plan.client.name },
      goalsRating: null,
      collaborationRating: 2,
    });
    const again = await client.post(base, { goalsRating: 3 });
    expect(again.statusCode).toBe(409);
    const rows = await db
      .select()
      .from(evaluationContributions)
      .where(isNull(evaluationContributions.authorMemberId));
    expect(rows).toHaveLength(1);
  });

  it('shows the lead every contribution beside the evaluation, and none as theirs to change', async () => {
    const contributions = await contributionsIn(lead);
    expect(contributions.map((c) => c.collaborationWords).sort()).toEqual([
      'Short lines with Léa',
      'Too many people',
    ]);
    expect(contributions.every((c) => c.editable === false)).toBe(true);
    const overview = await lead.get(`/api/plans/${planId}`);
    expect(overview.body).toContain('Karim comes every day now');
  });

  it('refuses a partner with read access only (403, logged) and changes nothing', async () => {
    const response = await readerApi.post(base, { goalsRating: 1 });
    expect(response.statusCode).toBe(403);
    expect(await events('create', 'refused', reader.user.id)).toHaveLength(1);
    // They read the evaluation, so they read what the others said.
    expect((await contributionsIn(readerApi)).length).toBe(2);
  });

  it('answers a partner without a grant on evaluations as if the evaluation did not exist', async () => {
    const response = await outsiderApi.post(base, { goalsRating: 1 });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('Karim comes every day now');
    const read = await outsiderApi.get(`/api/plans/${planId}/evaluations/${evaluationId}`);
    expect(read.statusCode).toBe(404);
    const overview = await outsiderApi.get(`/api/plans/${planId}`);
    expect(overview.statusCode).toBe(200);
    expect(overview.body).not.toContain('Karim comes every day now');
    expect(overview.body).not.toContain('Too many people');
  });

  it('refuses the lead (they write the evaluation itself)', async () => {
    const response = await lead.post(base, { goalsRating: 3 });
    expect(response.statusCode).toBe(403);
  });

  it('names a hidden partner only to those who may see them in the network', async () => {
    const response = await hiddenApi.post(base, { goalsWords: 'From a hidden helper' });
    expect(response.statusCode, response.body).toBe(201);
    const seenByNora = (await contributionsIn(noraApi)).find((c) => c.goalsWords === 'From a hidden helper');
    expect(seenByNora?.author).toEqual({ kind: 'partner', memberId: hidden.member.id, name: null });
    const seenByLead = (await contributionsIn(lead)).find((c) => c.goalsWords === 'From a hidden helper');
    expect(seenByLead?.author).toMatchObject({ name: 'Hidden Helper' });
  });

  it('rejects bad input with 400 and writes nothing', async () => {
    const before = await db.select().from(evaluationContributions);
    for (const body of [
      {},
      { goalsRating: 6 },
      { goalsRating: 0 },
      { goalsWords: '   ' },
      { goalsRating: 3, extra: true },
      { collaborationWords: 'x'.repeat(10_001) },
    ]) {
      const response = await readerApi.post(base, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(await db.select().from(evaluationContributions)).toEqual(before);
  });

  it('lets only its author change a contribution, with If-Match (428, 412)', async () => {
    const mine = (await contributionsIn(noraApi)).find((c) => c.editable === true);
    expect(mine).toBeDefined();
    const url = `${base}/${String(mine!.id)}`;
    expect((await noraApi.patch(url, { goalsRating: 3 })).statusCode).toBe(428);
    expect(
      (await noraApi.patch(url, { goalsRating: 3 }, { headers: { 'if-match': '"7"' } })).statusCode,
    ).toBe(412);
    expect((await noraApi.patch(url, {}, { headers: { 'if-match': '"1"' } })).statusCode).toBe(400);
    const changed = await noraApi.patch(url, { goalsRating: 3 }, { headers: { 'if-match': '"1"' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.headers.etag).toBe('"2"');
    expect(changed.json()).toMatchObject({ goalsRating: 3, goalsWords: 'Karim comes every day now' });
    expect(await events('update', 'ok', nora.user.id)).toHaveLength(1);
    // Someone else's: the client may read it, not change it; a reader without the section: 404.
    expect((await client.patch(url, { goalsRating: 1 }, { headers: { 'if-match': '"2"' } })).statusCode).toBe(
      403,
    );
    expect(
      (await outsiderApi.patch(url, { goalsRating: 1 }, { headers: { 'if-match': '"2"' } })).statusCode,
    ).toBe(404);
    const [row] = await db
      .select()
      .from(evaluationContributions)
      .where(eq(evaluationContributions.id, String(mine!.id)));
    expect(row).toMatchObject({ goalsRating: 3, version: 2 });
  });

  it('keeps an evaluation with contributions from being deleted (409), in one transaction', async () => {
    const [current] = await db.select().from(evaluations).where(eq(evaluations.id, evaluationId));
    const response = await lead.delete(`/api/plans/${planId}/evaluations/${evaluationId}`, {
      headers: { 'if-match': `"${current!.version}"` },
    });
    expect(response.statusCode).toBe(409);
    expect(await db.select().from(evaluations).where(eq(evaluations.id, evaluationId))).toHaveLength(1);
  });

  it('refuses every contribution once the plan is closed (read-only)', async () => {
    const closedPlan = await createPlan(db, { phase: 'closed', plan: { closedAt: new Date() } });
    const [closedEvaluation] = await db
      .insert(evaluations)
      .values({ planId: closedPlan.plan.id, evaluatedOn: '2026-01-01' })
      .returning();
    const closedClient = await session(closedPlan.client);
    const response = await closedClient.post(
      `/api/plans/${closedPlan.plan.id}/evaluations/${closedEvaluation!.id}/contributions`,
      { goalsRating: 3 },
    );
    expect(response.statusCode).toBe(403);
  });
});
