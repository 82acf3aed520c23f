import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../../db/seed/demo.ts';
import { buildTestApp, injectAs, login } from '../../helpers/app.ts';

const KARIM: string = DEMO_IDS.karimPlan;

describe('consent grants', async () => {
  const { app, db } = await buildTestApp();
  const lea = await login(app, 'lea.lead@demo.example');
  const karim = await login(app, 'karim.client@demo.example');
  const paul = await login(app, 'paul.partner@demo.example');
  const nora = await login(app, 'nora.partner@demo.example');
  const sam = await login(app, 'sam.partner@demo.example');
  const ada = await login(app, 'ada.admin@demo.example');

  const grantsUrl = `/api/plans/${KARIM}/grants`;
  const give = (token: string, payload: Record<string, unknown>) =>
    injectAs(app, token, { method: 'POST', url: grantsUrl, payload });
  const countGrants = async () =>
    (await db.execute<{ n: number }>(sql`select count(*)::int as n from grants`))[0]!.n;
  const sectionStatus = async (token: string, path: string) =>
    (await injectAs(app, token, { method: 'GET', url: `/api/plans/${KARIM}/${path}` })).statusCode;

  it('requires a session', async () => {
    expect((await app.inject({ method: 'GET', url: grantsUrl })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: grantsUrl, payload: {} })).statusCode).toBe(401);
  });

  it('lists current and past grants with who recorded them, how and when, for the lead and the client', async () => {
    for (const token of [lea, karim]) {
      const response = await injectAs(app, token, { method: 'GET', url: grantsUrl });
      expect(response.statusCode).toBe(200);
      const items = response.json<{ items: Array<Record<string, unknown>> }>().items;
      const revoked = items.find((g) => g.id === DEMO_IDS.karimGrantNoraAgreementsRevoked);
      expect(revoked).toMatchObject({
        active: false,
        revocation: { method: 'in_app', revokedBy: { name: expect.any(String) } },
      });
      const expired = items.find((g) => g.id === DEMO_IDS.karimGrantNoraCrisisExpired);
      expect(expired).toMatchObject({ active: false, revocation: null });
      expect(items.find((g) => g.id === DEMO_IDS.karimGrantPaulGoals)).toMatchObject({
        active: true,
        recordedBy: { name: expect.any(String) },
        method: expect.any(String),
      });
    }
  });

  it('refuses the grant list to partners (403) and to strangers (404)', async () => {
    expect((await injectAs(app, paul, { method: 'GET', url: grantsUrl })).statusCode).toBe(403);
    expect((await injectAs(app, ada, { method: 'GET', url: grantsUrl })).statusCode).toBe(404);
  });

  it('lets the lead record verbal consent, which the partner sees on the next request', async () => {
    expect(await sectionStatus(nora, 'evaluations')).toBe(403);
    const response = await give(lea, {
      memberId: DEMO_IDS.karimMemberNora,
      sections: ['evaluations'],
      access: 'read',
      method: 'verbal',
      note: 'Karim said yes at the meeting',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      items: [{ section: 'evaluations', method: 'verbal', active: true }],
    });
    expect(await sectionStatus(nora, 'evaluations')).toBe(200);
  });

  it('refuses a secrecy-bound section for a member who is not secrecy-bound, with a 422 that says why', async () => {
    const before = await countGrants();
    const response = await give(lea, {
      memberId: DEMO_IDS.karimMemberNora,
      sections: ['goals', 'background'],
      access: 'read',
      method: 'written',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      type: 'urn:liaison:problem:not-secrecy-bound',
      detail: expect.stringMatching(/background.*professional secrecy/),
    });
    expect(await countGrants()).toBe(before);
  });

  it('records who gives consent how: the client in the app, the lead verbally or in writing', async () => {
    const clientVerbal = await give(karim, {
      memberId: DEMO_IDS.karimMemberSam,
      sections: ['goals'],
      access: 'read',
      method: 'verbal',
    });
    expect(clientVerbal.statusCode).toBe(422);
    const leadInApp = await give(lea, {
      memberId: DEMO_IDS.karimMemberSam,
      sections: ['goals'],
      access: 'read',
      method: 'in_app',
    });
    expect(leadInApp.statusCode).toBe(422);
    const clientInApp = await give(karim, {
      memberId: DEMO_IDS.karimMemberSam,
      sections: ['goals'],
      access: 'read',
      method: 'in_app',
    });
    expect(clientInApp.statusCode).toBe(201);
    expect(await sectionStatus(sam, 'goals')).toBe(200);
  });

  it('refuses members who cannot receive consent, and bad input, changing nothing', async () => {
    const before = await countGrants();
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ memberId: DEMO_IDS.karimMemberFather, sections: ['goals'], access: 'read', method: 'verbal' }, 422],
      [{ memberId: DEMO_IDS.karimMemberSister, sections: ['goals'], access: 'read', method: 'verbal' }, 422],
      [{ memberId: DEMO_IDS.fatimaMemberNora, sections: ['goals'], access: 'read', method: 'verbal' }, 422],
      [{ memberId: DEMO_IDS.karimMemberPaul, sections: [], access: 'read', method: 'verbal' }, 400],
      [{ memberId: DEMO_IDS.karimMemberPaul, sections: ['secrets'], access: 'read', method: 'verbal' }, 400],
      [{ memberId: DEMO_IDS.karimMemberPaul, sections: ['goals'], access: 'all', method: 'verbal' }, 400],
      [
        {
          memberId: DEMO_IDS.karimMemberPaul,
          sections: ['goals'],
          access: 'read',
          method: 'verbal',
          extra: 1,
        },
        400,
      ],
      [{ memberId: 'not-a-uuid', sections: ['goals'], access: 'read', method: 'verbal' }, 400],
      [
        {
          memberId: DEMO_IDS.karimMemberPaul,
          sections: ['goals'],
          access: 'read',
          method: 'verbal',
          validFrom: '2027-01-01T00:00:00Z',
          validUntil: '2026-01-01T00:00:00Z',
        },
        422,
      ],
    ];
    for (const [payload, status] of cases) {
      const response = await give(lea, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(await countGrants()).toBe(before);
  });

  it('refuses partners (403) and strangers (404) who try to give consent', async () => {
    const payload = {
      memberId: DEMO_IDS.karimMemberNora,
      sections: ['goals'],
      access: 'read',
      method: 'verbal',
    };
    expect((await give(paul, payload)).statusCode).toBe(403);
    expect((await give(ada, payload)).statusCode).toBe(404);
  });

  it('withdraws consent with effect on the very next request, interleaved with the partner reading', async () => {
    expect(await sectionStatus(paul, 'background')).toBe(200);
    const revoke = await injectAs(app, karim, {
      method: 'POST',
      url: `/api/plans/${KARIM}/grants/${DEMO_IDS.karimGrantPaulBackground}/revoke`,
      payload: { reason: 'I want to keep this for myself' },
    });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json()).toMatchObject({
      active: false,
      revocation: { method: 'in_app', reason: 'I want to keep this for myself' },
    });
    expect(await sectionStatus(paul, 'background')).toBe(403);
    const overview = (await injectAs(app, paul, { method: 'GET', url: `/api/plans/${KARIM}` })).json<{
      sections: Record<string, unknown>;
    }>();
    expect(overview.sections.background).toEqual({ withheld: true });
    // Other sections stay shared.
    expect(await sectionStatus(paul, 'goals')).toBe(200);
  });

  it('refuses to withdraw twice (409), a grant of another plan (404), and partners (403)', async () => {
    const again = await injectAs(app, lea, {
      method: 'POST',
      url: `/api/plans/${KARIM}/grants/${DEMO_IDS.karimGrantPaulBackground}/revoke`,
      payload: {},
    });
    expect(again.statusCode).toBe(409);
    const elsewhere = await injectAs(app, lea, {
      method: 'POST',
      url: `/api/plans/${KARIM}/grants/${DEMO_IDS.fatimaGrantNoraGoals}/revoke`,
      payload: {},
    });
    expect(elsewhere.statusCode).toBe(404);
    const byPartner = await injectAs(app, paul, {
      method: 'POST',
      url: `/api/plans/${KARIM}/grants/${DEMO_IDS.karimGrantPaulGoals}/revoke`,
      payload: {},
    });
    expect(byPartner.statusCode).toBe(403);
    expect(await sectionStatus(paul, 'goals')).toBe(200);
  });

  it('writes each grant and revocation to the access log in the same transaction', async () => {
    const events = await db.execute<{ action: string; n: number }>(
      sql`select action, count(*)::int as n from audit_events where plan_id = ${KARIM} and outcome = 'ok' and action in ('grant', 'revoke') group by action`,
    );
    expect(Object.fromEntries(events.map((e) => [e.action, e.n]))).toEqual({ grant: 2, revoke: 1 });
  });
});

