import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Executor } from '../../../db/client.ts';
import { addCoLead, addMember, addPartner, createPlan } from '../../factories/plans.ts';
import { createAdmin, createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp, injectAs } from '../../helpers/app.ts';
import { signedInAs } from '../../helpers/session.ts';

/**
 * Léa's organisation: Karim's plan (Léa leads, Tom co-leads; Paul, with the network, Nora and Sam,
 * without it, are partners; a sister and a neighbour), Fatima's (Tom leads; Nora has goals; her
 * mother) and Marie's, closed (Léa; a partner). Paul, Sam, the rental agency and the clinic are
 * of other organisations; Ada is the admin. Named as the demo rows these tests began on.
 */
async function createWorld(db: Executor) {
  const orgBegeleidWonen = await createOrganization(db, { name: 'Begeleid Wonen Brussel vzw' });
  const orgMentalHealth = await createOrganization(db, { name: 'CGG Noordwest Brussel vzw' });
  const orgRentalAgency = await createOrganization(db);
  const orgClinic = await createOrganization(db);
  const lea = await createProfessional(db, { organization: orgBegeleidWonen, secrecyBound: true });
  const paul = await createProfessional(db, {
    organization: orgMentalHealth,
    secrecyBound: true,
    name: 'Paul Verhaegen',
  });
  const sam = await createProfessional(db);
  const nora = await createProfessional(db);

  const karim = await createPlan(db, { organization: orgBegeleidWonen, lead: lea });
  const tom = await addCoLead(db, karim, { secrecyBound: true });
  const karimMemberPaul = await addPartner(db, karim, {
    user: paul,
    grants: ['network', 'goals', 'actions', 'crisis', 'background', 'meetings'],
  });
  const karimMemberNora = await addPartner(db, karim, { user: nora, grants: ['goals', 'actions'] });
  const karimMemberSam = await addPartner(db, karim, { user: sam, grants: ['agreements', 'crisis'] });
  const karimMemberSister = await addMember(db, karim, { relation: 'Sœur' });
  const karimMemberNeighbour = await addMember(db, karim, { relation: 'Ancien voisin' });

  const fatima = await createPlan(db, { organization: orgBegeleidWonen, lead: tom.user, phase: 'goals' });
  await addPartner(db, fatima, { user: nora, grants: ['goals'] });
  const fatimaMemberMother = await addMember(db, fatima, { relation: 'Moeder' });

  const marie = await createPlan(db, {
    organization: orgBegeleidWonen,
    lead: lea,
    phase: 'closed',
    clientAccount: false,
  });
  const marieMemberPartner = await addMember(db, marie, { relation: 'Compagnon' });

  const ada = await createAdmin(db, { organization: orgBegeleidWonen });

  return {
    users: { lea, tom: tom.user, paul, nora, sam, karim: karim.client, fatima: fatima.client, ada },
    ids: {
      ada: ada.id,
      lea: lea.id,
      tom: tom.user.id,
      paul: paul.id,
      nora: nora.id,
      sam: sam.id,
      karimUser: karim.client.id,
      orgBegeleidWonen: orgBegeleidWonen.id,
      orgMentalHealth: orgMentalHealth.id,
      orgRentalAgency: orgRentalAgency.id,
      orgClinic: orgClinic.id,
      karimPlan: karim.plan.id,
      fatimaPlan: fatima.plan.id,
      mariePlan: marie.plan.id,
      karimMemberLea: karim.leadMember.id,
      karimMemberPaul: karimMemberPaul.member.id,
      karimMemberNora: karimMemberNora.member.id,
      karimMemberSam: karimMemberSam.member.id,
      karimMemberSister: karimMemberSister.id,
      karimMemberNeighbour: karimMemberNeighbour.id,
      fatimaMemberMother: fatimaMemberMother.id,
      marieMemberPartner: marieMemberPartner.id,
    },
  };
}

type MemberRow = {
  relation: string;
  status: string;
  hidden: boolean;
  closeness: number;
  co_lead: boolean;
  ended_on: string | null;
  removed: boolean;
  version: number;
};

