import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../../db/seed/demo.ts';
import { SECTION_PATHS } from '../../../server/routes/plans.ts';
import { SECTIONS, type Section } from '../../../policies/index.ts';
import { buildTestApp, injectAs, login } from '../../helpers/app.ts';

const KARIM: string = DEMO_IDS.karimPlan;

describe('reading a plan, per role, on the demo data', async () => {
  const { app } = await buildTestApp();
  const tokens = {
    lea: await login(app, 'lea.lead@demo.example'),
    tom: await login(app, 'tom.colead@demo.example'),
    paul: await login(app, 'paul.partner@demo.example'),
    nora: await login(app, 'nora.partner@demo.example'),
    sam: await login(app, 'sam.partner@demo.example'),
    karim: await login(app, 'karim.client@demo.example'),
    fatima: await login(app, 'fatima.client@demo.example'),
    ada: await login(app, 'ada.admin@demo.example'),
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
    expect(paul.client).toEqual({ name: expect.any(String) });
    expect(paul.lead.name).toMatch(/Léa/);
    const sam = (await overview('sam')).json<{ client: Record<string, unknown> }>();
    expect(Object.keys(sam.client).sort()).toEqual(['address', 'email', 'name', 'phone']);
  });

  it('hides hidden and past members from partners with network consent, not from the lead', async () => {
    const names = async (who: Who) =>
      (await injectAs(app, tokens[who], { method: 'GET', url: `/api/plans/${KARIM}/members` }))
        .json<Array<{ id: string }>>()
        .map((m) => m.id);
    expect(await names('lea')).toContain(DEMO_IDS.karimMemberFather);
    expect(await names('karim')).toContain(DEMO_IDS.karimMemberFather);
    expect(await names('paul')).not.toContain(DEMO_IDS.karimMemberFather);
    expect(await names('paul')).toContain(DEMO_IDS.karimMemberSister);
  });

  it('tells the lead which members are bound by professional secrecy (null without an account)', async () => {
    const members = (
      await injectAs(app, tokens.lea, { method: 'GET', url: `/api/plans/${KARIM}/members` })
    ).json<Array<{ id: string; secrecyBound: boolean | null }>>();
    const flag = (id: string) => members.find((m) => m.id === id)?.secrecyBound;
    expect(flag(DEMO_IDS.karimMemberPaul)).toBe(true);
    expect(flag(DEMO_IDS.karimMemberNora)).toBe(false);
    expect(flag(DEMO_IDS.karimMemberSister)).toBeNull();
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
    expect((await overview('paul', DEMO_IDS.mariePlan)).statusCode).toBe(404);
    expect((await overview('lea', DEMO_IDS.mariePlan)).statusCode).toBe(200);
  });

  it('lists only the plans shared with the user, and only their own plan for a client', async () => {
    const list = async (who: Who, query = '') =>
      (await injectAs(app, tokens[who], { method: 'GET', url: `/api/plans${query}` }))
        .json<{ items: Array<{ id: string; myRole: string }> }>()
        .items.map((p) => p.id);
    expect(await list('karim')).toEqual([KARIM]);
    expect(await list('nora')).toEqual(expect.arrayContaining([KARIM, DEMO_IDS.fatimaPlan]));
    expect(await list('paul')).not.toContain(DEMO_IDS.mariePlan);
    expect(await list('ada')).toEqual([]);
    expect(await list('sam')).not.toContain(DEMO_IDS.janPlan);
    // Search by client name is for leads only.
    expect(await list('lea', '?q=karim')).toEqual([KARIM]);
    expect(await list('paul', '?q=karim')).toEqual([]);
  });
});