describe('see what they see', async () => {
  const { app } = await buildTestApp();
  const lea = await login(app, 'lea.lead@demo.example');
  const karim = await login(app, 'karim.client@demo.example');
  const nora = await login(app, 'nora.partner@demo.example');
  const preview = (token: string, memberId: string) =>
    injectAs(app, token, { method: 'GET', url: `/api/plans/${KARIM}/preview?memberId=${memberId}` });

  it('shows the lead and the client exactly what the member gets from their own request', async () => {
    const own = (await injectAs(app, nora, { method: 'GET', url: `/api/plans/${KARIM}` })).json<
      Record<string, unknown>
    >();
    for (const token of [lea, karim]) {
      const response = await preview(token, DEMO_IDS.karimMemberNora);
      expect(response.statusCode).toBe(200);
      const body = response.json<{ seesPlan: boolean; overview: Record<string, unknown> }>();
      expect(body.seesPlan).toBe(true);
      expect(body.overview).toEqual(own);
    }
  });

  it('says plainly when a member sees nothing', async () => {
    const response = await preview(lea, DEMO_IDS.karimMemberSister);
    expect(response.json()).toEqual({
      memberId: DEMO_IDS.karimMemberSister,
      seesPlan: false,
      overview: null,
    });
  });

  it('is refused to partners (403), and a member of another plan is 404', async () => {
    expect((await preview(nora, DEMO_IDS.karimMemberPaul)).statusCode).toBe(403);
    expect((await preview(lea, DEMO_IDS.fatimaMemberNora)).statusCode).toBe(404);
    expect((await injectAs(app, lea, { method: 'GET', url: `/api/plans/${KARIM}/preview` })).statusCode).toBe(
      400,
    );
  });
});

