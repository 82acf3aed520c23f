import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Executor } from '../../../db/client.ts';
import {
  addCoLead,
  addGoal,
  addGrants,
  addMember,
  addPartner,
  createPlan,
  revokeGrant,
} from '../../factories/plans.ts';
import {
  addAction,
  addAgreement,
  addBackground,
  addCrisisPlan,
  addEvaluation,
  addMeeting,
} from '../../factories/sections.ts';
import { createAdmin, createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp, injectAs } from '../../helpers/app.ts';
import { signedInAs } from '../../helpers/session.ts';

const MISSING = '00000000-0000-4000-8000-000000000000';
const DAY = 86_400_000;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Karim's plan with content in every section: Léa leads, Tom co-leads; Paul (secrecy-bound) reads
 * the network, goals, crisis, background and meetings and contributes to actions; Nora reads goals
 * and contributes to actions (her crisis grant expired, her agreements grant was withdrawn); Sam
 * reads agreements and crisis. Jan's plan has no crisis plan or background yet (Sam is a member);
 * Marie's is closed (Paul was a member); Fatima's, led by Tom, has Nora and a goal. Named as the
 * demo rows these tests began on.
 */
async function createWorld(db: Executor) {
  const organization = await createOrganization(db);
  const lea = await createProfessional(db, { organization, secrecyBound: true, name: 'Léa Janssens' });
  const paul = await createProfessional(db, { secrecyBound: true, name: 'Paul Verhaegen' });
  const nora = await createProfessional(db, { name: 'Nora El Idrissi' });
  const sam = await createProfessional(db);

  const karim = await createPlan(db, { organization, lead: lea });
  const tom = await addCoLead(db, karim, { secrecyBound: true });
  const karimPaul = await addPartner(db, karim, {
    user: paul,
    grants: ['network', 'goals', 'crisis', 'background', 'meetings'],
  });
  await addGrants(db, karim, karimPaul.member, ['actions'], { access: 'contribute' });
  const karimNora = await addPartner(db, karim, { user: nora, grants: ['goals'] });
  await addGrants(db, karim, karimNora.member, ['actions'], { access: 'contribute' });
  await addGrants(db, karim, karimNora.member, ['crisis'], {
    validFrom: new Date(Date.now() - 90 * DAY),
    validUntil: new Date(Date.now() - 30 * DAY),
  });
  const [noraAgreements] = await addGrants(db, karim, karimNora.member, ['agreements']);
  await revokeGrant(db, karim, noraAgreements!, { revokedBy: karim.client });
  const karimSam = await addPartner(db, karim, { user: sam, grants: ['agreements', 'crisis'] });
  const neighbour = await addMember(db, karim, { relation: 'Ancien voisin' });
  const father = await addMember(db, karim, { relation: 'Père', status: 'past', hidden: true });

  const crisisPlan = await addCrisisPlan(db, karim, {
    earlySigns: 'Je dors mal et je ne réponds plus au téléphone.',
    whatHelps: 'Een rustige plek.',
  });
  await addBackground(db, karim, { situation: 'Woont in een transitwoning.' });
  const goalHousing = await addGoal(db, karim, { lifeDomain: 'housing', title: 'Een eigen studio' });
  const goalWork = await addGoal(db, karim, { lifeDomain: 'work_day_activity', title: 'Werken' });
  const goalRelations = await addGoal(db, karim, { lifeDomain: 'relations', title: 'Zijn zus zien' });
  const goalMoney = await addGoal(db, karim, { lifeDomain: 'money', title: 'Budget' });
  await addAction(db, karim, { goalId: goalHousing.id, ownerMemberId: karim.leadMember.id });
  const actionPsychiatrist = await addAction(db, karim, { ownerMemberId: karimPaul.member.id });
  const actionWorkSchedule = await addAction(db, karim, {
    goalId: goalWork.id,
    ownerMemberId: karimNora.member.id,
    notes: ['Karim vraagt naar het houtatelier.'],
  });
  const agreementNight = await addAgreement(db, karim, { role: 'Nachtpermanentie' });
  const meeting = await addMeeting(db, karim, {
    participants: [karim.leadMember, karimPaul.member, karimNora.member, karimSam.member],
    addedNotes: [
      { author: paul, body: 'Karim slaapt beter.' },
      { author: lea, body: 'Verslag overlopen met Karim.' },
    ],
  });
  const evaluation = await addEvaluation(db, karim, {
    collaborationRating: 4,
    goals: [
      { goal: goalHousing, rating: 3 },
      { goal: goalWork, rating: 4 },
    ],
  });

  const jan = await createPlan(db, { organization, lead: lea, phase: 'registration', clientAccount: false });
  const janSam = await addPartner(db, jan, { user: sam });

  const marie = await createPlan(db, { organization, lead: lea, phase: 'closed', clientAccount: false });
  const mariePaul = await addPartner(db, marie, { user: paul, grants: ['goals', 'meetings'] });
  await addBackground(db, marie, { situation: 'Verhuisd naar Namen.' });
  const marieGoalHousing = await addGoal(db, marie, { lifeDomain: 'housing' });
  const marieMeeting = await addMeeting(db, marie, { participants: [marie.leadMember, mariePaul.member] });

  const fatima = await createPlan(db, { organization, lead: tom.user, phase: 'goals' });
  const fatimaNora = await addPartner(db, fatima, { user: nora, grants: ['goals'] });
  const fatimaGoalWork = await addGoal(db, fatima, { lifeDomain: 'work_day_activity' });

  const ada = await createAdmin(db, { organization });
  return {
    users: { lea, tom: tom.user, paul, nora, sam, karim: karim.client, fatima: fatima.client, ada },
    ids: {
      lea: lea.id,
      tom: tom.user.id,
      paul: paul.id,
      nora: nora.id,
      karimUser: karim.client.id,
      karimPlan: karim.plan.id,
      janPlan: jan.plan.id,
      mariePlan: marie.plan.id,
      fatimaPlan: fatima.plan.id,
      karimMemberLea: karim.leadMember.id,
      karimMemberPaul: karimPaul.member.id,
      karimMemberNora: karimNora.member.id,
      karimMemberNeighbour: neighbour.id,
      karimMemberFather: father.id,
      janMemberSam: janSam.member.id,
      marieMemberPaul: mariePaul.member.id,
      fatimaMemberNora: fatimaNora.member.id,
      karimCrisisPlan: crisisPlan.id,
      karimGoalHousing: goalHousing.id,
      karimGoalWork: goalWork.id,
      karimGoalRelations: goalRelations.id,
      karimGoalMoney: goalMoney.id,
      karimActionPsychiatrist: actionPsychiatrist.id,
      karimActionWorkSchedule: actionWorkSchedule.id,
      karimAgreementNight: agreementNight.id,
      karimMeeting: meeting.id,
      karimEvaluation: evaluation.id,
      marieGoalHousing: marieGoalHousing.id,
      marieMeeting: marieMeeting.id,
      fatimaGoalWork: fatimaGoalWork.id,
    },
  };
}

