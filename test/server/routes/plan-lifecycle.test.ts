import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Executor } from '../../../db/client.ts';
import { actions, goals, planRequests } from '../../../db/schema/index.ts';
import { addCoLead, addGoal, addGrants, addPartner, createPlan, revokeGrant } from '../../factories/plans.ts';
import { createAdmin, createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp, injectAs } from '../../helpers/app.ts';
import { signedInAs } from '../../helpers/session.ts';

const DAY = 86_400_000;

/**
 * Léa's organisation and plans: Karim's (active; Tom co-leads; Paul and Nora partners, one of Nora's
 * grants expired and one withdrawn), Jan's (registration, his own words but no clarified question),
 * Marie's (closed); Tom leads Fatima's (goals, with goals but no action). Ada is the admin.
 */
async function createWorld(db: Executor) {
  const organization = await createOrganization(db, { name: 'Begeleid Wonen Brussel vzw' });
  const lea = await createProfessional(db, { organization, secrecyBound: true, name: 'Léa Janssens' });
  const karim = await createPlan(db, { organization, lead: lea });
  const tom = await addCoLead(db, karim, { secrecyBound: true });
  const paul = await addPartner(db, karim, {
    secrecyBound: true,
    grants: ['network', 'goals', 'actions', 'crisis', 'background', 'meetings'],
  });
  const nora = await addPartner(db, karim, { grants: ['goals', 'actions'] });
  await addGrants(db, karim, nora.member, ['crisis'], {
    validFrom: new Date(Date.now() - 60 * DAY),
    validUntil: new Date(Date.now() - DAY),
  });
  const [withdrawn] = await addGrants(db, karim, nora.member, ['agreements']);
  await revokeGrant(db, karim, withdrawn!, { revokedBy: karim.client });
  const jan = await createPlan(db, {
    organization,
    lead: lea,
    phase: 'registration',
    clientAccount: false,
    request: { clientWords: 'Ik wil een rustige plek voor mij alleen.', clarifiedQuestion: '' },
  });
  const marie = await createPlan(db, { organization, lead: lea, phase: 'closed', clientAccount: false });
  const fatima = await createPlan(db, { organization, lead: tom.user, phase: 'goals' });
  await addGoal(db, fatima, { lifeDomain: 'work_day_activity' });
  return {
    organization,
    KARIM: karim.plan.id,
    JAN: jan.plan.id,
    MARIE: marie.plan.id,
    FATIMA: fatima.plan.id,
    karimMemberPaul: paul.member.id,
    users: {
      lea,
      tom: tom.user,
      paul: paul.user,
      nora: nora.user,
      karim: karim.client,
      fatima: fatima.client,
      ada: await createAdmin(db, { organization }),
    },
  };
}

const newClient = { firstName: 'Yannick', lastName: 'Mertens', preferredLanguage: 'nl' };

