import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Executor } from '../../../db/client.ts';
import { addGrants, addMember, addPartner, createPlan, revokeGrant } from '../../factories/plans.ts';
import { createAdmin, createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp, injectAs } from '../../helpers/app.ts';
import { signedInAs } from '../../helpers/session.ts';

const DAY = 86_400_000;

/**
 * Karim's plan, led by Léa: Paul (secrecy-bound) with six sections, Nora (not secrecy-bound) with
 * goals and actions, an expired crisis grant and a withdrawn agreements grant, Sam with agreements
 * and crisis, an informal sister and a hidden past father; Fatima's plan, where Nora has goals;
 * Ada, the admin of Léa's organisation. Named as the rows of the demo story these tests began on.
 */
async function createWorld(db: Executor) {
  const organization = await createOrganization(db);
  const lea = await createProfessional(db, { organization, secrecyBound: true, name: 'Léa Janssens' });
  const karim = await createPlan(db, { organization, lead: lea, client: { name: 'Karim Benali' } });
  const paul = await addPartner(db, karim, {
    secrecyBound: true,
    name: 'Paul Verhaegen',
    grants: ['network', 'goals', 'actions', 'crisis', 'background', 'meetings'],
  });
  const nora = await addPartner(db, karim, { secrecyBound: false, grants: ['goals', 'actions'] });
  const [noraCrisis] = await addGrants(db, karim, nora.member, ['crisis'], {
    validFrom: new Date(Date.now() - 60 * DAY),
    validUntil: new Date(Date.now() - DAY),
  });
  const [noraAgreements] = await addGrants(db, karim, nora.member, ['agreements']);
  await revokeGrant(db, karim, noraAgreements!, { revokedBy: karim.client, method: 'in_app' });
  const sam = await addPartner(db, karim, { secrecyBound: false, grants: ['agreements', 'crisis'] });
  const sister = await addMember(db, karim, { relation: 'Sœur' });
  const father = await addMember(db, karim, { relation: 'Père', status: 'past', hidden: true });
  const fatima = await createPlan(db, { organization, lead: lea });
  const fatimaNora = await addPartner(db, fatima, { user: nora.user, grants: ['goals'] });
  const grant = (partner: typeof paul, section: string) =>
    partner.grants.find((g) => g.section === section)!.id;
  return {
    users: {
      lea,
      karim: karim.client,
      paul: paul.user,
      nora: nora.user,
      sam: sam.user,
      ada: await createAdmin(db, { organization }),
    },
    karimPlan: karim.plan.id,
    karimMemberPaul: paul.member.id,
    karimMemberNora: nora.member.id,
    karimMemberSam: sam.member.id,
    karimMemberSister: sister.id,
    karimMemberFather: father.id,
    fatimaMemberNora: fatimaNora.member.id,
    karimGrantPaulGoals: grant(paul, 'goals'),
    karimGrantPaulBackground: grant(paul, 'background'),
    karimGrantNoraCrisisExpired: noraCrisis!.id,
    karimGrantNoraAgreementsRevoked: noraAgreements!.id,
    fatimaGrantNoraGoals: grant(fatimaNora, 'goals'),
  };
}

