import { describe, expect, it } from 'vitest';
import { SECTION_PATHS } from '../../../domain/sections.ts';
import { SECTIONS, type Section } from '../../../policies/index.ts';
import {
  addCoLead,
  addGrants,
  addMember,
  addPartner,
  createPlan,
  revokeGrant,
} from '../../factories/plans.ts';
import { createAdmin, createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp, injectAs } from '../../helpers/app.ts';
import { signedInAs } from '../../helpers/session.ts';

const DAY = 86_400_000;

describe('reading a plan, per role', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });

  // Karim's plan: Léa leads it, Tom co-leads it, three partners with different consent.
  const organization = await createOrganization(db);
  const lea = await createProfessional(db, { organization, secrecyBound: true, name: 'Léa Janssens' });
  const karim = await createPlan(db, {
    organization,
    lead: lea,
    client: { name: 'Karim Benali' },
    clientRecord: {
      phone: '+32 470 00 00 01',
      email: 'karim@factory.example',
      address: 'Rue 1, 1070 Anderlecht',
    },
  });
  const KARIM = karim.plan.id;
  const tom = await addCoLead(db, karim, { secrecyBound: true });
  const paul = await addPartner(db, karim, {
    secrecyBound: true,
    grants: ['network', 'goals', 'actions', 'crisis', 'background', 'meetings'],
  });
  const nora = await addPartner(db, karim, { secrecyBound: false, grants: ['goals', 'actions'] });
  // Nora's crisis grant expired; her agreements grant was withdrawn.
  await addGrants(db, karim, nora.member, ['crisis'], {
    validFrom: new Date(Date.now() - 60 * DAY),
    validUntil: new Date(Date.now() - DAY),
  });
  const [noraAgreements] = await addGrants(db, karim, nora.member, ['agreements']);
  await revokeGrant(db, karim, noraAgreements!);
  const sam = await addPartner(db, karim, { secrecyBound: false, grants: ['agreements', 'crisis'] });
  const sister = await addMember(db, karim, { name: 'Yasmina Benali', relation: 'Sœur' });
  const father = await addMember(db, karim, {
    name: 'Mohamed Benali',
    relation: 'Père',
    status: 'past',
    hidden: true,
    endedOn: '2015-06-30',
  });

  // Fatima's plan, led by Tom: Nora has goals there.
  const fatima = await createPlan(db, { organization, lead: tom.user, client: { name: 'Fatima Amrani' } });
  await addPartner(db, fatima, { user: nora.user, grants: ['goals'] });
  // Jan's plan (Léa): Sam is a member without any grant.
  const jan = await createPlan(db, {
    organization,
    lead: lea,
    phase: 'registration',
    clientAccount: false,
    clientRecord: { firstName: 'Jan', lastName: 'Willems' },
  });
  await addPartner(db, jan, { user: sam.user });
  // Marie's plan (Léa), closed: Paul's grants there were never withdrawn, the closing ends them.
  const marie = await createPlan(db, {
    organization,
    lead: lea,
    phase: 'closed',
    clientAccount: false,
    clientRecord: { firstName: 'Marie', lastName: 'Dubois' },
  });
  await addPartner(db, marie, { user: paul.user, grants: ['network', 'goals', 'background', 'meetings'] });
  const ada = await createAdmin(db, { organization });

  const tokens = {
    lea: await signedInAs(app, lea),
    tom: await signedInAs(app, tom.user),
    paul: await signedInAs(app, paul.user),
    nora: await signedInAs(app, nora.user),
    sam: await signedInAs(app, sam.user),
    karim: await signedInAs(app, karim.client),
    fatima: await signedInAs(app, fatima.client),
    ada: await signedInAs(app, ada),
  };
  type Who = keyof typeof tokens;
  const overview = (who: Who, planId = KARIM) =>
    injectAs(app, tokens[who], { method: 'GET', url: `/api/plans/${planId}` });
  const visibleSections = async (who: Who, planId = KARIM) => {
    const body = (await overview(who, planId)).json<{ sections: Record<Section, { withheld: boolean }> }>();
    return SECTIONS.filter((section) => !body.sections[section].withheld);
  };

  it('requires a session', async () => {
    expect((await app.inject({ method: 'GET', url: `/api/plans/${KARIM}` })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: `/api/plans` })).statusCode).toBe(401);
  });

  it.each([
    ['lea', [...SECTIONS]],
    ['tom', [...SECTIONS]],
    ['karim', [...SECTIONS]],
    ['paul', ['network', 'goals', 'actions', 'crisis', 'background', 'meetings']],
    // Nora: her crisis grant expired and her agreements grant was revoked.
    ['nora', ['goals', 'actions']],
    ['sam', ['agreements', 'crisis']],
  ] as Array<[Who, Section[]]>)('%s sees exactly the sections consented to', async (who, expected) => {
    const response = await overview(who);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(await visibleSections(who)).toEqual(expected);
  });

  it('withholds a section with nothing but the flag', async () => {
    const body = (await overview('nora')).json<{ sections: Record<Section, unknown> }>();
    expect(body.sections.background).toEqual({ withheld: true });
    expect(body.sections.meetings).toEqual({ withheld: true });
  });

  it.each(['ada', 'fatima'] as Who[])(
    'answers %s 404, exactly as for a plan that does not exist',
    async (who) => {
      const response = await overview(who);
      const missing = await overview(who, '00000000-0000-4000-8000-000000000000');
      expect(response.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
      expect({ ...response.json(), instance: null }).toEqual({ ...missing.json(), instance: null });
    },
  );

  it('gives a partner the client name, phase and lead, but the contact details only with agreements', async () => {
    const paul = (await overview('paul')).json<{ client: Record<string, unknown>; lead: { name: string } }>();
    // How to reach and talk with the client (contacts, language, interpreter) needs `agreements`.
    expect(paul.client).toEqual({ name: expect.any(String) });
    expect(paul.lead.name).toMatch(/Léa/);
    const sam = (await overview('sam')).json<{ client: Record<string, unknown> }>();
    expect(Object.keys(sam.client).sort()).toEqual([
      'address',
      'email',
      'language',
      'name',
      'needsInterpreter',
      'phone',
    ]);
  });

  it('hides hidden and past members from partners with network consent, not from the lead', async () => {
    const names = async (who: Who) =>
      (await injectAs(app, tokens[who], { method: 'GET', url: `/api/plans/${KARIM}/members` }))
        .json<Array<{ id: string }>>()
        .map((m) => m.id);
    expect(await names('lea')).toContain(father.id);
    expect(await names('karim')).toContain(father.id);
    expect(await names('paul')).not.toContain(father.id);
    expect(await names('paul')).toContain(sister.id);
  });

  it('tells the lead which members are bound by professional secrecy (null without an account)', async () => {
    const members = (
      await injectAs(app, tokens.lea, { method: 'GET', url: `/api/plans/${KARIM}/members` })
    ).json<Array<{ id: string; secrecyBound: boolean | null }>>();
    const flag = (id: string) => members.find((m) => m.id === id)?.secrecyBound;
    expect(flag(paul.member.id)).toBe(true);
    expect(flag(nora.member.id)).toBe(false);
    expect(flag(sister.id)).toBeNull();
  });

  it('answers a section route 403 when the section is withheld, and 200 when shared', async () => {
    for (const section of SECTIONS) {
      const url = `/api/plans/${KARIM}/${SECTION_PATHS[section]}`;
      const nora = await injectAs(app, tokens.nora, { method: 'GET', url });
      expect(nora.statusCode, section).toBe(['goals', 'actions'].includes(section) ? 200 : 403);
      const ada = await injectAs(app, tokens.ada, { method: 'GET', url });
      expect(ada.statusCode, section).toBe(404);
    }
  });

  it('ends every partner access on a closed plan, while the client still reads it', async () => {
    expect((await overview('paul', marie.plan.id)).statusCode).toBe(404);
    expect((await overview('lea', marie.plan.id)).statusCode).toBe(200);
  });

  it('lists only the plans shared with the user, and only their own plan for a client', async () => {
    const list = async (who: Who, query = '') =>
      (await injectAs(app, tokens[who], { method: 'GET', url: `/api/plans${query}` }))
        .json<{ items: Array<{ id: string; myRole: string }> }>()
        .items.map((p) => p.id);
    expect(await list('karim')).toEqual([KARIM]);
    expect(await list('nora')).toEqual(expect.arrayContaining([KARIM, fatima.plan.id]));
    expect(await list('paul')).not.toContain(marie.plan.id);
    expect(await list('ada')).toEqual([]);
    expect(await list('sam')).not.toContain(jan.plan.id);
    // Search by client name is for leads only.
    expect(await list('lea', '?q=karim')).toEqual([KARIM]);
    expect(await list('paul', '?q=karim')).toEqual([]);
  });
});
