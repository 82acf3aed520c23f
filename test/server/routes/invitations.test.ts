import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Executor } from '../../../db/client.ts';
import type { Mailer } from '../../../server/mail/mailer.ts';
import { addGoal, addMember, addPartner, createPlan } from '../../factories/plans.ts';
import { addBackground } from '../../factories/sections.ts';
import { createAdmin, createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs, type SignedInClient } from '../../helpers/session.ts';
import { startSmtpServer, type ReceivedMail } from '../../helpers/smtp.ts';

// Invitations (issue 12): a lead invites a professional of a directory organisation, or an informal
// supporter, into a plan's network; the e-mail arrives at a real SMTP server; the link creates the
// account, and consent recorded for the pending member takes effect, secrecy-bound sections only
// once the professional-secrecy flag is confirmed.

const PASSPHRASE = 'vier blauwe fietsen in de gang';
const GOAL_TITLE = 'Een eigen studio vinden';
const BACKGROUND_HEALTH = 'Diabetes type 2, opgevolgd door de huisarts';

interface Problem {
  type: string;
  title: string;
  detail: string;
}

interface Invitation {
  id: string;
  kind: string;
  memberId: string | null;
  planId: string | null;
  organization: { id: string; name: string } | null;
  secrecyConfirmedByInviter: boolean;
}

interface SignedIn {
  token: string;
  planId: string | null;
  user: { id: string; kind: string; email: string | null };
}

/**
 * Léa leads the plans of Karim Benali (a goal, a background) and Fatima; Paul is a partner of
 * Karim's plan; two directory organisations without anyone of theirs in the plan: one without any
 * Liaison user, one with an admin (Ada); Marie and Ahmed are informal supporters without an account.
 */
async function createWorld(db: Executor) {
  const organization = await createOrganization(db, { name: 'Begeleid Wonen Brussel' });
  const lea = await createProfessional(db, { organization, name: 'Léa Janssens', secrecyBound: true });
  const karim = await createPlan(db, {
    organization,
    lead: lea,
    client: { name: 'Karim Benali' },
  });
  await addGoal(db, karim, { title: GOAL_TITLE });
  await addBackground(db, karim, { health: BACKGROUND_HEALTH });
  const paul = await addPartner(db, karim, { grants: ['goals'] });
  const fatima = await createPlan(db, { organization, lead: lea, client: { name: 'Fatima Zahra' } });
  await addGoal(db, fatima, { title: 'Werk zoeken' });
  const withoutAdmin = await createOrganization(db, { name: 'Wonen & Werk vzw' });
  const withAdmin = await createOrganization(db, { name: 'CGG Brussel' });
  const ada = await createAdmin(db, { organization: withAdmin, name: 'Ada Admin' });
  return {
    lea,
    paul: paul.user,
    paulMember: paul.member,
    stranger: await createProfessional(db),
    ada,
    karim,
    fatima,
    withoutAdmin,
    withAdmin,
    marie: await addMember(db, karim, { name: 'Marie Dupont', relation: 'Sœur' }),
    ahmed: await addMember(db, karim, { name: 'Ahmed Voisin', relation: 'Buurman' }),
  };
}

const tokenOf = (mail: ReceivedMail) => {
  const link = mail.links.find((l) => l.includes('/invitation/'));
  if (!link) throw new Error(`no invitation link in "${mail.subject}"`);
  return decodeURIComponent(link.slice(link.lastIndexOf('/') + 1));
};

