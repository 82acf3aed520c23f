import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addCoLead, addPartner, createPlan } from '../../factories/plans.ts';
import { addAction } from '../../factories/sections.ts';
import { createAdmin, createOrganization, createProfessional } from '../../factories/users.ts';
import type { Mailer, OutgoingMail } from '../../../server/mail/mailer.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// Add and share (issue 15): a professional joins the network and receives what the client
// consented to, recorded once, in one write, under the same rules as the network form and the grid.

interface Added {
  member: { id: string; name: string; relation: string; userId: string | null };
  grants: Array<{ memberId: string; section: string; access: string; method: string; active: boolean }>;
}

describe('add and share', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db, { name: 'Begeleid Wonen Test' });
  const workshop = await createOrganization(db, { name: 'Atelier Test' });
  const clinic = await createOrganization(db, { name: 'Kliniek Test' });
  const leaUser = await createProfessional(db, { organization });
  const lea = as(app, await signedInAs(app, leaUser));
  const karim = await createPlan(db, { organization, lead: leaUser });
  const tom = await addCoLead(db, karim);
  const sam = await addPartner(db, karim, { grants: ['goals'] });
  const nora = await createProfessional(db, { organization: workshop, name: 'Nora Coach' });
  const paul = await createProfessional(db, { organization: clinic, secrecyBound: true, name: 'Paul Psy' });
  const url = `/api/plans/${karim.plan.id}/partners`;
  const count = async (table: 'members' | 'grants' | 'audit_events') =>
    (
      await db.execute<{ n: number }>(
        sql`select count(*)::int as n from ${sql.identifier(table)} where plan_id = ${karim.plan.id}`,
      )
    )[0]!.n;
  const counts = async () => ({
    members: await count('members'),
    grants: await count('grants'),
    events: await count('audit_events'),
  });
  const jobCoach = (userId: string) => ({
    member: { kind: 'professional', userId, relation: 'Jobcoach' },
    shares: [
      { section: 'goals', access: 'read' },
      { section: 'actions', access: 'contribute' },
    ],
    method: 'verbal',
  });

  it('requires a session', async () => {
    expect((await app.inject({ method: 'POST', url, payload: jobCoach(nora.id) })).statusCode).toBe(401);
  });

  it('adds the partner and records the consent, with their audit events, in one answer', async () => {
    const before = await counts();
    const response = await lea.post(url, { ...jobCoach(nora.id), note: 'Karim said yes today.' });
    expect(response.statusCode, response.body).toBe(201);
    const added = response.json<Added>();
    expect(added.member).toMatchObject({ name: 'Nora Coach', relation: 'Jobcoach', userId: nora.id });
    expect(response.headers.etag).toBe('"1"');
    expect(added.grants.map((g) => [g.section, g.access, g.method, g.active]).sort()).toEqual([
      ['actions', 'contribute', 'verbal', true],
      ['goals', 'read', 'verbal', true],
    ]);
    expect(added.grants.every((g) => g.memberId === added.member.id)).toBe(true);
    // One member, two grants, and an event for the member and one per access.
    expect(await counts()).toEqual({
      members: before.members + 1,
      grants: before.grants + 2,
      events: before.events + 3,
    });
    const events = await db.execute<{ action: string; sections: string[] }>(
      sql`select action, sections from audit_events where plan_id = ${karim.plan.id} order by seq desc limit 3`,
    );
    expect(events.map((e) => `${e.action}:${e.sections.join(',')}`).sort()).toEqual([
      'create:network',
      'grant:actions',
      'grant:goals',
    ]);
    // The partner reads what was shared, and nothing else.
    const noraClient = as(app, await signedInAs(app, nora));
    const overview = (await noraClient.get(`/api/plans/${karim.plan.id}`)).json<{
      sections: Record<'goals' | 'actions' | 'background' | 'network', { withheld: boolean }>;
    }>();
    expect(overview.sections.goals.withheld).toBe(false);
    expect(overview.sections.actions.withheld).toBe(false);
    expect(overview.sections.background.withheld).toBe(true);
    expect(overview.sections.network.withheld).toBe(true);
  });

  it('shares secrecy-bound sections with a professional bound by secrecy', async () => {
    const response = await lea.post(url, {
      member: { kind: 'professional', userId: paul.id, relation: 'Psychiater' },
      shares: [
        { section: 'background', access: 'read' },
        { section: 'meetings', access: 'contribute' },
        { section: 'goals', access: 'read' },
      ],
      method: 'written',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(
      response
        .json<Added>()
        .grants.map((g) => g.section)
        .sort(),
    ).toEqual(['background', 'goals', 'meetings']);
  });

  it('refuses a secrecy-bound section for a partner not bound by secrecy, and leaves no member behind', async () => {
    const someone = await createProfessional(db, { organization: workshop, name: 'Not Bound' });
    const before = await counts();
    const response = await lea.post(url, {
      member: { kind: 'professional', userId: someone.id, relation: 'Psychiater' },
      shares: [
        { section: 'goals', access: 'read' },
        { section: 'background', access: 'read' },
      ],
      method: 'verbal',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json<{ type: string }>().type).toBe('urn:liaison:problem:not-secrecy-bound');
    // One transaction: the member added before the refusal is gone, and so are its events.
    expect(await counts()).toEqual(before);
    const [row] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from members where user_id = ${someone.id}`,
    );
    expect(row!.n).toBe(0);
  });

  it('refuses someone already in the network, and a wrong way of recording consent, changing nothing', async () => {
    const before = await counts();
    expect((await lea.post(url, jobCoach(nora.id))).statusCode).toBe(409);
    expect((await lea.post(url, { ...jobCoach(nora.id), method: 'in_app' })).statusCode).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('answers bad input with a 400 problem and changes nothing', async () => {
    const before = await counts();
    const someone = await createProfessional(db, { organization: workshop });
    const bad = [
      { ...jobCoach(someone.id), shares: [] },
      { ...jobCoach(someone.id), shares: [{ section: 'goals', access: 'contribute' }] },
      { ...jobCoach(someone.id), shares: [{ section: 'secrets', access: 'read' }] },
      {
        ...jobCoach(someone.id),
        shares: [
          { section: 'goals', access: 'read' },
          { section: 'goals', access: 'read' },
        ],
      },
      { ...jobCoach(someone.id), member: { kind: 'informal', name: 'Zus', relation: 'Zus' } },
      { ...jobCoach(someone.id), extra: true },
      { ...jobCoach(someone.id), method: undefined },
      { ...jobCoach(someone.id), takesOn: [{ id: 'not-an-id', version: 1 }] },
      { ...jobCoach(someone.id), takesOn: [{ id: karim.plan.id, version: 0 }] },
      {
        ...jobCoach(someone.id),
        takesOn: [
          { id: karim.plan.id, version: 1 },
          { id: karim.plan.id.toUpperCase(), version: 1 },
        ],
      },
    ];
    for (const body of bad) {
      const response = await lea.post(url, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(await counts()).toEqual(before);
  });

  it('is for the lead and co-leads: a partner, the client and an admin are refused, and the attempt logged', async () => {
    const someone = await createProfessional(db, { organization: workshop });
    const before = await counts();
    const samClient = as(app, await signedInAs(app, sam.user));
    expect((await samClient.post(url, jobCoach(someone.id))).statusCode).toBe(403);
    const client = as(app, await signedInAs(app, karim.client));
    expect((await client.post(url, jobCoach(someone.id))).statusCode).toBe(403);
    const admin = as(app, await signedInAs(app, await createAdmin(db, { organization })));
    expect((await admin.post(url, jobCoach(someone.id))).statusCode).toBe(404);
    const after = await counts();
    expect({ members: after.members, grants: after.grants }).toEqual({
      members: before.members,
      grants: before.grants,
    });
    const refused = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_events
           where plan_id = ${karim.plan.id} and outcome = 'refused' and action = 'grant'`,
    );
    expect(refused[0]!.n).toBe(2);
    const tomClient = as(app, await signedInAs(app, tom.user));
    expect((await tomClient.post(url, jobCoach(someone.id))).statusCode).toBe(201);
  });

  // "Wie doet het" offered only the lead until the partner was in the network, so the lead wrote
  // each action twice: the partner now takes on actions in the same write.
  describe('actions the partner takes on', () => {
    const ownerOf = async (actionId: string) =>
      (
        await db.execute<{ owner: string | null; version: number }>(
          sql`select owner_member_id as owner, version from actions where id = ${actionId}`,
        )
      )[0];

    it('become theirs in the same write, each with its audit event', async () => {
      const someone = await createProfessional(db, { organization: workshop, name: 'Ines Coach' });
      const cv = await addAction(db, karim, { title: 'Een cv schrijven' });
      const visit = await addAction(db, karim, { title: 'Het atelier bezoeken' });
      const untouched = await addAction(db, karim, { title: 'Naar de dokter' });
      const before = await counts();
      const response = await lea.post(url, {
        ...jobCoach(someone.id),
        takesOn: [
          { id: cv.id, version: 1 },
          { id: visit.id.toUpperCase(), version: 1 },
        ],
      });
      expect(response.statusCode, response.body).toBe(201);
      const { member } = response.json<Added>();
      expect(await ownerOf(cv.id)).toEqual({ owner: member.id, version: 2 });
      expect(await ownerOf(visit.id)).toEqual({ owner: member.id, version: 2 });
      expect(await ownerOf(untouched.id)).toEqual({ owner: null, version: 1 });
      // The member, a grant per access, and an update of each action taken on.
      expect((await counts()).events).toBe(before.events + 5);
      // The partner reads their actions as theirs.
      const ines = as(app, await signedInAs(app, someone));
      const actions = (await ines.get(`/api/plans/${karim.plan.id}/actions`)).json<
        Array<{ id: string; ownerMemberId: string | null }>
      >();
      expect(
        actions
          .filter((a) => a.ownerMemberId === member.id)
          .map((a) => a.id)
          .sort(),
      ).toEqual([cv.id, visit.id].sort());
    });

    it('answers 412 for an action changed since the lead saw it, and writes nothing', async () => {
      const someone = await createProfessional(db, { organization: workshop });
      const fresh = await addAction(db, karim, { title: 'Een bus-abonnement' });
      const changed = await addAction(db, karim, { title: 'Een fiets' });
      await db.execute(
        sql`update actions set version = 2, title = 'Een fiets, tweedehands' where id = ${changed.id}`,
      );
      const before = await counts();
      const response = await lea.post(url, {
        ...jobCoach(someone.id),
        takesOn: [
          { id: fresh.id, version: 1 },
          { id: changed.id, version: 1 },
        ],
      });
      expect(response.statusCode, response.body).toBe(412);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(await counts()).toEqual(before);
      expect(await ownerOf(fresh.id)).toEqual({ owner: null, version: 1 });
    });

    it('answers 404 for an action of another plan, and writes nothing', async () => {
      const someone = await createProfessional(db, { organization: workshop });
      const other = await createPlan(db, { organization, lead: leaUser });
      const elsewhere = await addAction(db, other, { title: 'Elders' });
      const before = await counts();
      const response = await lea.post(url, {
        ...jobCoach(someone.id),
        takesOn: [{ id: elsewhere.id, version: 1 }],
      });
      expect(response.statusCode, response.body).toBe(404);
      expect(await counts()).toEqual(before);
      expect(await ownerOf(elsewhere.id)).toEqual({ owner: null, version: 1 });
    });
  });
});