describe('adding people to the network', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const w = await createWorld(db);
  const ids = w.ids;
  const FATIMA = w.ids.fatimaPlan;
  const MARIE = w.ids.mariePlan;
  const tom = await signedInAs(app, w.users.tom);
  const lea = await signedInAs(app, w.users.lea);
  const nora = await signedInAs(app, w.users.nora);
  const fatima = await signedInAs(app, w.users.fatima);
  const karim = await signedInAs(app, w.users.karim);
  const ada = await signedInAs(app, w.users.ada);

  const url = `/api/plans/${FATIMA}/members`;
  const add = (token: string, payload: Record<string, unknown>, planUrl = url) =>
    injectAs(app, token, { method: 'POST', url: planUrl, payload });
  const countMembers = async (planId = FATIMA) =>
    (
      await db.execute<{ n: number }>(sql`select count(*)::int as n from members where plan_id = ${planId}`)
    )[0]!.n;

  it('requires a session', async () => {
    const response = await app.inject({
      method: 'POST',
      url,
      payload: { kind: 'informal', name: 'Ahmed', relation: 'Broer' },
    });
    expect(response.statusCode).toBe(401);
  });

  it('adds an informal supporter, with an ETag, listed in the network', async () => {
    const response = await add(tom, {
      kind: 'informal',
      name: 'Ahmed Amrani',
      relation: 'Broer',
      lifeDomains: ['relations', 'work_day_activity', 'relations'],
      closeness: 1,
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers['cache-control']).toBe('no-store');
    const member = response.json<{ id: string }>();
    expect(member).toMatchObject({
      kind: 'informal',
      name: 'Ahmed Amrani',
      userId: null,
      organization: null,
      relation: 'Broer',
      lifeDomains: ['relations', 'work_day_activity'],
      status: 'current',
      hidden: false,
      closeness: 1,
      coLead: false,
      version: 1,
    });
    const network = await injectAs(app, tom, { method: 'GET', url });
    expect(network.json<Array<{ id: string }>>().map((m) => m.id)).toContain(member.id);
    const events = await db.execute<{ action: string; sections: string[] }>(
      sql`select action, sections from audit_events where plan_id = ${FATIMA} and subject_id = ${member.id}`,
    );
    expect(events).toEqual([{ action: 'create', sections: ['network'] }]);
  });

  it("adds a professional with an account, taking the account's name and organisation", async () => {
    const response = await add(tom, {
      kind: 'professional',
      userId: ids.paul,
      relation: 'Psychiater',
      lifeDomains: ['health'],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      kind: 'professional',
      userId: ids.paul,
      name: 'Paul Verhaegen',
      organization: { id: ids.orgMentalHealth, name: 'CGG Noordwest Brussel vzw' },
    });
  });

  it('adds a professional without an account, by organisation and name', async () => {
    const response = await add(tom, {
      kind: 'professional',
      organizationId: ids.orgRentalAgency,
      name: 'Julie Renard',
      relation: 'Gestionnaire locative',
      status: 'past',
      endedOn: '2024-01-31',
      hidden: true,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      userId: null,
      name: 'Julie Renard',
      organization: { id: ids.orgRentalAgency },
      status: 'past',
      endedOn: '2024-01-31',
      hidden: true,
    });
  });

  it('refuses the same person twice in one plan (409)', async () => {
    const before = await countMembers();
    const again = await add(tom, { kind: 'professional', userId: ids.paul, relation: 'Psychiater' });
    expect(again.statusCode).toBe(409);
    // The lead is in the network already.
    const lead = await add(tom, { kind: 'professional', userId: ids.tom, relation: 'Begeleider' });
    expect(lead.statusCode).toBe(409);
    expect(await countMembers()).toBe(before);
  });

  it("makes a co-lead only of a professional user of the lead's organisation (else 422)", async () => {
    const before = await countMembers();
    const otherOrganisation = await add(tom, {
      kind: 'professional',
      userId: ids.sam,
      relation: 'Travailleur social',
      coLead: true,
    });
    expect(otherOrganisation.statusCode).toBe(422);
    expect(otherOrganisation.json()).toMatchObject({ type: 'urn:liaison:problem:co-lead' });
    const withoutAccount = await add(tom, {
      kind: 'professional',
      organizationId: ids.orgBegeleidWonen,
      name: 'Collega zonder account',
      relation: 'Begeleider',
      coLead: true,
    });
    expect(withoutAccount.statusCode).toBe(422);
    expect(await countMembers()).toBe(before);
    // Léa is not in Fatima's plan: 404 until she becomes co-lead, then she leads it with Tom.
    expect((await injectAs(app, lea, { method: 'GET', url: `/api/plans/${FATIMA}` })).statusCode).toBe(404);
    const colead = await add(tom, {
      kind: 'professional',
      userId: ids.lea,
      relation: 'Co-begeleider',
      coLead: true,
    });
    expect(colead.statusCode).toBe(201);
    expect(colead.json()).toMatchObject({ coLead: true });
    const overview = await injectAs(app, lea, { method: 'GET', url: `/api/plans/${FATIMA}` });
    expect(overview.statusCode).toBe(200);
    expect(overview.json()).toMatchObject({ myRole: 'co_lead' });
  });

  it('refuses users who are not professionals and unknown users or organisations (422)', async () => {
    const before = await countMembers();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ kind: 'professional', userId: ids.karimUser, relation: 'x' }, 'not-a-professional'],
      [{ kind: 'professional', userId: ids.ada, relation: 'x' }, 'not-a-professional'],
      [
        { kind: 'professional', userId: '00000000-0000-4000-8000-000000000000', relation: 'x' },
        'unknown-user',
      ],
      [
        {
          kind: 'professional',
          organizationId: '00000000-0000-4000-8000-000000000000',
          name: 'X',
          relation: 'x',
        },
        'unknown-organization',
      ],
      [
        { kind: 'professional', userId: ids.sam, organizationId: ids.orgClinic, relation: 'x' },
        'organization-mismatch',
      ],
      [{ kind: 'informal', name: 'X', relation: 'x', endedOn: '2024-01-01' }, 'ended-on-current'],
    ];
    for (const [payload, type] of cases) {
      const response = await add(tom, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
      expect(response.json()).toMatchObject({ type: `urn:liaison:problem:${type}` });
    }
    expect(await countMembers()).toBe(before);
  });

  it('refuses bad input with 400 problem+json, changing nothing', async () => {
    const before = await countMembers();
    const cases: Array<Record<string, unknown>> = [
      {},
      { kind: 'friend', name: 'X', relation: 'x' },
      { kind: 'informal', relation: 'Broer' },
      { kind: 'informal', name: 'X', relation: '' },
      { kind: 'informal', name: 'X', relation: 'x'.repeat(201) },
      { kind: 'informal', name: 'X', relation: 'x', closeness: 4 },
      { kind: 'informal', name: 'X', relation: 'x', lifeDomains: ['sports'] },
      { kind: 'informal', name: 'X', relation: 'x', userId: ids.sam },
      { kind: 'informal', name: 'X', relation: 'x', coLead: true },
      { kind: 'informal', name: 'X', relation: 'x', extra: 1 },
      { kind: 'professional', relation: 'x' },
      { kind: 'professional', name: 'X', relation: 'x' },
      { kind: 'professional', userId: ids.sam, name: 'Sam', relation: 'x' },
      { kind: 'professional', userId: 'not-a-uuid', relation: 'x' },
    ];
    for (const payload of cases) {
      const response = await add(tom, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(await countMembers()).toBe(before);
  });

  it('refuses partners and the client (403, logged), answers strangers 404', async () => {
    const before = await countMembers();
    const payload = { kind: 'informal', name: 'Ahmed', relation: 'Broer' };
    expect((await add(nora, payload)).statusCode).toBe(403);
    expect((await add(fatima, payload)).statusCode).toBe(403);
    expect((await add(ada, payload)).statusCode).toBe(404);
    expect((await add(karim, payload)).statusCode).toBe(404);
    expect(await countMembers()).toBe(before);
    const refused = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_events
           where plan_id = ${FATIMA} and outcome = 'refused' and action = 'create'`,
    );
    expect(refused[0]!.n).toBe(2);
  });

  it('refuses additions to a closed plan (403)', async () => {
    const before = await countMembers(MARIE);
    const response = await add(
      lea,
      { kind: 'informal', name: 'Ahmed', relation: 'Vriend' },
      `/api/plans/${MARIE}/members`,
    );
    expect(response.statusCode).toBe(403);
    expect(await countMembers(MARIE)).toBe(before);
  });
});

describe('changing and removing members', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const w = await createWorld(db);
  const ids = w.ids;
  const KARIM = w.ids.karimPlan;
  const MARIE = w.ids.mariePlan;
  const lea = await signedInAs(app, w.users.lea);
  const tom = await signedInAs(app, w.users.tom);
  const paul = await signedInAs(app, w.users.paul);
  const nora = await signedInAs(app, w.users.nora);
  const sam = await signedInAs(app, w.users.sam);
  const karim = await signedInAs(app, w.users.karim);
  const ada = await signedInAs(app, w.users.ada);

  const memberUrl = (memberId: string, planId = KARIM) => `/api/plans/${planId}/members/${memberId}`;
  const ifMatch = (version?: number | string) =>
    version === undefined ? {} : { 'if-match': typeof version === 'number' ? `"${version}"` : version };
  const patch = (
    token: string,
    memberId: string,
    payload: Record<string, unknown>,
    version?: number | string,
  ) =>
    injectAs(app, token, { method: 'PATCH', url: memberUrl(memberId), payload, headers: ifMatch(version) });
  const remove = (token: string, memberId: string, version?: number | string) =>
    injectAs(app, token, { method: 'DELETE', url: memberUrl(memberId), headers: ifMatch(version) });
  const row = async (memberId: string) =>
    (
      await db.execute<MemberRow>(sql`
        select relation, status::text, hidden, closeness, co_lead, ended_on::text,
               removed_at is not null as removed, version
          from members where id = ${memberId}`)
    )[0]!;
  const revocations = async (memberId: string) =>
    db.execute<{ reason: string; revoked_by: string; method: string | null }>(sql`
      select r.reason, r.revoked_by, r.method from grant_revocations r join grants g on g.id = r.grant_id
       where g.plan_id = ${KARIM} and g.member_id = ${memberId}
         and r.reason in ('member removed', 'member''s part in the plan ended')`);
  const openGrants = async (memberId: string) =>
    (
      await db.execute<{ n: number }>(sql`
        select count(*)::int as n from grants g
         where g.plan_id = ${KARIM} and g.member_id = ${memberId}
           and (g.valid_until is null or g.valid_until > now())
           and not exists (select 1 from grant_revocations r where r.grant_id = g.id)`)
    )[0]!.n;
  const refusedUpdates = async () =>
    (
      await db.execute<{ n: number }>(sql`
        select count(*)::int as n from audit_events
         where plan_id = ${KARIM} and action = 'update' and outcome = 'refused'`)
    )[0]!.n;
  const planStatus = async (token: string) =>
    (await injectAs(app, token, { method: 'GET', url: `/api/plans/${KARIM}` })).statusCode;

  it('requires a session', async () => {
    const url = memberUrl(ids.karimMemberSister);
    const headers = { 'if-match': '"1"' };
    expect((await app.inject({ method: 'PATCH', url, payload: { hidden: true }, headers })).statusCode).toBe(
      401,
    );
    expect((await app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(401);
  });

  it('lets the lead change a member, answering the new version as ETag', async () => {
    const response = await patch(
      lea,
      ids.karimMemberNeighbour,
      { relation: 'Buurman', closeness: 1, lifeDomains: ['daily_living'] },
      1,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({
      relation: 'Buurman',
      closeness: 1,
      lifeDomains: ['daily_living'],
    });
    expect(await row(ids.karimMemberNeighbour)).toMatchObject({ relation: 'Buurman', version: 2 });
  });

  it('requires If-Match (428) and refuses a stale one (412), changing nothing', async () => {
    const before = await row(ids.karimMemberNeighbour);
    expect((await patch(lea, ids.karimMemberNeighbour, { relation: 'Vriend' })).statusCode).toBe(428);
    expect((await patch(lea, ids.karimMemberNeighbour, { relation: 'Vriend' }, 1)).statusCode).toBe(412);
    expect((await remove(lea, ids.karimMemberNeighbour)).statusCode).toBe(428);
    expect((await remove(lea, ids.karimMemberNeighbour, 1)).statusCode).toBe(412);
    expect(await row(ids.karimMemberNeighbour)).toEqual(before);
  });

  it('refuses bad input with 400, changing nothing', async () => {
    const before = await row(ids.karimMemberNeighbour);
    const cases: Array<Record<string, unknown>> = [
      {},
      { closeness: 0 },
      { status: 'gone' },
      { relation: 'x'.repeat(201) },
      { lifeDomains: Array.from({ length: 20 }, () => 'health') },
      { name: 'Someone else' },
      { removedAt: null },
    ];
    for (const payload of cases) {
      const response = await patch(lea, ids.karimMemberNeighbour, payload, before.version);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await row(ids.karimMemberNeighbour)).toEqual(before);
  });

  it('answers 404 for a member of another plan, an unknown one, and strangers', async () => {
    expect((await patch(lea, ids.fatimaMemberMother, { hidden: true }, 1)).statusCode).toBe(404);
    expect((await patch(lea, '00000000-0000-4000-8000-000000000000', { hidden: true }, 1)).statusCode).toBe(
      404,
    );
    expect((await patch(ada, ids.karimMemberSister, { hidden: true }, 1)).statusCode).toBe(404);
    expect((await remove(ada, ids.karimMemberSister, 1)).statusCode).toBe(404);
    // Nora has no consent for the network: members she cannot see do not exist for her.
    expect((await patch(nora, ids.karimMemberSister, { hidden: true }, 1)).statusCode).toBe(404);
    expect(await row(ids.karimMemberSister)).toMatchObject({ hidden: false, version: 1 });
  });

  it('refuses partners who can see the member (403, logged), changing nothing', async () => {
    expect((await patch(paul, ids.karimMemberSister, { hidden: true }, 1)).statusCode).toBe(403);
    expect((await patch(paul, ids.karimMemberPaul, { relation: 'Hoofdbehandelaar' }, 1)).statusCode).toBe(
      403,
    );
    expect((await remove(paul, ids.karimMemberSister, 1)).statusCode).toBe(403);
    expect(await row(ids.karimMemberSister)).toMatchObject({
      hidden: false,
      removed: false,
      version: 1,
    });
    const refused = await db.execute<{ action: string }>(sql`
      select action from audit_events where plan_id = ${KARIM} and outcome = 'refused' and actor_user_id = ${ids.paul}
       order by seq`);
    expect(refused.map((e) => e.action)).toEqual(['update', 'update', 'delete']);
  });

  it('lets the client hide a member from partners, but not change their relation', async () => {
    const relation = await patch(karim, ids.karimMemberSister, { relation: 'Grande sœur' }, 1);
    expect(relation.statusCode).toBe(403);
    const both = await patch(karim, ids.karimMemberSister, { hidden: true, relation: 'Grande sœur' }, 1);
    expect(both.statusCode).toBe(403);
    expect((await remove(karim, ids.karimMemberSister, 1)).statusCode).toBe(403);
    expect(await row(ids.karimMemberSister)).toMatchObject({
      relation: 'Sœur',
      hidden: false,
      version: 1,
    });

    const paulSees = async () =>
      (await injectAs(app, paul, { method: 'GET', url: `/api/plans/${KARIM}/members` }))
        .json<Array<{ id: string }>>()
        .map((m) => m.id);
    expect(await paulSees()).toContain(ids.karimMemberSister);
    const hide = await patch(karim, ids.karimMemberSister, { hidden: true }, 1);
    expect(hide.statusCode).toBe(200);
    expect(hide.json()).toMatchObject({ hidden: true, relation: 'Sœur' });
    expect(await paulSees()).not.toContain(ids.karimMemberSister);
    // Hidden from Paul now: for him she no longer exists.
    expect((await patch(paul, ids.karimMemberSister, { hidden: false }, 2)).statusCode).toBe(404);
  });

  it('leaves showing a member the client hid to the client: the lead only with the decision recorded', async () => {
    const sister = await row(ids.karimMemberSister);
    expect(sister.hidden).toBe(true);
    const refusedBefore = await refusedUpdates();
    // The lead alone may not undo the client's choice (DESIGN.md, "Network visibility").
    const alone = await patch(lea, ids.karimMemberSister, { hidden: false }, sister.version);
    expect(alone.statusCode, alone.body).toBe(403);
    expect(await row(ids.karimMemberSister)).toEqual(sister);
    expect(await refusedUpdates()).toBe(refusedBefore + 1);
    // Other fields stay the lead's to change.
    const relation = await patch(lea, ids.karimMemberSister, { relation: 'Zus' }, sister.version);
    expect(relation.statusCode, relation.body).toBe(200);
    // The client's decision, recorded like consent, shows her again and is kept in the history.
    const recorded = await patch(
      lea,
      ids.karimMemberSister,
      { hidden: false, visibilityDecision: { method: 'verbal', note: 'Karim asked at the meeting' } },
      sister.version + 1,
    );
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json()).toMatchObject({ hidden: false });
    const history = await injectAs(app, karim, {
      method: 'GET',
      url: `/api/plans/${KARIM}/visibility-decisions`,
    });
    expect(history.statusCode).toBe(200);
    expect(history.json()).toEqual([
      expect.objectContaining({
        memberId: ids.karimMemberSister,
        hidden: false,
        method: 'verbal',
        note: 'Karim asked at the meeting',
      }),
      expect.objectContaining({ memberId: ids.karimMemberSister, hidden: true, method: 'in_app' }),
    ]);
    // A partner never reads the decisions; the client's own decision needs no method.
    const forPaul = await injectAs(app, paul, {
      method: 'GET',
      url: `/api/plans/${KARIM}/visibility-decisions`,
    });
    expect(forPaul.statusCode).toBe(403);
    expect(forPaul.body).not.toContain('Karim asked');
    const own = await patch(
      karim,
      ids.karimMemberSister,
      { hidden: true, visibilityDecision: { method: 'verbal' } },
      sister.version + 2,
    );
    expect(own.statusCode).toBe(422);
    // A member the lead hid on their own is the lead's to show again.
    const nora = await row(ids.karimMemberNora);
    expect((await patch(lea, ids.karimMemberNora, { hidden: true }, nora.version)).statusCode).toBe(200);
    expect((await patch(lea, ids.karimMemberNora, { hidden: false }, nora.version + 1)).statusCode).toBe(200);
  });

  it("refuses a co-lead from outside the lead's organisation, and the lead's own end (422)", async () => {
    const before = await row(ids.karimMemberPaul);
    const colead = await patch(lea, ids.karimMemberPaul, { coLead: true }, before.version);
    expect(colead.statusCode).toBe(422);
    expect(await row(ids.karimMemberPaul)).toEqual(before);
    const lead = await row(ids.karimMemberLea);
    expect((await patch(tom, ids.karimMemberLea, { status: 'past' }, lead.version)).statusCode).toBe(422);
    expect((await remove(tom, ids.karimMemberLea, lead.version)).statusCode).toBe(422);
    expect(await row(ids.karimMemberLea)).toEqual(lead);
  });

  it("ends a member's grants when their part ends: the partner is refused on the next request", async () => {
    // Sam gets the network, so that we can see what partners see of past members.
    const grant = await injectAs(app, lea, {
      method: 'POST',
      url: `/api/plans/${KARIM}/grants`,
      payload: { memberId: ids.karimMemberSam, sections: ['network'], access: 'read', method: 'verbal' },
    });
    expect(grant.statusCode).toBe(201);
    expect(await planStatus(paul)).toBe(200);
    const grantsBefore = await openGrants(ids.karimMemberPaul);
    expect(grantsBefore).toBeGreaterThan(0);

    const { version } = await row(ids.karimMemberPaul);
    const response = await patch(lea, ids.karimMemberPaul, { status: 'past' }, version);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'past', endedOn: expect.any(String) });

    expect(await planStatus(paul)).toBe(404);
    expect(await openGrants(ids.karimMemberPaul)).toBe(0);
    const ended = await revocations(ids.karimMemberPaul);
    expect(ended).toHaveLength(grantsBefore);
    expect(
      ended.every((r) => r.reason === "member's part in the plan ended" && r.revoked_by === ids.lea),
    ).toBe(true);
    const events = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from audit_events
       where plan_id = ${KARIM} and action = 'revoke' and details->>'memberId' = ${ids.karimMemberPaul}`);
    expect(events[0]!.n).toBe(grantsBefore);

    // Past members are hidden from partners by default; the lead still sees them.
    const samSees = (await injectAs(app, sam, { method: 'GET', url: `/api/plans/${KARIM}/members` }))
      .json<Array<{ id: string }>>()
      .map((m) => m.id);
    expect(samSees).not.toContain(ids.karimMemberPaul);
    const leaSees = (await injectAs(app, lea, { method: 'GET', url: `/api/plans/${KARIM}/members` }))
      .json<Array<{ id: string; status: string }>>()
      .find((m) => m.id === ids.karimMemberPaul);
    expect(leaSees).toMatchObject({ status: 'past' });
  });

  it('removes a member (the row stays) and ends their grants in the same transaction', async () => {
    expect(await planStatus(nora)).toBe(200);
    const grantsBefore = await openGrants(ids.karimMemberNora);
    expect(grantsBefore).toBeGreaterThan(0);
    const { version } = await row(ids.karimMemberNora);
    const response = await remove(lea, ids.karimMemberNora, version);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');

    expect(await planStatus(nora)).toBe(404);
    expect(await row(ids.karimMemberNora)).toMatchObject({ removed: true, version: version + 1 });
    const ended = await revocations(ids.karimMemberNora);
    expect(ended).toHaveLength(grantsBefore);
    expect(ended.every((r) => r.reason === 'member removed' && r.method === null)).toBe(true);
    const network = (await injectAs(app, lea, { method: 'GET', url: `/api/plans/${KARIM}/members` }))
      .json<Array<{ id: string }>>()
      .map((m) => m.id);
    expect(network).not.toContain(ids.karimMemberNora);
    // Removed is gone: a second removal or a change is 404.
    expect((await remove(lea, ids.karimMemberNora, version + 1)).statusCode).toBe(404);
    expect((await patch(lea, ids.karimMemberNora, { hidden: true }, version + 1)).statusCode).toBe(404);
  });

  it('lets a member come back after removal, as a new member', async () => {
    const response = await injectAs(app, lea, {
      method: 'POST',
      url: `/api/plans/${KARIM}/members`,
      payload: { kind: 'professional', userId: ids.nora, relation: "Job coach à l'atelier" },
    });
    expect(response.statusCode).toBe(201);
    // No consent came back with her.
    expect(await planStatus(nora)).toBe(404);
  });

  it('refuses changes on a closed plan (403)', async () => {
    const url = memberUrl(ids.marieMemberPartner, MARIE);
    const changed = await injectAs(app, lea, {
      method: 'PATCH',
      url,
      payload: { relation: 'Ex-compagnon' },
      headers: ifMatch(1),
    });
    expect(changed.statusCode).toBe(403);
    expect((await injectAs(app, lea, { method: 'DELETE', url, headers: ifMatch(1) })).statusCode).toBe(403);
  });
});