describe('invitations into a plan', async () => {
  const smtp = await startSmtpServer();
  const { app, db } = await buildTestApp({ template: 'liaison_empty', config: { SMTP_URL: smtp.url } });
  const w = await createWorld(db);
  const KARIM = w.karim.plan.id;
  const FATIMA = w.fatima.plan.id;
  const lea = as(app, await signedInAs(app, w.lea));
  const paul = as(app, await signedInAs(app, w.paul));
  const stranger = as(app, await signedInAs(app, w.stranger));
  const karim = as(app, await signedInAs(app, w.karim.client));
  const ada = as(app, await signedInAs(app, w.ada));

  const inviteUrl = `/api/plans/${KARIM}/invitations`;
  const invite = async (payload: Record<string, unknown>, who: SignedInClient = lea) => {
    const response = await who.post(inviteUrl, payload);
    expect(response.statusCode, response.body).toBe(201);
    const invitation = response.json<Invitation>();
    const email = String(payload.email).toLowerCase();
    const mail =
      smtp.messages.filter((m) => m.to.includes(email)).at(-1) ??
      (await smtp.waitForMail((m) => m.to.includes(email)));
    return { invitation, mail, token: tokenOf(mail) };
  };
  const details = (token: string) => app.inject({ method: 'GET', url: `/api/invitations/${token}` });
  const accept = (token: string, body: Record<string, unknown> = { password: PASSPHRASE }) =>
    app.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, payload: body });
  const acceptOk = async (token: string) => {
    const response = await accept(token);
    expect(response.statusCode, response.body).toBe(200);
    const signedIn = response.json<SignedIn>();
    return { ...signedIn, client: as(app, signedIn.token) };
  };
  const grant = (memberId: string, sections: string[]) =>
    lea.post(`/api/plans/${KARIM}/grants`, { memberId, sections, access: 'read', method: 'written' });
  const members = async () => {
    const response = await lea.get(`/api/plans/${KARIM}/members`);
    expect(response.statusCode).toBe(200);
    return response.json<Array<{ id: string; name: string; userId: string | null; kind: string }>>();
  };
  const counts = async () =>
    (
      await db.execute<{ members: number; codes: number; users: number }>(sql`
        select (select count(*)::int from members) as members,
               (select count(*)::int from access_codes) as codes,
               (select count(*)::int from users) as users`)
    )[0]!;
  const refusal = (response: LightMyRequestResponse) => {
    const { type, title, detail } = response.json<Problem>();
    return { status: response.statusCode, type, title, detail };
  };
  /** The answer to a link nobody was sent: every link that does not work must answer exactly this. */
  const unknownLink = async () => {
    const made = 'x'.repeat(43);
    const [read, accepted] = [await details(made), await accept(made)];
    expect(refusal(read)).toEqual(refusal(accepted));
    return refusal(read);
  };
  const expectGeneric = async (token: string) => {
    const generic = await unknownLink();
    expect(generic).toMatchObject({ status: 400, type: expect.stringContaining('invalid-code') });
    expect(refusal(await details(token))).toEqual(generic);
    const accepted = await accept(token);
    expect(refusal(accepted)).toEqual(generic);
    expect(accepted.headers['set-cookie']).toBeUndefined();
  };
  const sectionStatus = async (who: SignedInClient, planId: string, path: string) =>
    (await who.get(`/api/plans/${planId}/${path}`)).statusCode;

  it('requires a session to invite', async () => {
    const body = { organizationId: w.withoutAdmin.id, name: 'X', email: 'x@factory.example' };
    expect((await app.inject({ method: 'POST', url: inviteUrl, payload: body })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/invitations', payload: body })).statusCode).toBe(
      401,
    );
  });

  it('lets only the lead invite into the network: partner and client 403, stranger 404, nothing written or sent', async () => {
    const before = await counts();
    const body = {
      organizationId: w.withoutAdmin.id,
      name: 'Eve',
      email: 'eve@factory.example',
      relation: 'x',
    };
    expect((await paul.post(inviteUrl, body)).statusCode).toBe(403);
    expect((await karim.post(inviteUrl, body)).statusCode).toBe(403);
    expect((await stranger.post(inviteUrl, body)).statusCode).toBe(404);
    expect((await karim.post('/api/invitations', body)).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
    expect(smtp.messages.filter((m) => m.to.includes('eve@factory.example'))).toEqual([]);
  });

  it('invites a professional of an organisation without Liaison users: the mail arrives in their language without plan content, and grants recorded before the account take effect', async () => {
    const { invitation, mail, token } = await invite({
      organizationId: w.withoutAdmin.id,
      name: 'Jonas Peeters',
      email: 'Jonas.Peeters@factory.example',
      relation: 'Psychiatre',
      locale: 'fr',
      statedProfession: 'psychiatre',
    });
    expect(invitation).toMatchObject({
      kind: 'professional',
      planId: KARIM,
      organization: { id: w.withoutAdmin.id, name: 'Wonen & Werk vzw' },
      secrecyConfirmedByInviter: true,
    });
    const pending = (await members()).find((m) => m.id === invitation.memberId);
    expect(pending).toMatchObject({ name: 'Jonas Peeters', userId: null, kind: 'professional' });

    expect(mail.subject).toBe('Léa Janssens vous invite sur Liaison');
    expect(mail.text).toContain('Wonen & Werk vzw');
    expect(mail.links).toHaveLength(1);
    for (const part of [mail.subject, mail.text, mail.html ?? '']) {
      expect(part).not.toMatch(/Karim|Benali/);
      expect(part).not.toContain(GOAL_TITLE);
      expect(part).not.toContain(BACKGROUND_HEALTH);
    }

    const shown = await details(token);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toEqual({
      kind: 'professional',
      name: 'Jonas Peeters',
      email: 'Jonas.Peeters@factory.example',
      organizationName: 'Wonen & Werk vzw',
      inviterName: 'Léa Janssens',
      locale: 'fr',
      expiresAt: expect.any(String),
    });
    expect(shown.body).not.toMatch(/Karim|Benali/);

    // Consent for the pending member, before the account exists: recorded, not yet read by anyone.
    const granted = await grant(invitation.memberId!, ['goals', 'background']);
    expect(granted.statusCode, granted.body).toBe(201);

    const jonas = await acceptOk(token);
    expect(jonas).toMatchObject({ planId: KARIM, user: { kind: 'professional' } });
    expect((await members()).find((m) => m.id === invitation.memberId)?.userId).toBe(jonas.user.id);
    const goals = await jonas.client.get(`/api/plans/${KARIM}/goals`);
    expect(goals.statusCode, goals.body).toBe(200);
    expect(goals.body).toContain(GOAL_TITLE);
    const background = await jonas.client.get(`/api/plans/${KARIM}/background`);
    expect(background.statusCode, background.body).toBe(200);
    expect(background.body).toContain(BACKGROUND_HEALTH);
    // Only what was granted, and only this plan.
    expect(await sectionStatus(jonas.client, KARIM, 'crisis')).toBe(403);
    expect(await sectionStatus(jonas.client, KARIM, 'actions')).toBe(403);
    expect(await sectionStatus(jonas.client, FATIMA, 'goals')).toBe(404);
    expect((await jonas.client.get(`/api/plans/${FATIMA}`)).statusCode).toBe(404);
    // The account signs in with its address, and the used link works no more.
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'jonas.peeters@factory.example', password: PASSPHRASE },
    });
    expect(login.statusCode).toBe(200);
    await expectGeneric(token);
    const log = (await karim.get(`/api/plans/${KARIM}/access-log?limit=100`)).json<{
      items: Array<{ action: string; actor: { id: string } | null }>;
    }>().items;
    expect(log).toContainEqual(
      expect.objectContaining({ action: 'invite', actor: expect.objectContaining({ id: w.lea.id }) }),
    );
    expect(log).toContainEqual(
      expect.objectContaining({ action: 'join', actor: expect.objectContaining({ id: jonas.user.id }) }),
    );
  });

  it('keeps secrecy-bound grants waiting until the organisation’s admin confirms the flag', async () => {
    const { invitation, token } = await invite({
      organizationId: w.withAdmin.id,
      name: 'Nina Vermeulen',
      email: 'nina@factory.example',
      relation: 'Psycholoog',
    });
    expect(invitation).toMatchObject({
      secrecyConfirmedByInviter: false,
      organization: { id: w.withAdmin.id },
    });
    expect((await grant(invitation.memberId!, ['goals', 'background'])).statusCode).toBe(201);
    const nina = await acceptOk(token);

    const goals = await nina.client.get(`/api/plans/${KARIM}/goals`);
    expect(goals.statusCode).toBe(200);
    expect(goals.body).toContain(GOAL_TITLE);
    const before = await nina.client.get(`/api/plans/${KARIM}/background`);
    expect(before.statusCode).toBe(403);
    expect(before.body).not.toContain(BACKGROUND_HEALTH);
    expect((await nina.client.get(`/api/plans/${KARIM}`)).body).not.toContain(BACKGROUND_HEALTH);

    const listed = (await ada.get('/api/users')).json<{
      items: Array<{ id: string; version: number; secrecyBound: boolean }>;
    }>();
    const row = listed.items.find((u) => u.id === nina.user.id);
    expect(row).toMatchObject({ secrecyBound: false });
    const confirmed = await ada.patch(
      `/api/users/${nina.user.id}`,
      { secrecyBound: true },
      { headers: { 'if-match': `"${row!.version}"` } },
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);

    const after = await nina.client.get(`/api/plans/${KARIM}/background`);
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain(BACKGROUND_HEALTH);
    expect(await sectionStatus(nina.client, KARIM, 'crisis')).toBe(403);
  });

  it('refuses a stated profession where the organisation has an admin (422), and writes or sends nothing', async () => {
    const before = await counts();
    const response = await lea.post(inviteUrl, {
      organizationId: w.withAdmin.id,
      name: 'Olivier Simon',
      email: 'olivier@factory.example',
      relation: 'Psychiatre',
      statedProfession: 'psychiatre',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json<Problem>().type).toContain('organization-has-admin');
    expect(await counts()).toEqual(before);
    expect(smtp.messages.filter((m) => m.to.includes('olivier@factory.example'))).toEqual([]);
  });

  it('asks how a new member relates to the client (422), writing and sending nothing', async () => {
    const before = await counts();
    for (const relation of [undefined, '   ']) {
      const response = await lea.post(inviteUrl, {
        organizationId: w.withoutAdmin.id,
        name: 'Rita',
        email: 'rita@factory.example',
        ...(relation === undefined ? {} : { relation }),
      });
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json<Problem>().type).toContain('relation-required');
    }
    expect(await counts()).toEqual(before);
    expect(smtp.messages.filter((m) => m.to.includes('rita@factory.example'))).toEqual([]);
  });

  it('refuses an address that has an account already (409)', async () => {
    const response = await lea.post(inviteUrl, {
      organizationId: w.withoutAdmin.id,
      name: 'Paul',
      email: w.paul.email.toUpperCase(),
      relation: 'x',
    });
    expect(response.statusCode).toBe(409);
  });

  it('answers a link used once already with the generic answer, even when two accept at once', async () => {
    const { token } = await invite({
      organizationId: w.withoutAdmin.id,
      name: 'Ulla Used',
      email: 'ulla@factory.example',
      relation: 'Budgetbegeleider',
    });
    const both = await Promise.all([accept(token), accept(token, { password: 'een ander lang wachtwoord' })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    const before = await counts();
    await expectGeneric(token);
    expect(await counts()).toEqual(before);
    const accounts = await db.execute(sql`select id from users where email = 'ulla@factory.example'`);
    expect(accounts).toHaveLength(1);
  });

  it('answers an expired link with the generic answer, and creates no account', async () => {
    const { token } = await invite({
      organizationId: w.withoutAdmin.id,
      name: 'Eline Expired',
      email: 'eline@factory.example',
      relation: 'Maatschappelijk werker',
    });
    expect((await details(token)).statusCode).toBe(200);
    await db.execute(
      sql`update access_codes set expires_at = now() - interval '1 minute' where email = 'eline@factory.example'`,
    );
    const before = await counts();
    await expectGeneric(token);
    expect(await counts()).toEqual(before);
  });

  it('answers a link replaced by a second invitation of the same member with the generic answer; the second works', async () => {
    const first = await invite({
      organizationId: w.withoutAdmin.id,
      name: 'Rik Revoked',
      email: 'rik@factory.example',
      relation: 'Jobcoach',
    });
    const second = await invite({
      memberId: first.invitation.memberId,
      name: 'Rik Revoked',
      email: 'rik.other@factory.example',
    });
    expect(second.invitation.memberId).toBe(first.invitation.memberId);
    expect(second.token).not.toBe(first.token);
    await expectGeneric(first.token);
    const rik = await acceptOk(second.token);
    expect(rik.user.email).toBe('rik.other@factory.example');
    expect((await members()).filter((m) => m.name === 'Rik Revoked')).toHaveLength(1);
  });

  it('invites from the directory outside a plan: the account joins the organisation and sees no plan', async () => {
    const response = await lea.post('/api/invitations', {
      organizationId: w.withoutAdmin.id,
      name: 'Dirk Directory',
      email: 'dirk@factory.example',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ planId: null, memberId: null, kind: 'professional' });
    const mail = await smtp.waitForMail((m) => m.to.includes('dirk@factory.example'));
    expect(mail.subject).toBe('Léa Janssens nodigt je uit op Liaison');
    const dirk = await acceptOk(tokenOf(mail));
    expect(dirk.planId).toBeNull();
    const me = await dirk.client.get('/api/me');
    expect(me.json()).toMatchObject({
      user: { kind: 'professional', secrecyBound: false },
      organization: { id: w.withoutAdmin.id },
    });
    const plans = await dirk.client.get('/api/plans');
    expect(plans.statusCode).toBe(200);
    expect(plans.json<{ items: unknown[] }>().items).toEqual([]);
    expect((await dirk.client.get(`/api/plans/${KARIM}`)).statusCode).toBe(404);
  });
});