describe('who looked at my plan', async () => {
  const { app } = await buildTestApp();
  const karim = await login(app, 'karim.client@demo.example');
  const paul = await login(app, 'paul.partner@demo.example');
  const lea = await login(app, 'lea.lead@demo.example');
  const log = (token: string, query = '') =>
    injectAs(app, token, { method: 'GET', url: `/api/plans/${KARIM}/access-log${query}` });

  it('shows the client who read which section, with name and organisation, and not their own reads', async () => {
    await injectAs(app, paul, { method: 'GET', url: `/api/plans/${KARIM}/goals` });
    await injectAs(app, karim, { method: 'GET', url: `/api/plans/${KARIM}` });
    const response = await log(karim);
    expect(response.statusCode).toBe(200);
    const items = response.json<{
      items: Array<{ action: string; sections: string[]; actor: { name: string; organization: string } }>;
    }>().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      action: 'read',
      sections: ['goals'],
      actor: { name: expect.stringMatching(/Paul/), organization: expect.any(String) },
    });
  });

  it('logs refused attempts too', async () => {
    await injectAs(app, paul, { method: 'GET', url: `/api/plans/${KARIM}/agreements` });
    const items = (await log(lea)).json<{ items: Array<{ outcome: string; sections: string[] }> }>().items;
    expect(items[0]).toMatchObject({ outcome: 'refused', sections: ['agreements'] });
  });

  it('pages newest first without gaps or duplicates', async () => {
    for (let i = 0; i < 5; i += 1)
      await injectAs(app, paul, { method: 'GET', url: `/api/plans/${KARIM}/crisis` });
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: { items: Array<{ seq: number }>; nextCursor: number | null } = (
        await log(karim, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((item) => item.seq));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.at(-1)).toBe(1);
    expect(seen[0]).toBe(seen.length);
  });

  it('is refused to partners (403)', async () => {
    expect((await log(paul)).statusCode).toBe(403);
  });
});