describe('consent grants', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const w = await createWorld(db);
  const KARIM = w.karimPlan;
  const lea = await signedInAs(app, w.users.lea);
  const karim = await signedInAs(app, w.users.karim);
  const paul = await signedInAs(app, w.users.paul);
  const nora = await signedInAs(app, w.users.nora);
  const sam = await signedInAs(app, w.users.sam);
  const ada = await signedInAs(app, w.users.ada);

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
      const revoked = items.find((g) => g.id === w.karimGrantNoraAgreementsRevoked);
      expect(revoked).toMatchObject({
        active: false,
        revocation: { method: 'in_app', revokedBy: { name: expect.any(String) } },
      });
      const expired = items.find((g) => g.id === w.karimGrantNoraCrisisExpired);
      expect(expired).toMatchObject({ active: false, revocation: null });
      expect(items.find((g) => g.id === w.karimGrantPaulGoals)).toMatchObject({
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
      memberId: w.karimMemberNora,
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
      memberId: w.karimMemberNora,
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
      memberId: w.karimMemberSam,
      sections: ['goals'],
      access: 'read',
      method: 'verbal',
    });
    expect(clientVerbal.statusCode).toBe(422);
    const leadInApp = await give(lea, {
      memberId: w.karimMemberSam,
      sections: ['goals'],
      access: 'read',
      method: 'in_app',
    });
    expect(leadInApp.statusCode).toBe(422);
    const clientInApp = await give(karim, {
      memberId: w.karimMemberSam,
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
      // Informal supporters may receive consent (DESIGN.md, "Accounts"), never a secrecy-bound section.
      [{ memberId: w.karimMemberFather, sections: ['background'], access: 'read', method: 'verbal' }, 422],
      [
        {
          memberId: w.karimMemberSister,
          sections: ['goals', 'background'],
          access: 'read',
          method: 'verbal',
        },
        422,
      ],
      [{ memberId: w.fatimaMemberNora, sections: ['goals'], access: 'read', method: 'verbal' }, 422],
      [{ memberId: w.karimMemberPaul, sections: [], access: 'read', method: 'verbal' }, 400],
      [{ memberId: w.karimMemberPaul, sections: ['secrets'], access: 'read', method: 'verbal' }, 400],
      [{ memberId: w.karimMemberPaul, sections: ['goals'], access: 'all', method: 'verbal' }, 400],
      [
        {
          memberId: w.karimMemberPaul,
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
          memberId: w.karimMemberPaul,
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
      memberId: w.karimMemberNora,
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
      url: `/api/plans/${KARIM}/grants/${w.karimGrantPaulBackground}/revoke`,
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
      url: `/api/plans/${KARIM}/grants/${w.karimGrantPaulBackground}/revoke`,
      payload: {},
    });
    expect(again.statusCode).toBe(409);
    const elsewhere = await injectAs(app, lea, {
      method: 'POST',
      url: `/api/plans/${KARIM}/grants/${w.fatimaGrantNoraGoals}/revoke`,
      payload: {},
    });
    expect(elsewhere.statusCode).toBe(404);
    const byPartner = await injectAs(app, paul, {
      method: 'POST',
      url: `/api/plans/${KARIM}/grants/${w.karimGrantPaulGoals}/revoke`,
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
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const w = await createWorld(db);
  const KARIM = w.karimPlan;
  const lea = await signedInAs(app, w.users.lea);
  const karim = await signedInAs(app, w.users.karim);
  const nora = await signedInAs(app, w.users.nora);
  const preview = (token: string, memberId: string) =>
    injectAs(app, token, { method: 'GET', url: `/api/plans/${KARIM}/preview?memberId=${memberId}` });

  it('shows the lead and the client exactly what the member gets from their own request', async () => {
    const { sinceLastVisit, ...own } = (
      await injectAs(app, nora, { method: 'GET', url: `/api/plans/${KARIM}` })
    ).json<Record<string, unknown>>();
    // When the member last visited is theirs: the same content, without it.
    expect(sinceLastVisit).toBeDefined();
    for (const token of [lea, karim]) {
      const response = await preview(token, w.karimMemberNora);
      expect(response.statusCode).toBe(200);
      const body = response.json<{ seesPlan: boolean; overview: Record<string, unknown> }>();
      expect(body.seesPlan).toBe(true);
      expect(body.overview).toEqual(own);
    }
  });

  it('says plainly when a member sees nothing', async () => {
    const response = await preview(lea, w.karimMemberSister);
    expect(response.json()).toEqual({
      memberId: w.karimMemberSister,
      seesPlan: false,
      overview: null,
    });
  });

  it('is refused to partners (403), and a member of another plan is 404', async () => {
    expect((await preview(nora, w.karimMemberPaul)).statusCode).toBe(403);
    expect((await preview(lea, w.fatimaMemberNora)).statusCode).toBe(404);
    expect((await injectAs(app, lea, { method: 'GET', url: `/api/plans/${KARIM}/preview` })).statusCode).toBe(
      400,
    );
  });
});

describe('who looked at my plan', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const w = await createWorld(db);
  const KARIM = w.karimPlan;
  const karim = await signedInAs(app, w.users.karim);
  const paul = await signedInAs(app, w.users.paul);
  const lea = await signedInAs(app, w.users.lea);
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