describe('registering a client and opening a plan', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const w = await createWorld(db);
  const lea = await signedInAs(app, w.users.lea);
  const paul = await signedInAs(app, w.users.paul);
  const karim = await signedInAs(app, w.users.karim);
  const ada = await signedInAs(app, w.users.ada);
  const create = (token: string, payload: unknown) =>
    injectAs(app, token, { method: 'POST', url: '/api/plans', payload: payload as Record<string, unknown> });
  const count = async (table: 'plans' | 'clients' | 'members') =>
    (await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;

  it('requires a session', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/plans', payload: { client: newClient } });
    expect(response.statusCode).toBe(401);
  });

  it('puts the lead on the map in their own language when they give no role (issue 15)', async () => {
    const relationOfLead = async (token: string) => {
      const body = (await create(token, { client: newClient })).json<{
        lead: { userId: string };
        sections: { network: { content: Array<{ userId: string | null; relation: string }> } };
      }>();
      return body.sections.network.content.find((member) => member.userId === body.lead.userId)?.relation;
    };
    expect(await relationOfLead(lea)).toBe('Referentiebegeleider');
    const organization = await createOrganization(db, { name: 'Logement Accompagné' });
    const french = await createProfessional(db, { organization, locale: 'fr' });
    expect(await relationOfLead(await signedInAs(app, french))).toBe('Accompagnateur de référence');
    const english = await createProfessional(db, { organization, locale: 'en' });
    expect(await relationOfLead(await signedInAs(app, english))).toBe('Lead support worker');
  });

  it('opens the plan with an empty request, ready for the client’s own words, with its ETag', async () => {
    const planId = (await create(lea, { client: newClient })).json<{ id: string }>().id;
    const request = await injectAs(app, lea, { method: 'GET', url: `/api/plans/${planId}/request` });
    expect(request.statusCode).toBe(200);
    expect(request.json()).toEqual({ clientWords: '', clarifiedQuestion: '', version: 1 });
    expect(request.headers.etag).toBe('"1"');
  });

  it('registers the request in the client’s own words in the same form: the plan opens with it (issue 15)', async () => {
    const words = 'Ik wil een eigen studio en mijn werk houden.';
    const response = await create(lea, { client: newClient, request: { clientWords: `  ${words} ` } });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json<{ id: string; sections: { request: { content: unknown } } }>();
    expect(body.sections.request.content).toEqual({ clientWords: words, clarifiedQuestion: '', version: 1 });
    const [event] = await db.execute<{ sections: string[] }>(
      sql`select sections from audit_events where plan_id = ${body.id} and action = 'create'`,
    );
    expect(event?.sections).toEqual(['network', 'request']);
    for (const request of [{ clientWords: '   ' }, { clientWords: 'x', clarifiedQuestion: 'y' }, 'words']) {
      const before = await count('plans');
      const refused = await create(lea, { client: newClient, request });
      expect(refused.statusCode).toBe(400);
      expect(await count('plans')).toBe(before);
    }
  });

  it("opens a plan in phase registration, led by the user, in the user's organisation, with the lead in the network", async () => {
    const response = await create(lea, {
      client: {
        ...newClient,
        birthDate: '1985-04-12',
        phone: '+32 470 00 00 00',
        email: 'yannick@example.org',
        address: 'Rue Haute 1, 1000 Bruxelles',
      },
      leadRelation: 'Referentiebegeleider',
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json<{
      id: string;
      sections: { network: { content: Array<Record<string, unknown>> } };
    }>();
    expect(body).toMatchObject({
      phase: 'registration',
      myRole: 'lead',
      version: 1,
      client: { name: 'Yannick Mertens', phone: '+32 470 00 00 00', email: 'yannick@example.org' },
      lead: { name: 'Léa Janssens', organization: { name: 'Begeleid Wonen Brussel vzw' } },
    });
    expect(body.sections.network.content).toEqual([
      expect.objectContaining({
        kind: 'professional',
        userId: w.users.lea.id,
        relation: 'Referentiebegeleider',
        status: 'current',
        coLead: false,
      }),
    ]);
    const [row] = await db.execute<{ organization_id: string; lead_user_id: string; client_org: string }>(
      sql`select p.organization_id, p.lead_user_id, c.organization_id as client_org
            from plans p join clients c on c.id = p.client_id where p.id = ${body.id}`,
    );
    expect(row).toEqual({
      organization_id: w.organization.id,
      lead_user_id: w.users.lea.id,
      client_org: w.organization.id,
    });
    const events = await db.execute<{ action: string; subject_type: string }>(
      sql`select action, subject_type from audit_events where plan_id = ${body.id}`,
    );
    expect(events).toEqual([{ action: 'create', subject_type: 'Plan' }]);
    // The new plan is the lead's; nobody else knows it exists.
    expect((await injectAs(app, lea, { method: 'GET', url: `/api/plans/${body.id}` })).statusCode).toBe(200);
    expect((await injectAs(app, paul, { method: 'GET', url: `/api/plans/${body.id}` })).statusCode).toBe(404);
  });

  it('refuses clients and organisation admins (403), creating nothing', async () => {
    const before = [await count('plans'), await count('clients'), await count('members')];
    for (const token of [karim, ada]) {
      const response = await create(token, { client: newClient });
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect([await count('plans'), await count('clients'), await count('members')]).toEqual(before);
  });

  it('refuses bad input with 400 problem+json, creating nothing', async () => {
    const before = [await count('plans'), await count('clients'), await count('members')];
    const cases: unknown[] = [
      {},
      { client: { firstName: 'Yannick' } },
      { client: { ...newClient, firstName: '   ' } },
      { client: { ...newClient, lastName: 'x'.repeat(101) } },
      { client: { ...newClient, birthDate: '12/04/1985' } },
      { client: { ...newClient, email: 'not an e-mail' } },
      { client: { ...newClient, preferredLanguage: 'Nederlands' } },
      { client: { ...newClient, secret: true } },
      { client: newClient, phase: 'active' },
      { client: newClient, leadRelation: 'x'.repeat(201) },
    ];
    for (const payload of cases) {
      const response = await create(lea, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect([await count('plans'), await count('clients'), await count('members')]).toEqual(before);
  });
});

describe('moving a plan along the method', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const w = await createWorld(db);
  const { KARIM, JAN, MARIE, FATIMA } = w;
  const lea = await signedInAs(app, w.users.lea);
  const tom = await signedInAs(app, w.users.tom);
  const paul = await signedInAs(app, w.users.paul);
  const karim = await signedInAs(app, w.users.karim);
  const fatima = await signedInAs(app, w.users.fatima);
  const ada = await signedInAs(app, w.users.ada);

  const patch = (token: string, planId: string, payload: unknown, version?: number | string) =>
    injectAs(app, token, {
      method: 'PATCH',
      url: `/api/plans/${planId}`,
      payload: payload as Record<string, unknown>,
      headers:
        version === undefined ? {} : { 'if-match': typeof version === 'number' ? `"${version}"` : version },
    });
  const state = async (planId: string) =>
    (
      await db.execute<{ phase: string; version: number; next_evaluation_on: string | null }>(
        sql`select phase, version, next_evaluation_on::text from plans where id = ${planId}`,
      )
    )[0]!;
  /** Moves a plan one step and returns the new version, expecting success. */
  const move = async (token: string, planId: string, phase: string) => {
    const { version } = await state(planId);
    const response = await patch(token, planId, { phase }, version);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ phase, version: version + 1 });
    expect(response.headers.etag).toBe(`"${version + 1}"`);
    return version + 1;
  };
  const refusal = async (token: string, planId: string, phase: string) => {
    const before = await state(planId);
    const response = await patch(token, planId, { phase }, before.version);
    expect(await state(planId)).toEqual(before);
    return response;
  };

  it('requires a session', async () => {
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/plans/${KARIM}`,
      payload: { phase: 'evaluation' },
      headers: { 'if-match': '"1"' },
    });
    expect(response.statusCode).toBe(401);
  });

  it('answers strangers 404 and refuses partners and the client (403, logged), changing nothing', async () => {
    const before = await state(KARIM);
    expect((await patch(ada, KARIM, { phase: 'evaluation' }, before.version)).statusCode).toBe(404);
    expect((await patch(fatima, KARIM, { phase: 'evaluation' }, before.version)).statusCode).toBe(404);
    expect((await patch(paul, KARIM, { phase: 'evaluation' }, before.version)).statusCode).toBe(403);
    expect((await patch(karim, KARIM, { phase: 'evaluation' }, before.version)).statusCode).toBe(403);
    expect(await state(KARIM)).toEqual(before);
    const refused = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_events
           where plan_id = ${KARIM} and outcome = 'refused' and action = 'update'`,
    );
    expect(refused[0]!.n).toBe(2);
  });

  it('requires If-Match (428) and refuses a stale one (412), changing nothing', async () => {
    const before = await state(KARIM);
    const missing = await patch(lea, KARIM, { phase: 'evaluation' });
    expect(missing.statusCode).toBe(428);
    const stale = await patch(lea, KARIM, { phase: 'evaluation' }, before.version + 5);
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(await state(KARIM)).toEqual(before);
  });

  it('refuses bad input with 400, changing nothing', async () => {
    const before = await state(KARIM);
    const cases: unknown[] = [
      {},
      { phase: 'done' },
      { phase: 'evaluation', nextEvaluationOn: 'next month' },
      { phase: 'evaluation', leadUserId: w.users.tom.id },
    ];
    for (const payload of cases) {
      const response = await patch(lea, KARIM, payload, before.version);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await state(KARIM)).toEqual(before);
  });

  it('lets a co-lead set the next evaluation without moving the plan', async () => {
    const { version } = await state(KARIM);
    const response = await patch(tom, KARIM, { phase: 'active', nextEvaluationOn: '2031-03-01' }, version);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({
      phase: 'active',
      nextEvaluationOn: '2031-03-01',
      myRole: 'co_lead',
    });
    expect(await state(KARIM)).toEqual({
      phase: 'active',
      version: version + 1,
      next_evaluation_on: '2031-03-01',
    });
  });

  it('never skips a step, and never closes through PATCH (422)', async () => {
    const skip = await refusal(lea, JAN, 'goals');
    expect(skip.statusCode).toBe(422);
    expect(skip.json()).toMatchObject({ type: 'urn:liaison:problem:phase-step' });
    const close = await refusal(lea, KARIM, 'closed');
    expect(close.statusCode).toBe(422);
    expect(close.json()).toMatchObject({ type: 'urn:liaison:problem:phase-close' });
  });

  it('leaves "request" only once the question is clarified', async () => {
    await move(lea, JAN, 'request');
    // Jan's request holds his own words but no clarified question yet.
    const refused = await refusal(lea, JAN, 'goals');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      type: 'urn:liaison:problem:phase-needs-clarified-question',
      detail: expect.stringMatching(/clarified question/),
    });
    await db
      .update(planRequests)
      .set({ clarifiedQuestion: 'Jan zoekt een eigen studio met begeleiding aan huis.' })
      .where(sql`${planRequests.planId} = ${JAN}`);
    await move(lea, JAN, 'goals');
  });

  it('leaves "goals" only with a goal, and "approach" only with an action', async () => {
    const noGoal = await refusal(lea, JAN, 'approach');
    expect(noGoal.statusCode).toBe(422);
    expect(noGoal.json()).toMatchObject({ type: 'urn:liaison:problem:phase-needs-goal' });
    const [goal] = await db
      .insert(goals)
      .values({ planId: JAN, lifeDomain: 'housing', title: 'Een eigen studio' })
      .returning({ id: goals.id });
    await move(lea, JAN, 'approach');

    const noAction = await refusal(lea, JAN, 'active');
    expect(noAction.statusCode).toBe(422);
    expect(noAction.json()).toMatchObject({ type: 'urn:liaison:problem:phase-needs-action' });
    await db.insert(actions).values({ planId: JAN, goalId: goal!.id, title: 'Inschrijven bij het SVK' });
    await move(lea, JAN, 'active');
  });

  it('goes to evaluation, back to active for a new cycle, and back one step to correct a mistake', async () => {
    await move(lea, JAN, 'evaluation');
    await move(lea, JAN, 'active');
    await move(lea, JAN, 'approach');
    await move(lea, JAN, 'active');
    const events = await db.execute<{ details: { from: string; to: string } }>(
      sql`select details from audit_events where plan_id = ${JAN} and action = 'update' order by seq`,
    );
    expect(events.map((e) => `${e.details.from}→${e.details.to}`)).toEqual([
      'registration→request',
      'request→goals',
      'goals→approach',
      'approach→active',
      'active→evaluation',
      'evaluation→active',
      'active→approach',
      'approach→active',
    ]);
  });

  it('lets the lead of another plan follow the same rules (Fatima: goals → approach, not yet active)', async () => {
    await move(tom, FATIMA, 'approach');
    expect((await refusal(tom, FATIMA, 'active')).statusCode).toBe(422);
  });

  it('refuses changes to a closed plan (403)', async () => {
    const before = await state(MARIE);
    expect((await patch(lea, MARIE, { phase: 'evaluation' }, before.version)).statusCode).toBe(403);
    expect(await state(MARIE)).toEqual(before);
  });
});