describe('informal supporters’ circle accounts', async () => {
  const smtp = await startSmtpServer();
  const { app, db } = await buildTestApp({ template: 'liaison_empty', config: { SMTP_URL: smtp.url } });
  const w = await createWorld(db);
  const KARIM = w.karim.plan.id;
  const FATIMA = w.fatima.plan.id;
  const lea = as(app, await signedInAs(app, w.lea));
  const paul = as(app, await signedInAs(app, w.paul));

  const grant = (memberId: string, sections: string[]) =>
    lea.post(`/api/plans/${KARIM}/grants`, { memberId, sections, access: 'read', method: 'verbal' });
  const expectNotSecrecyBound = async (memberId: string) => {
    const response = await grant(memberId, ['background']);
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json<Problem>().type).toContain('not-secrecy-bound');
  };
  /** What a supporter reads: goals, never background, nothing of another client's plan. */
  const expectReadsGoalsOnly = async (supporter: SignedInClient) => {
    const goals = await supporter.get(`/api/plans/${KARIM}/goals`);
    expect(goals.statusCode, goals.body).toBe(200);
    expect(goals.body).toContain(GOAL_TITLE);
    const background = await supporter.get(`/api/plans/${KARIM}/background`);
    expect(background.statusCode).toBe(403);
    expect(background.body).not.toContain(BACKGROUND_HEALTH);
    expect((await supporter.get(`/api/plans/${KARIM}/crisis`)).statusCode).toBe(403);
    const overview = await supporter.get(`/api/plans/${KARIM}`);
    expect(overview.statusCode).toBe(200);
    expect(overview.json()).toMatchObject({
      myRole: 'partner',
      sections: { background: { withheld: true } },
    });
    expect(overview.body).toContain(GOAL_TITLE);
    expect(overview.body).not.toContain(BACKGROUND_HEALTH);
    expect((await supporter.get(`/api/plans/${FATIMA}`)).statusCode).toBe(404);
    expect((await supporter.get(`/api/plans/${FATIMA}/goals`)).statusCode).toBe(404);
    const plans = await supporter.get('/api/plans');
    expect(plans.statusCode).toBe(200);
    const ids = plans.json<{ items: Array<{ id: string }> }>().items.map((p) => p.id);
    expect(ids).toEqual([KARIM]);
    expect(plans.body).not.toContain('Fatima');
  };

  it('invites an informal member by e-mail into a circle account that reads what was shared, never background', async () => {
    const withProfession = await lea.post(`/api/plans/${KARIM}/invitations`, {
      memberId: w.marie.id,
      name: 'Marie Dupont',
      email: 'marie@factory.example',
      statedProfession: 'verpleegkundige',
    });
    expect(withProfession.statusCode).toBe(422);
    expect(withProfession.json<Problem>().type).toContain('supporter-not-secrecy-bound');

    const response = await lea.post(`/api/plans/${KARIM}/invitations`, {
      memberId: w.marie.id,
      name: 'Marie Dupont',
      email: 'marie@factory.example',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ kind: 'supporter', organization: null, memberId: w.marie.id });
    expect((await grant(w.marie.id, ['goals'])).statusCode).toBe(201);
    await expectNotSecrecyBound(w.marie.id);

    const mail = await smtp.waitForMail((m) => m.to.includes('marie@factory.example'));
    expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toMatch(/Karim|Benali|Fatima/);
    const accepted = await app.inject({
      method: 'POST',
      url: `/api/invitations/${tokenOf(mail)}/accept`,
      payload: { password: 'mijn zus woont in Gent' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const signedIn = accepted.json<SignedIn>();
    expect(signedIn).toMatchObject({ planId: KARIM, user: { kind: 'supporter' } });
    const marie = as(app, signedIn.token);
    await expectReadsGoalsOnly(marie);
    // With the account: still never background.
    await expectNotSecrecyBound(w.marie.id);
  });

  it('gives an informal member an access letter into a circle account that reads what was shared, never background', async () => {
    const url = `/api/plans/${KARIM}/members/${w.ahmed.id}/access-letter`;
    expect((await app.inject({ method: 'POST', url, payload: {} })).statusCode).toBe(401);
    expect((await paul.post(url, {})).statusCode).toBe(403);
    const professional = await lea.post(`/api/plans/${KARIM}/members/${w.paulMember.id}/access-letter`, {});
    expect(professional.statusCode).toBe(422);
    expect(professional.json<Problem>().type).toContain('not-informal-member');

    const response = await lea.post(url, {});
    expect(response.statusCode, response.body).toBe(201);
    const letter = response.json<{ signInName: string; code: string; recipientName: string }>();
    expect(letter).toMatchObject({ recipientName: 'Ahmed Voisin' });
    expect(letter.signInName).toMatch(/^ahmed-\d{4}$/);
    expect((await grant(w.ahmed.id, ['goals'])).statusCode).toBe(201);
    await expectNotSecrecyBound(w.ahmed.id);

    const activated = await app.inject({
      method: 'POST',
      url: '/api/activate',
      payload: { signInName: letter.signInName, code: letter.code, password: 'de hond van hiernaast' },
    });
    expect(activated.statusCode, activated.body).toBe(200);
    expect(activated.json()).toMatchObject({ planId: KARIM, user: { kind: 'supporter' } });
    const ahmed = as(app, activated.json<SignedIn>().token);
    await expectReadsGoalsOnly(ahmed);
    await expectNotSecrecyBound(w.ahmed.id);
  });
});

describe('an invitation whose e-mail cannot be sent', async () => {
  const failing: Mailer = {
    outboxDir: null,
    send: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:25')),
    close: async () => {},
  };
  const { app, db } = await buildTestApp({ template: 'liaison_empty', mailer: failing });
  const w = await createWorld(db);
  const KARIM = w.karim.plan.id;
  const lea = as(app, await signedInAs(app, w.lea));
  const snapshot = async () =>
    JSON.stringify(
      await db.execute(sql`
        select (select count(*)::int from members) as members,
               (select count(*)::int from access_codes) as codes,
               (select count(*)::int from users) as users,
               (select count(*)::int from audit_events where action = 'invite') as invites,
               (select user_id from members where id = ${w.marie.id}) as marie`),
    );

  it('keeps nothing: no code, no member, no account link, no audit event, and hides the cause', async () => {
    const before = await snapshot();
    for (const [url, payload] of [
      [
        `/api/plans/${KARIM}/invitations`,
        { organizationId: w.withoutAdmin.id, name: 'Jonas', email: 'jonas@factory.example', relation: 'x' },
      ],
      [
        `/api/plans/${KARIM}/invitations`,
        { memberId: w.marie.id, name: 'Marie', email: 'marie@factory.example' },
      ],
      [
        '/api/invitations',
        { organizationId: w.withoutAdmin.id, name: 'Dirk', email: 'dirk@factory.example' },
      ],
    ] as const) {
      const response = await lea.post(url, payload);
      expect(response.statusCode, `${url} ${response.body}`).toBeGreaterThanOrEqual(500);
      expect(response.body).not.toContain('ECONNREFUSED');
    }
    expect(await snapshot()).toBe(before);
    expect(await snapshot()).toContain('"codes":0');
  });
});