describe('writing the sections of a plan', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const { users, ids: I } = await createWorld(db);
  const KARIM = I.karimPlan;
  const MARIE = I.mariePlan;
  const JAN = I.janPlan;
  const tokens = {
    lea: await signedInAs(app, users.lea),
    tom: await signedInAs(app, users.tom),
    paul: await signedInAs(app, users.paul),
    nora: await signedInAs(app, users.nora),
    sam: await signedInAs(app, users.sam),
    karim: await signedInAs(app, users.karim),
    fatima: await signedInAs(app, users.fatima),
    ada: await signedInAs(app, users.ada),
  };
  type Who = keyof typeof tokens;

  const send = (
    who: Who,
    method: Method,
    url: string,
    payload?: Record<string, unknown>,
    ifMatch?: string,
  ): Promise<LightMyRequestResponse> =>
    injectAs(app, tokens[who], {
      method,
      url: `/api/plans/${url}`,
      ...(payload === undefined ? {} : { payload }),
      headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
    });
  /** The ETag the user gets for an item now. */
  const etag = async (who: Who, url: string) => {
    const response = await send(who, 'GET', url);
    expect(response.statusCode, `GET ${url}`).toBe(200);
    return String(response.headers.etag);
  };
  /** The version of a plan's document, from its body: the section GETs of plans.ts send no ETag. */
  const documentTag = async (who: Who, url: string) => {
    const response = await send(who, 'GET', url);
    expect(response.statusCode, `GET ${url}`).toBe(200);
    return `"${response.json<{ version: number }>().version}"`;
  };
  /** A table's rows of a plan, as text, to show that a refused write changed nothing. */
  const snapshot = async (table: string, planId = KARIM) =>
    JSON.stringify(
      await db.execute(
        sql`select * from ${sql.identifier(table)} where plan_id = ${planId} order by 1, 2, 3`,
      ),
    );
  const auditCount = async (filter: {
    action: string;
    outcome?: 'ok' | 'refused';
    subjectId?: string;
    actor?: string;
    planId?: string;
  }) =>
    (
      await db.execute<{ n: number }>(sql`
        select count(*)::int as n from audit_events
         where plan_id = ${filter.planId ?? KARIM} and action = ${filter.action}
           and outcome = ${filter.outcome ?? 'ok'}
           ${filter.subjectId ? sql`and subject_id = ${filter.subjectId}` : sql``}
           ${filter.actor ? sql`and actor_user_id = ${filter.actor}` : sql``}`)
    )[0]!.n;
  const expectProblem = (response: LightMyRequestResponse, status: number, detail?: RegExp) => {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    if (detail) expect(response.json<{ detail: string }>().detail).toMatch(detail);
  };

  describe('one document per plan: request, crisis plan, background', () => {
    it('requires a session', async () => {
      for (const path of ['request', 'crisis', 'background']) {
        const response = await app.inject({
          method: 'PUT',
          url: `/api/plans/${KARIM}/${path}`,
          payload: { clientWords: 'x' },
        });
        expect(response.statusCode, path).toBe(401);
      }
    });

    it('answers strangers 404, exactly as for a plan that does not exist, and changes nothing', async () => {
      const before = await snapshot('crisis_plans');
      for (const who of ['ada', 'fatima'] as const) {
        const response = await send(who, 'PUT', `${KARIM}/crisis`, { whatHelps: 'x' }, '"1"');
        const missing = await send(who, 'PUT', `${MISSING}/crisis`, { whatHelps: 'x' }, '"1"');
        expectProblem(response, 404);
        expect({ ...response.json(), instance: null }).toEqual({ ...missing.json(), instance: null });
      }
      expect(await snapshot('crisis_plans')).toBe(before);
    });

    it('refuses partners, even those who read the document (403, logged), and changes nothing', async () => {
      const before = await snapshot('crisis_plans');
      const refusals = await auditCount({ action: 'update', outcome: 'refused', actor: I.paul });
      expectProblem(await send('paul', 'PUT', `${KARIM}/crisis`, { whatHelps: 'x' }, '"1"'), 403);
      expectProblem(await send('sam', 'PUT', `${KARIM}/crisis`, { whatHelps: 'x' }, '"1"'), 403);
      expectProblem(await send('nora', 'PUT', `${KARIM}/background`, { health: 'x' }, '"1"'), 403);
      expect(await snapshot('crisis_plans')).toBe(before);
      expect(await auditCount({ action: 'update', outcome: 'refused', actor: I.paul })).toBe(refusals + 1);
    });

    it('lets the lead replace the fields sent, with the version in If-Match, and logs the change', async () => {
      const tag = await documentTag('lea', `${KARIM}/crisis`);
      const response = await send('lea', 'PUT', `${KARIM}/crisis`, { whatHelps: 'Calm words.' }, tag);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.json<{ whatHelps: string; earlySigns: string; version: number }>();
      expect(body).toMatchObject({ whatHelps: 'Calm words.', version: Number(tag.slice(1, -1)) + 1 });
      expect(body.earlySigns).toMatch(/Je dors mal/);
      expect(response.headers.etag).toBe(`"${body.version}"`);
      const read = await send('paul', 'GET', `${KARIM}/crisis`);
      expect(read.json()).toMatchObject({ whatHelps: 'Calm words.' });
      expect(await auditCount({ action: 'update', subjectId: I.karimCrisisPlan })).toBe(1);
    });

    it('requires If-Match (428) and refuses a stale one (412), changing nothing', async () => {
      const before = await snapshot('backgrounds');
      expectProblem(await send('lea', 'PUT', `${KARIM}/background`, { health: 'x' }), 428);
      expectProblem(await send('lea', 'PUT', `${KARIM}/background`, { health: 'x' }, '"99"'), 412);
      expectProblem(await send('lea', 'PUT', `${KARIM}/background`, { health: 'x' }, 'soon'), 400);
      expect(await snapshot('backgrounds')).toBe(before);
    });

    it('refuses bad input with 400 and field errors, changing nothing', async () => {
      const before = await snapshot('plan_requests');
      const tag = await documentTag('lea', `${KARIM}/request`);
      for (const payload of [
        {},
        { clientWords: 'x', secret: 'y' },
        { clientWords: 'x'.repeat(10_001) },
        { clarifiedQuestion: 42 },
        { version: 7 },
      ]) {
        const response = await send('lea', 'PUT', `${KARIM}/request`, payload, tag);
        expectProblem(response, 400);
        expect(response.json<{ errors: unknown[] }>().errors.length).toBeGreaterThan(0);
      }
      expect(await snapshot('plan_requests')).toBe(before);
    });

    it('lets the client change their own words of the request, and nothing else', async () => {
      const before = await snapshot('plan_requests');
      const tag = await documentTag('karim', `${KARIM}/request`);
      const refused = await send('karim', 'PUT', `${KARIM}/request`, { clarifiedQuestion: 'x' }, tag);
      expectProblem(refused, 403, /only clientWords/);
      const both = await send(
        'karim',
        'PUT',
        `${KARIM}/request`,
        { clientWords: 'x', clarifiedQuestion: 'y' },
        tag,
      );
      expectProblem(both, 403, /not clarifiedQuestion/);
      expect(await snapshot('plan_requests')).toBe(before);
      const ok = await send(
        'karim',
        'PUT',
        `${KARIM}/request`,
        { clientWords: 'Ik wil een eigen studio.' },
        tag,
      );
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ clientWords: 'Ik wil een eigen studio.' });
    });

    it('creates a document that does not exist yet without If-Match, and then requires it', async () => {
      const created = await send('lea', 'PUT', `${JAN}/crisis`, { earlySigns: 'Slaapt niet.' });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      expect(created.json()).toEqual({
        earlySigns: 'Slaapt niet.',
        whatHelps: '',
        whomToCall: '',
        version: 1,
      });
      expect(await auditCount({ action: 'create', planId: JAN })).toBe(1);
      expectProblem(await send('lea', 'PUT', `${JAN}/crisis`, { whatHelps: 'x' }), 428);
      // A precondition on a document that does not exist cannot hold.
      expectProblem(await send('lea', 'PUT', `${JAN}/background`, { health: 'x' }, '"1"'), 412);
      expect(await snapshot('backgrounds', JAN)).toBe('[]');
      const read = await send('lea', 'GET', `${JAN}/crisis`);
      expect(read.json()).toMatchObject({ earlySigns: 'Slaapt niet.' });
    });

    it('answers every write on a closed plan 403 "closed", while the lead still reads it', async () => {
      const before = await snapshot('backgrounds', MARIE);
      const tag = await documentTag('lea', `${MARIE}/background`);
      expectProblem(await send('lea', 'PUT', `${MARIE}/background`, { health: 'x' }, tag), 403, /closed/);
      expectProblem(await send('lea', 'PUT', `${MARIE}/crisis`, { whatHelps: 'x' }), 403, /closed/);
      expect(await snapshot('backgrounds', MARIE)).toBe(before);
    });
  });

  describe('goals', () => {
    const goal = `${KARIM}/goals/${I.karimGoalWork}`;

    it('requires a session on every route', async () => {
      for (const [method, url] of [
        ['GET', goal],
        ['PATCH', goal],
        ['DELETE', goal],
        ['POST', `${KARIM}/goals`],
      ] as const) {
        const response = await app.inject({ method, url: `/api/plans/${url}`, payload: {} });
        expect(response.statusCode, `${method} ${url}`).toBe(401);
      }
    });

    it('reads one goal with its ETag, logging the read for everyone but the client', async () => {
      const reads = await auditCount({ action: 'read', actor: I.lea });
      const response = await send('lea', 'GET', goal);
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.json<Record<string, unknown>>();
      expect(Object.keys(body).sort()).toEqual(
        ['clientWords', 'id', 'lifeDomain', 'status', 'targetDate', 'title', 'version'].sort(),
      );
      expect(response.headers.etag).toBe(`"${String(body.version)}"`);
      expect(await auditCount({ action: 'read', actor: I.lea })).toBe(reads + 1);
      const clientReads = await auditCount({ action: 'read', actor: I.karimUser });
      expect((await send('karim', 'GET', goal)).statusCode).toBe(200);
      expect((await send('nora', 'GET', goal)).statusCode).toBe(200);
      expect(await auditCount({ action: 'read', actor: I.karimUser })).toBe(clientReads);
    });

    it('answers 404 for a goal the user may not read, of another plan, or in a plan they do not see', async () => {
      const missing = await send('lea', 'GET', `${KARIM}/goals/${MISSING}`);
      expectProblem(missing, 404);
      for (const [who, url] of [
        ['sam', goal], // no consent for goals
        ['ada', goal],
        ['fatima', goal],
        ['lea', `${KARIM}/goals/${I.fatimaGoalWork}`], // a goal of another plan
        ['nora', `${I.fatimaPlan}/goals/${I.karimGoalWork}`],
      ] as const) {
        const response = await send(who, 'GET', url);
        expect(response.statusCode, `${who} ${url}`).toBe(404);
        expect({ ...response.json(), instance: null }).toEqual({ ...missing.json(), instance: null });
      }
      expectProblem(await send('lea', 'GET', `${KARIM}/goals/not-a-uuid`), 400);
    });

    it('lets the lead add a goal, at the end of the list, logged', async () => {
      const response = await send('lea', 'POST', `${KARIM}/goals`, {
        lifeDomain: 'leisure',
        title: '  Een hobby vinden  ',
        clientWords: 'Ik wil iets doen op zondag.',
      });
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json<{ id: string; title: string; status: string; version: number }>();
      expect(body).toMatchObject({ title: 'Een hobby vinden', status: 'open', version: 1, targetDate: null });
      expect(response.headers.etag).toBe('"1"');
      expect(response.headers.location).toBe(`/api/plans/${KARIM}/goals/${body.id}`);
      const list = (await send('lea', 'GET', `${KARIM}/goals`)).json<Array<{ id: string }>>();
      expect(list.at(-1)?.id).toBe(body.id);
      expect(await auditCount({ action: 'create', subjectId: body.id })).toBe(1);
    });

    it('refuses a new goal to partners and the client (403, logged), to strangers (404), on a closed plan', async () => {
      const before = await snapshot('goals');
      const refusals = await auditCount({ action: 'create', outcome: 'refused', actor: I.nora });
      const payload = { lifeDomain: 'health', title: 'x' };
      expectProblem(await send('nora', 'POST', `${KARIM}/goals`, payload), 403, /lead/);
      expectProblem(await send('karim', 'POST', `${KARIM}/goals`, payload), 403);
      expectProblem(await send('ada', 'POST', `${KARIM}/goals`, payload), 404);
      expectProblem(await send('fatima', 'POST', `${KARIM}/goals`, payload), 404);
      expect(await snapshot('goals')).toBe(before);
      expect(await auditCount({ action: 'create', outcome: 'refused', actor: I.nora })).toBe(refusals + 1);
      expectProblem(await send('lea', 'POST', `${MARIE}/goals`, payload), 403, /closed/);
    });

    it('refuses bad input with 400, changing nothing', async () => {
      const before = await snapshot('goals');
      for (const payload of [
        {},
        { lifeDomain: 'health' },
        { lifeDomain: 'astrology', title: 'x' },
        { lifeDomain: 'health', title: '   ' },
        { lifeDomain: 'health', title: 'x'.repeat(201) },
        { lifeDomain: 'health', title: 'x', targetDate: '31/12/2026' },
        { lifeDomain: 'health', title: 'x', status: 'done' },
        { lifeDomain: 'health', title: 'x', planId: I.fatimaPlan },
      ]) {
        expectProblem(await send('lea', 'POST', `${KARIM}/goals`, payload), 400);
      }
      const tag = await etag('lea', goal);
      for (const payload of [{}, { title: '' }, { version: 9 }, { position: 3 }]) {
        expectProblem(await send('lea', 'PATCH', goal, payload, tag), 400);
      }
      expect(await snapshot('goals')).toBe(before);
    });

    it('lets the lead change a goal with If-Match: 428 without, 412 when stale, nothing written either way', async () => {
      const before = await snapshot('goals');
      expectProblem(await send('lea', 'PATCH', goal, { status: 'achieved' }), 428);
      const tag = await etag('lea', goal);
      const version = Number(tag.slice(1, -1));
      expectProblem(await send('lea', 'PATCH', goal, { status: 'achieved' }, `"${version - 1}"`), 412);
      expectProblem(await send('lea', 'PATCH', goal, { status: 'achieved' }, `"${version + 1}"`), 412);
      expect(await snapshot('goals')).toBe(before);
      const response = await send(
        'tom',
        'PATCH',
        goal,
        { status: 'achieved', targetDate: '2027-03-01' },
        tag,
      );
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        status: 'achieved',
        targetDate: '2027-03-01',
        version: version + 1,
      });
      expect(response.headers.etag).toBe(`"${version + 1}"`);
      // The same If-Match again is now stale.
      expectProblem(await send('lea', 'PATCH', goal, { status: 'open' }, tag), 412);
      const [row] = await db.execute<{ updated_by: string }>(
        sql`select updated_by from goals where id = ${I.karimGoalWork}`,
      );
      expect(row?.updated_by).toBe(I.tom);
      expect(await auditCount({ action: 'update', subjectId: I.karimGoalWork })).toBe(1);
    });

    it('lets the client change only their own words of a goal', async () => {
      const url = `${KARIM}/goals/${I.karimGoalHousing}`;
      const before = await snapshot('goals');
      const tag = await etag('karim', url);
      expectProblem(
        await send('karim', 'PATCH', url, { title: 'x' }, tag),
        403,
        /only clientWords.*not title/,
      );
      expectProblem(await send('karim', 'PATCH', url, { clientWords: 'x', status: 'achieved' }, tag), 403);
      expect(await snapshot('goals')).toBe(before);
      const response = await send('karim', 'PATCH', url, { clientWords: 'Een studio met een balkon.' }, tag);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ clientWords: 'Een studio met een balkon.' });
    });

    it('refuses changes to partners who only read goals (403) and to those who do not (404)', async () => {
      const before = await snapshot('goals');
      const tag = await etag('lea', goal);
      expectProblem(await send('nora', 'PATCH', goal, { status: 'open' }, tag), 403, /lead/);
      expectProblem(await send('paul', 'DELETE', goal, undefined, tag), 403);
      expectProblem(await send('sam', 'PATCH', goal, { status: 'open' }, tag), 404);
      expectProblem(await send('ada', 'DELETE', goal, undefined, tag), 404);
      expect(await snapshot('goals')).toBe(before);
    });

    it('refuses to delete a goal that actions or evaluations refer to (409), and deletes one that is free', async () => {
      const before = await snapshot('goals');
      const busy = `${KARIM}/goals/${I.karimGoalHousing}`;
      expectProblem(await send('lea', 'DELETE', busy, undefined, await etag('lea', busy)), 409, /dropped/);
      expect(await snapshot('goals')).toBe(before);

      const created = await send('lea', 'POST', `${KARIM}/goals`, { lifeDomain: 'money', title: 'Sparen' });
      const url = `${KARIM}/goals/${created.json<{ id: string }>().id}`;
      expectProblem(await send('lea', 'DELETE', url), 428);
      expectProblem(await send('lea', 'DELETE', url, undefined, '"2"'), 412);
      expect((await send('lea', 'GET', url)).statusCode).toBe(200);
      const deleted = await send('lea', 'DELETE', url, undefined, '"1"');
      expect(deleted.statusCode, deleted.body).toBe(204);
      expect(deleted.body).toBe('');
      expect((await send('lea', 'GET', url)).statusCode).toBe(404);
      expect((await send('lea', 'DELETE', url, undefined, '"1"')).statusCode).toBe(404);
      expect(await auditCount({ action: 'delete', subjectId: url.split('/').at(-1) })).toBe(1);
    });

    it('keeps a closed plan read-only: the lead reads a goal but cannot change it', async () => {
      const url = `${MARIE}/goals/${I.marieGoalHousing}`;
      const tag = await etag('lea', url);
      expectProblem(await send('lea', 'PATCH', url, { title: 'x' }, tag), 403, /closed/);
      expectProblem(await send('lea', 'DELETE', url, undefined, tag), 403, /closed/);
      expectProblem(await send('paul', 'GET', url), 404);
    });
  });

  describe('actions', () => {
    const noraAction = `${KARIM}/actions/${I.karimActionWorkSchedule}`;
    const paulAction = `${KARIM}/actions/${I.karimActionPsychiatrist}`;

    it('requires a session', async () => {
      expect((await app.inject({ method: 'GET', url: `/api/plans/${noraAction}` })).statusCode).toBe(401);
      expect(
        (await app.inject({ method: 'PATCH', url: `/api/plans/${noraAction}`, payload: { status: 'done' } }))
          .statusCode,
      ).toBe(401);
    });

    it('lets a partner who may contribute change the status of an action they own and add a note', async () => {
      const tag = await etag('nora', noraAction);
      const response = await send(
        'nora',
        'PATCH',
        noraAction,
        { status: 'done', note: 'Karim werkt nu in het houtatelier.' },
        tag,
      );
      expect(response.statusCode, response.body).toBe(200);
      const action = response.json<{
        status: string;
        thread: Array<{ note: string; status: string | null }>;
      }>();
      expect(action.status).toBe('done');
      // Appended to the thread: the notes from before stay.
      expect(action.thread.at(-1)).toMatchObject({
        status: 'done',
        note: 'Karim werkt nu in het houtatelier.',
        authorName: 'Nora El Idrissi',
      });
      expect(action.thread[0]).toMatchObject({ status: null, note: 'Karim vraagt naar het houtatelier.' });
      expect(
        await auditCount({
          action: 'update',
          subjectId: I.karimActionWorkSchedule,
          actor: I.nora,
        }),
      ).toBe(1);
      const paulTag = await etag('paul', paulAction);
      const paul = await send('paul', 'PATCH', paulAction, { note: 'Afspraak verzet.' }, paulTag);
      expect(paul.statusCode, paul.body).toBe(200);
    });

    it('refuses any other field of their own action, saying which fields they may change', async () => {
      const before = await snapshot('actions');
      const tag = await etag('nora', noraAction);
      for (const payload of [
        { title: 'x' },
        { status: 'doing', dueOn: '2030-01-01' },
        { ownerMemberId: I.karimMemberPaul },
        { goalId: null },
      ]) {
        expectProblem(await send('nora', 'PATCH', noraAction, payload, tag), 403, /only status and note/);
      }
      expectProblem(await send('nora', 'DELETE', noraAction, undefined, tag), 403);
      expect(await snapshot('actions')).toBe(before);
    });

    it("refuses a partner's change to an action someone else owns", async () => {
      const before = await snapshot('actions');
      const tag = await etag('nora', paulAction);
      expectProblem(await send('nora', 'PATCH', paulAction, { status: 'done' }, tag), 403, /actions you own/);
      expectProblem(
        await send('paul', 'PATCH', noraAction, { note: 'x' }, await etag('paul', noraAction)),
        403,
      );
      expectProblem(
        await send('karim', 'PATCH', noraAction, { status: 'done' }, await etag('karim', noraAction)),
        403,
      );
      expectProblem(await send('sam', 'PATCH', noraAction, { status: 'done' }, tag), 404);
      expect(await snapshot('actions')).toBe(before);
    });

    it('requires If-Match from partners too (428, 412), changing nothing', async () => {
      const before = await snapshot('actions');
      expectProblem(await send('nora', 'PATCH', noraAction, { status: 'todo' }), 428);
      expectProblem(await send('nora', 'PATCH', noraAction, { status: 'todo' }, '"1"'), 412);
      expect(await snapshot('actions')).toBe(before);
    });

    it('lets the lead add an action owned by a current member of this plan, linked to a goal of this plan', async () => {
      const response = await send('lea', 'POST', `${KARIM}/actions`, {
        title: 'Bezoek aan de dagbesteding',
        goalId: I.karimGoalRelations,
        ownerMemberId: I.karimMemberNora,
        dueOn: '2030-06-01',
      });
      expect(response.statusCode, response.body).toBe(201);
      const action = response.json<{ id: string }>();
      expect(action).toMatchObject({ status: 'todo', thread: [], ownerMemberId: I.karimMemberNora });
      // Nora owns it now, and may report on it.
      const url = `${KARIM}/actions/${action.id}`;
      const noraTag = await etag('nora', url);
      expect((await send('nora', 'PATCH', url, { status: 'doing' }, noraTag)).statusCode).toBe(200);
      // Given to Paul, it is no longer hers to change.
      const leaTag = await etag('lea', url);
      const moved = await send('lea', 'PATCH', url, { ownerMemberId: I.karimMemberPaul }, leaTag);
      expect(moved.statusCode, moved.body).toBe(200);
      expectProblem(await send('nora', 'PATCH', url, { status: 'done' }, String(moved.headers.etag)), 403);
      // Its thread (Nora's status change) is history: the action is cancelled, not deleted.
      expectProblem(
        await send('lea', 'DELETE', url, undefined, String(moved.headers.etag)),
        409,
        /cancelled/,
      );
      const fresh = await send('lea', 'POST', `${KARIM}/actions`, { title: 'Nooit begonnen' });
      const freshUrl = `${KARIM}/actions/${fresh.json<{ id: string }>().id}`;
      const deleted = await send('lea', 'DELETE', freshUrl, undefined, String(fresh.headers.etag));
      expect(deleted.statusCode).toBe(204);
    });

    it('refuses an owner or goal from elsewhere (422) and bad input (400), changing nothing', async () => {
      const before = await snapshot('actions');
      const cases: Array<[Record<string, unknown>, number]> = [
        [{ title: 'x', ownerMemberId: I.fatimaMemberNora }, 422],
        [{ title: 'x', ownerMemberId: I.karimMemberFather }, 422], // a past member
        [{ title: 'x', goalId: I.fatimaGoalWork }, 422],
        [{ title: 'x', ownerMemberId: 'nora' }, 400],
        [{ title: 'x', status: 'finished' }, 400],
        [{ title: 'x', dueOn: '2030-02-30' }, 400],
        [{ title: 'x', note: 'x'.repeat(10_001) }, 400],
        [{ title: 'x', note: '   ' }, 400],
        [{ title: 'x', notes: 'the field before the thread' }, 400],
        [{ title: 'x', version: 1 }, 400],
      ];
      for (const [payload, status] of cases) {
        expectProblem(await send('lea', 'POST', `${KARIM}/actions`, payload), status);
      }
      const tag = await etag('lea', paulAction);
      expectProblem(await send('lea', 'PATCH', paulAction, { ownerMemberId: I.marieMemberPaul }, tag), 422);
      expect(await snapshot('actions')).toBe(before);
    });

    it('answers 404 to partners without consent for actions, and to strangers', async () => {
      expectProblem(await send('sam', 'GET', noraAction), 404);
      expectProblem(await send('ada', 'GET', noraAction), 404);
      expect((await send('paul', 'GET', noraAction)).statusCode).toBe(200);
    });
  });

  describe('agreements', () => {
    const url = `${KARIM}/agreements/${I.karimAgreementNight}`;

    it('requires a session', async () => {
      expect((await app.inject({ method: 'DELETE', url: `/api/plans/${url}` })).statusCode).toBe(401);
    });

    it('is read by partners with consent, and 404 once consent was withdrawn', async () => {
      expect((await send('sam', 'GET', url)).statusCode).toBe(200);
      expectProblem(await send('nora', 'GET', url), 404);
    });

    it('lets the lead add, change and delete an agreement; partners who read them may not (403)', async () => {
      const created = await send('lea', 'POST', `${KARIM}/agreements`, {
        role: 'Buur: post en boodschappen',
        memberId: I.karimMemberNeighbour,
        callWhen: 'Als Karim de post niet ophaalt.',
      });
      expect(created.statusCode, created.body).toBe(201);
      const item = `${KARIM}/agreements/${created.json<{ id: string }>().id}`;
      expectProblem(await send('sam', 'PATCH', item, { role: 'x' }, '"1"'), 403);
      expectProblem(await send('sam', 'POST', `${KARIM}/agreements`, { role: 'x' }), 403);
      expectProblem(await send('lea', 'PATCH', item, { role: 'x' }), 428);
      const changed = await send('lea', 'PATCH', item, { memberId: null, agreement: 'Elke maandag.' }, '"1"');
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({ memberId: null, agreement: 'Elke maandag.', version: 2 });
      expectProblem(await send('lea', 'DELETE', item, undefined, '"1"'), 412);
      expect((await send('lea', 'DELETE', item, undefined, '"2"')).statusCode).toBe(204);
    });

    it('refuses a member of another plan (422) and bad input (400), changing nothing', async () => {
      const before = await snapshot('agreements');
      expectProblem(
        await send('lea', 'POST', `${KARIM}/agreements`, { role: 'x', memberId: I.janMemberSam }),
        422,
      );
      expectProblem(await send('lea', 'POST', `${KARIM}/agreements`, { agreement: 'no role' }), 400);
      expectProblem(await send('lea', 'POST', `${KARIM}/agreements`, { role: 'x'.repeat(201) }), 400);
      expect(await snapshot('agreements')).toBe(before);
    });
  });

  describe('meetings and their notes', () => {
    const meeting = `${KARIM}/meetings/${I.karimMeeting}`;
    const notes = `${meeting}/notes`;
    const meetingCounts = async () =>
      JSON.stringify([
        await snapshot('meetings'),
        await snapshot('meeting_participants'),
        await snapshot('meeting_notes'),
      ]);

    it('requires a session', async () => {
      expect((await app.inject({ method: 'GET', url: `/api/plans/${meeting}` })).statusCode).toBe(401);
      expect(
        (await app.inject({ method: 'POST', url: `/api/plans/${notes}`, payload: { body: 'x' } })).statusCode,
      ).toBe(401);
    });

    it('reads a meeting with participants and added notes; only secrecy-bound partners with consent see it', async () => {
      const response = await send('paul', 'GET', meeting);
      expect(response.statusCode).toBe(200);
      const body = response.json<{ participants: Array<{ memberId: string }>; addedNotes: unknown[] }>();
      expect(body.participants.map((p) => p.memberId)).toContain(I.karimMemberPaul);
      expect(body.addedNotes).toHaveLength(2);
      expectProblem(await send('nora', 'GET', meeting), 404);
      expectProblem(await send('sam', 'GET', meeting), 404);
    });

    it('lets the lead hold a meeting with participants of this plan, and change who took part', async () => {
      const created = await send('lea', 'POST', `${KARIM}/meetings`, {
        heldAt: '2030-01-15T14:00:00+01:00',
        title: 'Overleg werk',
        participantMemberIds: [I.karimMemberLea, I.karimMemberNora],
      });
      expect(created.statusCode, created.body).toBe(201);
      const body = created.json<{ id: string; heldAt: string; participants: Array<{ name: string }> }>();
      expect(body.heldAt).toBe('2030-01-15T13:00:00.000Z');
      expect(body.participants.map((p) => p.name).sort()).toEqual(['Léa Janssens', 'Nora El Idrissi']);
      const url = `${KARIM}/meetings/${body.id}`;
      const changed = await send(
        'lea',
        'PATCH',
        url,
        { participantMemberIds: [I.karimMemberPaul], decisions: 'Nora komt volgende keer.' },
        '"1"',
      );
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({
        participants: [{ memberId: I.karimMemberPaul }],
        decisions: 'Nora komt volgende keer.',
        version: 2,
      });
      expectProblem(await send('lea', 'PATCH', url, { title: 'x' }, '"1"'), 412);
      // Deleting a meeting takes its participants with it.
      expect((await send('lea', 'DELETE', url, undefined, '"2"')).statusCode).toBe(204);
      const [left] = await db.execute<{ n: number }>(
        sql`select count(*)::int as n from meeting_participants where meeting_id = ${body.id}`,
      );
      expect(left?.n).toBe(0);
    });

    // Issue 14: participants can be the client, who is no member of their own network.
    it('records whether the client took part, and says so to every reader of the meeting', async () => {
      const created = await send('lea', 'POST', `${KARIM}/meetings`, {
        heldAt: '2030-02-01T10:00:00+01:00',
        title: 'Overleg met Karim',
        clientTookPart: true,
      });
      expect(created.statusCode, created.body).toBe(201);
      const body = created.json<{ id: string; clientTookPart: boolean }>();
      expect(body.clientTookPart).toBe(true);
      const plain = await send('lea', 'POST', `${KARIM}/meetings`, {
        heldAt: '2030-02-02T10:00:00+01:00',
        title: 'Overleg zonder Karim',
      });
      expect(plain.json<{ clientTookPart: boolean }>().clientTookPart).toBe(false);
      // Who took part is not bound by secrecy: the client and a partner with `meetings` read it.
      for (const reader of ['karim', 'paul'] as const) {
        const read = await send(reader, 'GET', `${KARIM}/meetings/${body.id}`);
        expect(read.statusCode, `${reader} ${read.body}`).toBe(200);
        expect(read.json<{ clientTookPart: boolean }>().clientTookPart).toBe(true);
      }
      expectProblem(
        await send('lea', 'POST', `${KARIM}/meetings`, {
          heldAt: '2030-02-03T10:00:00Z',
          title: 'x',
          clientTookPart: 'ja',
        }),
        400,
      );
    });

    it('keeps past members as participants, shown only to those who may see them in the network', async () => {
      const created = await send('lea', 'POST', `${KARIM}/meetings`, {
        heldAt: '2015-05-01T10:00:00Z',
        title: 'Overleg met de familie',
        participantMemberIds: [I.karimMemberLea, I.karimMemberFather],
      });
      expect(created.statusCode, created.body).toBe(201);
      const url = `${KARIM}/meetings/${created.json<{ id: string }>().id}`;
      const ids = async (who: Who) =>
        (await send(who, 'GET', url))
          .json<{ participants: Array<{ memberId: string }> }>()
          .participants.map((p) => p.memberId);
      expect(await ids('lea')).toContain(I.karimMemberFather);
      // The client hid his father from partners, and past members are hidden by default.
      expect(await ids('paul')).toEqual([I.karimMemberLea]);
      expect((await send('lea', 'DELETE', url, undefined, '"1"')).statusCode).toBe(204);
    });

    it('refuses participants from elsewhere (422) and bad input (400), changing nothing', async () => {
      const before = await meetingCounts();
      const cases: Array<[Record<string, unknown>, number]> = [
        [{ heldAt: '2030-01-15T14:00:00Z', title: 'x', participantMemberIds: [I.fatimaMemberNora] }, 422],
        [
          {
            heldAt: '2030-01-15T14:00:00Z',
            title: 'x',
            participantMemberIds: [I.karimMemberLea, I.karimMemberLea],
          },
          400,
        ],
        [{ heldAt: '2030-01-15', title: 'x' }, 400],
        [{ heldAt: '2030-01-15T14:00:00Z', title: 'x', participantMemberIds: Array(101).fill(MISSING) }, 400],
      ];
      for (const [payload, status] of cases) {
        expectProblem(await send('lea', 'POST', `${KARIM}/meetings`, payload), status);
      }
      expectProblem(
        await send('paul', 'POST', `${KARIM}/meetings`, { heldAt: '2030-01-15T14:00:00Z', title: 'x' }),
        403,
      );
      expect(await meetingCounts()).toBe(before);
    });

    it('lets a partner who took part add a note only with consent to contribute to meetings', async () => {
      const before = await meetingCounts();
      expectProblem(await send('paul', 'POST', notes, { body: 'Karim slaapt beter.' }), 403, /consent/);
      expectProblem(await send('karim', 'POST', notes, { body: 'x' }), 403);
      expectProblem(await send('sam', 'POST', notes, { body: 'x' }), 404);
      expectProblem(await send('ada', 'POST', notes, { body: 'x' }), 404);
      expect(await meetingCounts()).toBe(before);

      const grant = await send('lea', 'POST', `${KARIM}/grants`, {
        memberId: I.karimMemberPaul,
        sections: ['meetings'],
        access: 'contribute',
        method: 'written',
      });
      expect(grant.statusCode, grant.body).toBe(201);
      expectProblem(await send('paul', 'POST', notes, { body: '   ' }), 400);
      expectProblem(await send('paul', 'POST', notes, { body: 'x', author: 'Léa' }), 400);
      const versionBefore = (await send('paul', 'GET', meeting)).json<{ version: number }>().version;
      const added = await send('paul', 'POST', notes, { body: 'Karim slaapt beter.' });
      expect(added.statusCode, added.body).toBe(201);
      expect(added.json()).toMatchObject({ body: 'Karim slaapt beter.', authorName: 'Paul Verhaegen' });
      const read = (await send('lea', 'GET', meeting)).json<{
        addedNotes: Array<{ body: string }>;
        version: number;
      }>();
      expect(read.addedNotes.at(-1)?.body).toBe('Karim slaapt beter.');
      // A note is added to the meeting, not a change of it: the meeting keeps its version.
      expect(read.version).toBe(versionBefore);
      expect(await auditCount({ action: 'create', subjectId: added.json<{ id: string }>().id })).toBe(1);

      // A meeting Paul did not take part in.
      const other = await send('lea', 'POST', `${KARIM}/meetings`, {
        heldAt: '2030-02-01T10:00:00Z',
        title: 'Overleg wonen',
        participantMemberIds: [I.karimMemberLea],
      });
      const otherNotes = `${KARIM}/meetings/${other.json<{ id: string }>().id}/notes`;
      expectProblem(await send('paul', 'POST', otherNotes, { body: 'x' }), 403, /took part/);
      // The lead adds notes to any meeting.
      expect((await send('lea', 'POST', otherNotes, { body: 'Verslag volgt.' })).statusCode).toBe(201);
    });

    it('refuses to delete a meeting that people added notes to (409)', async () => {
      const before = await meetingCounts();
      expectProblem(
        await send('lea', 'DELETE', meeting, undefined, await etag('lea', meeting)),
        409,
        /notes/,
      );
      expect(await meetingCounts()).toBe(before);
    });
  });

  describe('evaluations', () => {
    const evaluation = `${KARIM}/evaluations/${I.karimEvaluation}`;

    it('requires a session', async () => {
      expect(
        (await app.inject({ method: 'POST', url: `/api/plans/${KARIM}/evaluations`, payload: {} }))
          .statusCode,
      ).toBe(401);
    });

    it('rates goals of this plan (1–5) and the collaboration', async () => {
      const created = await send('tom', 'POST', `${KARIM}/evaluations`, {
        evaluatedOn: '2030-03-01',
        collaborationRating: 5,
        goals: [
          { goalId: I.karimGoalWork, rating: 5, notes: 'Houtatelier.' },
          { goalId: I.karimGoalMoney, rating: 3 },
        ],
      });
      expect(created.statusCode, created.body).toBe(201);
      const body = created.json<{
        id: string;
        goals: Array<{ goalId: string; rating: number; notes: string }>;
      }>();
      expect(body.goals).toEqual(
        expect.arrayContaining([
          { goalId: I.karimGoalWork, rating: 5, notes: 'Houtatelier.' },
          { goalId: I.karimGoalMoney, rating: 3, notes: '' },
        ]),
      );
      const url = `${KARIM}/evaluations/${body.id}`;
      const changed = await send(
        'lea',
        'PATCH',
        url,
        { goals: [{ goalId: I.karimGoalMoney, rating: 4 }] },
        '"1"',
      );
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({
        goals: [{ goalId: I.karimGoalMoney, rating: 4 }],
        version: 2,
      });
      expectProblem(await send('lea', 'PATCH', url, { collaborationRating: null }), 428);
      expectProblem(await send('lea', 'PATCH', url, { collaborationRating: null }, '"1"'), 412);
    });

    it('refuses ratings out of range, goals of another plan and unknown fields, changing nothing', async () => {
      const before = JSON.stringify([await snapshot('evaluations'), await snapshot('evaluation_goals')]);
      const cases: Array<[Record<string, unknown>, number]> = [
        [{ evaluatedOn: '2030-03-01', collaborationRating: 6 }, 400],
        [{ evaluatedOn: '2030-03-01', goals: [{ goalId: I.karimGoalWork, rating: 0 }] }, 400],
        [{ evaluatedOn: '2030-03-01', goals: [{ goalId: I.karimGoalWork, rating: 2.5 }] }, 400],
        [
          {
            evaluatedOn: '2030-03-01',
            goals: [
              { goalId: I.karimGoalWork, rating: 2 },
              { goalId: I.karimGoalWork, rating: 3 },
            ],
          },
          400,
        ],
        [{ evaluatedOn: '2030-03-01', goals: [{ goalId: I.karimGoalWork, rating: 2, mood: 'ok' }] }, 400],
        [{ evaluatedOn: '2030-03-01', goals: [{ goalId: I.fatimaGoalWork, rating: 2 }] }, 422],
      ];
      for (const [payload, status] of cases) {
        expectProblem(await send('lea', 'POST', `${KARIM}/evaluations`, payload), status);
      }
      expectProblem(await send('karim', 'POST', `${KARIM}/evaluations`, { evaluatedOn: '2030-03-01' }), 403);
      expectProblem(await send('paul', 'GET', evaluation), 404);
      expect(JSON.stringify([await snapshot('evaluations'), await snapshot('evaluation_goals')])).toBe(
        before,
      );
    });

    it('deletes an evaluation with its ratings, after which its goals are free to delete', async () => {
      const tag = await etag('lea', evaluation);
      expect((await send('lea', 'DELETE', evaluation, undefined, tag)).statusCode).toBe(204);
      const [left] = await db.execute<{ n: number }>(
        sql`select count(*)::int as n from evaluation_goals where evaluation_id = ${I.karimEvaluation}`,
      );
      expect(left?.n).toBe(0);
      expectProblem(await send('lea', 'GET', evaluation), 404);
    });
  });

  it('keeps every closed plan read-only for every kind of item', async () => {
    for (const [path, payload] of [
      ['goals', { lifeDomain: 'health', title: 'x' }],
      ['actions', { title: 'x' }],
      ['agreements', { role: 'x' }],
      ['meetings', { heldAt: '2030-01-01T10:00:00Z', title: 'x' }],
      ['evaluations', { evaluatedOn: '2030-01-01' }],
    ] as const) {
      expectProblem(await send('lea', 'POST', `${MARIE}/${path}`, payload), 403, /closed/);
    }
    const tag = await etag('lea', `${MARIE}/meetings/${I.marieMeeting}`);
    expectProblem(
      await send('lea', 'PATCH', `${MARIE}/meetings/${I.marieMeeting}`, { title: 'x' }, tag),
      403,
    );
    expectProblem(await send('lea', 'POST', `${MARIE}/meetings/${I.marieMeeting}/notes`, { body: 'x' }), 403);
  });

  it('keeps the access log a valid chain after all these writes', async () => {
    const { verifyAuditChains } = await import('../../../db/queries/audit.ts');
    expect((await verifyAuditChains(db)).problems).toEqual([]);
  });
});