describe('closing a plan', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const w = await createWorld(db);
  const { KARIM } = w;
  const lea = await signedInAs(app, w.users.lea);
  const paul = await signedInAs(app, w.users.paul);
  const nora = await signedInAs(app, w.users.nora);
  const karim = await signedInAs(app, w.users.karim);
  const ada = await signedInAs(app, w.users.ada);

  const closeUrl = `/api/plans/${KARIM}/close`;
  const closure = {
    date: '2030-06-30',
    reason: 'Karim woont zelfstandig',
    reasonKind: 'goals_reached',
    handover: 'Opvolging door het OCMW',
  };
  const close = (token: string, payload: unknown, version?: number | string) =>
    injectAs(app, token, {
      method: 'POST',
      url: closeUrl,
      payload: payload as Record<string, unknown>,
      headers:
        version === undefined ? {} : { 'if-match': typeof version === 'number' ? `"${version}"` : version },
    });
  const snapshot = async () =>
    (
      await db.execute<{ phase: string; version: number; closures: number; revocations: number }>(sql`
        select p.phase, p.version,
               (select count(*)::int from closures where plan_id = p.id) as closures,
               (select count(*)::int from grant_revocations where plan_id = p.id) as revocations
          from plans p where p.id = ${KARIM}`)
    )[0]!;
  const get = (token: string, url = `/api/plans/${KARIM}`) => injectAs(app, token, { method: 'GET', url });

  it('requires a session', async () => {
    expect((await app.inject({ method: 'POST', url: closeUrl, payload: closure })).statusCode).toBe(401);
  });

  it('answers strangers 404 and refuses partners and the client (403), changing nothing', async () => {
    const before = await snapshot();
    expect((await close(ada, closure, before.version)).statusCode).toBe(404);
    expect((await close(paul, closure, before.version)).statusCode).toBe(403);
    expect((await close(karim, closure, before.version)).statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('requires If-Match (428), refuses a stale one (412) and bad input (400), changing nothing', async () => {
    const before = await snapshot();
    expect((await close(lea, closure)).statusCode).toBe(428);
    expect((await close(lea, closure, before.version - 1)).statusCode).toBe(412);
    // A well-formed entity tag that is not the current one is stale (RFC 9110); one that is not an entity tag is 400.
    expect((await close(lea, closure, 'W/"abc"')).statusCode).toBe(412);
    expect((await close(lea, closure, 'abc')).statusCode).toBe(400);
    const cases: unknown[] = [
      {},
      { ...closure, reason: '' },
      { ...closure, date: '30/06/2030' },
      { date: closure.date, reason: closure.reason, reasonKind: closure.reasonKind },
      { ...closure, handover: 'x'.repeat(4001) },
      // The kind of reason is required, and only a word of the list.
      { date: closure.date, reason: closure.reason, handover: closure.handover },
      { ...closure, reasonKind: 'unknown' },
      { ...closure, reasonKind: 'Goals_Reached' },
      { ...closure, reasonKind: '' },
      { ...closure, reasonKind: null },
      { ...closure, reasonKind: ['goals_reached'] },
      { ...closure, phase: 'closed' },
    ];
    for (const payload of cases) {
      const response = await close(lea, payload, before.version);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type'], JSON.stringify(payload)).toMatch(
        /^application\/problem\+json/,
      );
    }
    const refused = await close(lea, { ...closure, reasonKind: 'unknown' }, before.version);
    expect(JSON.stringify(refused.json())).toMatch(/reasonKind/);
    expect(await snapshot()).toEqual(before);
  });

  it('closes the plan, ends every grant in the same transaction, and the client still reads it', async () => {
    expect((await get(paul)).statusCode).toBe(200);
    expect((await get(nora)).statusCode).toBe(200);
    const open = await db.execute<{ id: string }>(sql`
      select g.id from grants g
       where g.plan_id = ${KARIM} and not exists (select 1 from grant_revocations r where r.grant_id = g.id)`);
    expect(open.length).toBeGreaterThan(0);
    const before = await snapshot();

    const response = await close(lea, closure, before.version);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers.etag).toBe(`"${before.version + 1}"`);
    expect(response.json()).toMatchObject({ phase: 'closed', closedAt: expect.any(String) });

    const revocations = await db.execute<{
      grant_id: string;
      revoked_by: string;
      method: string | null;
      reason: string;
    }>(
      sql`select grant_id, revoked_by, method, reason from grant_revocations
           where plan_id = ${KARIM} and reason = 'plan closed'`,
    );
    expect(revocations.map((r) => r.grant_id).sort()).toEqual(open.map((g) => g.id).sort());
    expect(new Set(revocations.map((r) => `${r.revoked_by}|${r.method}`))).toEqual(
      new Set([`${w.users.lea.id}|null`]),
    );
    const events = await db.execute<{ action: string; n: number }>(sql`
      select action, count(*)::int as n from audit_events
       where plan_id = ${KARIM} and outcome = 'ok' and action in ('close', 'revoke') group by action`);
    expect(Object.fromEntries(events.map((e) => [e.action, e.n]))).toEqual({ close: 1, revoke: open.length });

    // Partners lose access on the very next request; the client and the lead still read it.
    expect((await get(paul)).statusCode).toBe(404);
    expect((await get(nora)).statusCode).toBe(404);
    const own = await get(karim);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({
      phase: 'closed',
      sections: {
        closure: {
          withheld: false,
          content: { closedOn: '2030-06-30', reason: closure.reason, reasonKind: 'goals_reached' },
        },
      },
    });
    expect((await get(lea)).statusCode).toBe(200);
    // The section's own route, and the row: the lead's words and the kind of reason side by side.
    expect((await get(lea, `/api/plans/${KARIM}/closure`)).json()).toMatchObject({
      closedOn: '2030-06-30',
      reason: closure.reason,
      reasonKind: 'goals_reached',
      handover: closure.handover,
    });
    const rows = await db.execute<{ reason: string; reason_kind: string }>(
      sql`select reason, reason_kind::text from closures where plan_id = ${KARIM}`,
    );
    expect(rows).toEqual([{ reason: closure.reason, reason_kind: 'goals_reached' }]);
    const grants = (await get(karim, `/api/plans/${KARIM}/grants`)).json<{
      items: Array<{ active: boolean }>;
    }>();
    expect(grants.items.every((g) => !g.active)).toBe(true);
  });

  it('leaves the plan read-only, and a second close is a conflict (409)', async () => {
    const { version } = await snapshot();
    const patch = await injectAs(app, lea, {
      method: 'PATCH',
      url: `/api/plans/${KARIM}`,
      payload: { phase: 'evaluation' },
      headers: { 'if-match': `"${version}"` },
    });
    expect(patch.statusCode).toBe(403);
    const member = await injectAs(app, lea, {
      method: 'POST',
      url: `/api/plans/${KARIM}/members`,
      payload: { kind: 'informal', name: 'Ahmed', relation: 'Vriend' },
    });
    expect(member.statusCode).toBe(403);
    const grant = await injectAs(app, karim, {
      method: 'POST',
      url: `/api/plans/${KARIM}/grants`,
      payload: { memberId: w.karimMemberPaul, sections: ['goals'], access: 'read', method: 'in_app' },
    });
    expect(grant.statusCode).toBe(403);
    expect((await close(lea, closure, version)).statusCode).toBe(409);
    expect(await snapshot()).toMatchObject({ phase: 'closed', version, closures: 1 });
  });
});