// Issue 15: "pick a person from the directory (or invite one)" in the same dialog: someone without
// an account joins the network with the consent recorded once, and gets the invitation e-mail.
describe('add, share and invite in one write', async () => {
  const sent: OutgoingMail[] = [];
  const recording: Mailer = {
    outboxDir: null,
    send: async (mail) => void sent.push(mail),
    close: async () => {},
  };
  const { app, db } = await buildTestApp({ template: 'liaison_empty', mailer: recording });
  const organization = await createOrganization(db, { name: 'Begeleid Wonen Test' });
  const workshop = await createOrganization(db, { name: 'Atelier Test' });
  const leaUser = await createProfessional(db, { organization });
  const lea = as(app, await signedInAs(app, leaUser));
  const karim = await createPlan(db, { organization, lead: leaUser });
  const url = `/api/plans/${karim.plan.id}/partners`;
  const snapshot = async () =>
    (
      await db.execute<{ members: number; grants: number; codes: number }>(sql`
        select (select count(*)::int from members where plan_id = ${karim.plan.id}) as members,
               (select count(*)::int from grants where plan_id = ${karim.plan.id}) as grants,
               (select count(*)::int from access_codes where plan_id = ${karim.plan.id}) as codes`)
    )[0];
  const invite = (email: string) => ({
    member: { kind: 'professional', organizationId: workshop.id, name: 'Ines Coach', relation: 'Jobcoach' },
    shares: [{ section: 'goals', access: 'read' }],
    method: 'written',
    invite: { email, locale: 'fr' },
  });

  it('adds someone without an account, records the consent and sends the invitation', async () => {
    const response = await lea.post(url, invite('ines@atelier.example'));
    expect(response.statusCode, response.body).toBe(201);
    const added = response.json<Added & { invitation: { email: string; memberId: string; kind: string } }>();
    expect(added.member).toMatchObject({ name: 'Ines Coach', userId: null });
    expect(added.grants.map((g) => [g.section, g.method])).toEqual([['goals', 'written']]);
    expect(added.invitation).toMatchObject({
      email: 'ines@atelier.example',
      memberId: added.member.id,
      kind: 'professional',
    });
    expect(sent.map((mail) => mail.to)).toEqual(['ines@atelier.example']);
    // The e-mail names no plan content, only who invites and from where.
    expect(JSON.stringify(sent[0])).not.toContain('Jobcoach');
  });

  it('refuses an address that has an account already (409), and writes and sends nothing', async () => {
    const taken = await createProfessional(db, { organization: workshop, email: 'taken@atelier.example' });
    expect(taken.id).toBeTruthy();
    const before = await snapshot();
    const response = await lea.post(url, invite('taken@atelier.example'));
    expect(response.statusCode, response.body).toBe(409);
    expect(await snapshot()).toEqual(before);
    expect(sent).toHaveLength(1);
  });

  it('invites only someone named, never a person chosen by their account (400)', async () => {
    const someone = await createProfessional(db, { organization: workshop });
    const before = await snapshot();
    const response = await lea.post(url, {
      member: { kind: 'professional', userId: someone.id, relation: 'Jobcoach' },
      shares: [{ section: 'goals', access: 'read' }],
      method: 'verbal',
      invite: { email: 'other@atelier.example' },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(await snapshot()).toEqual(before);
    expect(sent).toHaveLength(1);
  });
});

describe('add, share and invite, when the e-mail cannot be sent', async () => {
  const failing: Mailer = {
    outboxDir: null,
    send: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:25')),
    close: async () => {},
  };
  const { app, db } = await buildTestApp({ template: 'liaison_empty', mailer: failing });
  const organization = await createOrganization(db, { name: 'Begeleid Wonen Test' });
  const workshop = await createOrganization(db, { name: 'Atelier Test' });
  const leaUser = await createProfessional(db, { organization });
  const lea = as(app, await signedInAs(app, leaUser));
  const karim = await createPlan(db, { organization, lead: leaUser });
  const action = await addAction(db, karim, { title: 'Een cv schrijven' });

  it('keeps nothing: no member, no consent, no action taken on, no invitation', async () => {
    const count = async () =>
      (
        await db.execute<{ n: number }>(sql`
          select (select count(*) from members where plan_id = ${karim.plan.id})
               + (select count(*) from grants where plan_id = ${karim.plan.id})
               + (select count(*) from access_codes where plan_id = ${karim.plan.id})
               + (select count(*) from audit_events where plan_id = ${karim.plan.id}) as n`)
      )[0]!.n;
    const before = await count();
    const response = await lea.post(`/api/plans/${karim.plan.id}/partners`, {
      member: { kind: 'professional', organizationId: workshop.id, name: 'Ines Coach', relation: 'Jobcoach' },
      shares: [{ section: 'actions', access: 'contribute' }],
      method: 'verbal',
      takesOn: [{ id: action.id, version: 1 }],
      invite: { email: 'ines@atelier.example' },
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(500);
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(await count()).toBe(before);
    const [row] = await db.execute<{ owner: string | null }>(
      sql`select owner_member_id as owner from actions where id = ${action.id}`,
    );
    expect(row?.owner).toBeNull();
  });
});
