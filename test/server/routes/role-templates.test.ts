import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addCoLead, addPartner, createPlan } from '../../factories/plans.ts';
import { createAdmin, createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// Role templates (issue 15): each organisation's admin edits what its leads propose to share with
// each kind of partner; the leads read them in their plans.

interface Template {
  id: string;
  key: string;
  names: { nl: string; fr: string; en: string };
  shares: Array<{ section: string; access: string }>;
  isDefault: boolean;
  version: number;
}

describe('role templates', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db, { name: 'Begeleid Wonen Test' });
  const other = await createOrganization(db, { name: 'Autre Organisation' });
  const ada = as(app, await signedInAs(app, await createAdmin(db, { organization })));
  const otherAdmin = as(app, await signedInAs(app, await createAdmin(db, { organization: other })));
  const leaUser = await createProfessional(db, { organization });
  const lea = as(app, await signedInAs(app, leaUser));
  const karim = await createPlan(db, { organization, lead: leaUser });
  const tom = await addCoLead(db, karim);
  const nora = await addPartner(db, karim, { grants: ['goals'] });
  const closed = await createPlan(db, { organization, lead: leaUser, phase: 'closed' });
  const url = `/api/organizations/${organization.id}/role-templates`;
  const list = async (client = ada) => (await client.get(url)).json<{ items: Template[] }>().items;
  const events = async (subjectType: string) =>
    (
      await db.execute<{ n: number }>(
        sql`select count(*)::int as n from audit_events where subject_type = ${subjectType}`,
      )
    )[0]!.n;

  it('requires a session', async () => {
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('gives an organisation the defaults until its admin changes them, in three languages', async () => {
    const response = await ada.get(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const items = response.json<{ items: Template[] }>().items;
    expect(items.map((t) => t.key)).toEqual(
      expect.arrayContaining(['job_coach', 'psychiatrist', 'housing_counsellor', 'debt_counsellor']),
    );
    expect(items.length).toBeGreaterThanOrEqual(6);
    expect(items.every((t) => t.isDefault)).toBe(true);
    const coach = items.find((t) => t.key === 'job_coach')!;
    expect(coach.names).toEqual({ nl: 'Jobcoach', fr: 'Job coach', en: 'Job coach' });
    expect(coach.shares).toEqual([
      { section: 'goals', access: 'read' },
      { section: 'actions', access: 'contribute' },
    ]);
    expect(items.find((t) => t.key === 'psychiatrist')!.shares.map((s) => s.section)).toEqual([
      'background',
      'meetings',
      'goals',
    ]);
    expect(items.find((t) => t.key === 'housing_counsellor')!.shares.map((s) => s.section)).toEqual([
      'agreements',
      'actions',
    ]);
  });

  it('refuses anyone but the admins of the organisation, and an unknown organisation is 404', async () => {
    expect((await otherAdmin.get(url)).statusCode).toBe(403);
    expect((await lea.get(url)).statusCode).toBe(403);
    const body = { names: { nl: 'X', fr: 'X', en: 'X' }, shares: [{ section: 'goals', access: 'read' }] };
    expect((await otherAdmin.post(url, body)).statusCode).toBe(403);
    expect((await lea.post(url, body)).statusCode).toBe(403);
    const [template] = await list();
    expect(
      (await otherAdmin.patch(`${url}/${template!.id}`, body, { headers: { 'if-match': '"1"' } })).statusCode,
    ).toBe(403);
    expect((await lea.delete(`${url}/${template!.id}`, { headers: { 'if-match': '"1"' } })).statusCode).toBe(
      403,
    );
    const unknown = '00000000-0000-4000-8000-00000000dead';
    expect((await ada.get(`/api/organizations/${unknown}/role-templates`)).statusCode).toBe(404);
    // Nothing changed: the organisation still reads the defaults, and nothing was logged as a change.
    expect((await list()).every((t) => t.isDefault)).toBe(true);
    expect(await events('RoleTemplate')).toBe(0);
  });

  it('answers bad input with a 400 problem and changes nothing', async () => {
    const bad = [
      { names: { nl: '', fr: 'X', en: 'X' }, shares: [{ section: 'goals', access: 'read' }] },
      { names: { nl: 'X', fr: 'X', en: 'X' }, shares: [] },
      { names: { nl: 'X', fr: 'X', en: 'X' }, shares: [{ section: 'nothing', access: 'read' }] },
      // `contribute` means something on actions and meetings only.
      { names: { nl: 'X', fr: 'X', en: 'X' }, shares: [{ section: 'goals', access: 'contribute' }] },
      {
        names: { nl: 'X', fr: 'X', en: 'X' },
        shares: [
          { section: 'goals', access: 'read' },
          { section: 'goals', access: 'read' },
        ],
      },
      { names: { nl: 'X', fr: 'X', en: 'X' }, shares: [{ section: 'goals', access: 'read' }], extra: 1 },
    ];
    for (const body of bad) {
      const response = await ada.post(url, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const [template] = await list();
    expect(
      (await ada.patch(`${url}/${template!.id}`, {}, { headers: { 'if-match': '"1"' } })).statusCode,
    ).toBe(400);
    expect((await list()).every((t) => t.isDefault)).toBe(true);
  });

  it('lets the admin change a default: the organisation gets its own list, audited, at the version in If-Match', async () => {
    const coach = (await list()).find((t) => t.key === 'job_coach')!;
    const change = { shares: [{ section: 'actions', access: 'contribute' }] };
    expect((await ada.patch(`${url}/${coach.id}`, change)).statusCode).toBe(428);
    expect(
      (await ada.patch(`${url}/${coach.id}`, change, { headers: { 'if-match': '"7"' } })).statusCode,
    ).toBe(412);
    const response = await ada.patch(`${url}/${coach.id}`, change, {
      headers: { 'if-match': `"${coach.version}"` },
    });
    expect(response.statusCode).toBe(200);
    const changed = response.json<Template>();
    expect(changed).toMatchObject({ key: 'job_coach', isDefault: false, shares: change.shares });
    expect(response.headers.etag).toBe(`"${changed.version}"`);
    const own = await list();
    expect(own.every((t) => !t.isDefault)).toBe(true);
    expect(own.find((t) => t.key === 'job_coach')!.shares).toEqual(change.shares);
    // Another organisation still reads the untouched defaults.
    const others = (await otherAdmin.get(`/api/organizations/${other.id}/role-templates`)).json<{
      items: Template[];
    }>().items;
    expect(others.every((t) => t.isDefault)).toBe(true);
    expect(others.find((t) => t.key === 'job_coach')!.shares).toHaveLength(2);
    expect(await events('RoleTemplate')).toBe(1);
  });

  it('adds and removes templates of the organisation', async () => {
    const created = await ada.post(url, {
      names: { nl: 'Budgetbeheerder', fr: 'Gestionnaire de budget', en: 'Budget manager' },
      shares: [{ section: 'actions', access: 'contribute' }],
    });
    expect(created.statusCode).toBe(201);
    const template = created.json<Template>();
    expect((await list()).at(-1)).toEqual(template);
    expect(
      (await ada.delete(`${url}/${template.id}`, { headers: { 'if-match': `"${template.version}"` } }))
        .statusCode,
    ).toBe(204);
    expect((await list()).some((t) => t.id === template.id)).toBe(false);
    expect((await ada.delete(`${url}/${template.id}`, { headers: { 'if-match': '"2"' } })).statusCode).toBe(
      404,
    );
    expect(await events('RoleTemplate')).toBe(3);
  });

  it("gives the plan's lead and co-leads their organisation's templates, and nobody else", async () => {
    const planUrl = `/api/plans/${karim.plan.id}/role-templates`;
    const leadList = await lea.get(planUrl);
    expect(leadList.statusCode).toBe(200);
    expect(leadList.json<{ items: Template[] }>().items).toEqual(await list());
    const tomClient = as(app, await signedInAs(app, tom.user));
    expect((await tomClient.get(planUrl)).statusCode).toBe(200);
    const noraClient = as(app, await signedInAs(app, nora.user));
    expect((await noraClient.get(planUrl)).statusCode).toBe(403);
    expect((await ada.get(planUrl)).statusCode).toBe(404);
    const client = as(app, await signedInAs(app, karim.client));
    expect((await client.get(planUrl)).statusCode).toBe(403);
    expect((await lea.get(`/api/plans/${closed.plan.id}/role-templates`)).statusCode).toBe(403);
  });
});
