import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Executor } from '../../../db/client.ts';
import { addCoLead, addPartner, createPlan } from '../../factories/plans.ts';
import { createAdmin, createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// The client's access letter (issue 12): the lead prints it, the client activates with its
// one-time code, chooses a passphrase and is signed in; every code that does not open anything
// gets one answer; a new letter ends the old code, the password and every session.

interface Letter {
  recipientName: string;
  signInName: string;
  code: string;
  activateUrl: string;
  locale: string;
  issuedAt: string;
  expiresAt: string;
  qrSvg: string;
  pdf: string;
}

interface Problem {
  type: string;
  title: string;
  detail: string;
}

const PASSPHRASE = 'drie groene appels op tafel';
const OTHER_PASSPHRASE = 'le chat dort sur le canapé';

/** Léa leads the plans of Karim and Fatima, who have no account yet; Paul is a partner of Karim's plan. */
async function createWorld(db: Executor) {
  const organization = await createOrganization(db);
  const lea = await createProfessional(db, { organization, name: 'Léa Janssens' });
  const newPlan = (firstName: string, lastName: string, preferredLanguage: string | null = null) =>
    createPlan(db, {
      organization,
      lead: lea,
      clientAccount: false,
      clientRecord: { firstName, lastName, preferredLanguage },
    });
  const karim = await newPlan('Karim', 'Benali', 'fr');
  const paul = await addPartner(db, karim, { grants: ['goals', 'network'] });
  const tom = await addCoLead(db, karim, { name: 'Tom Co-lead' });
  return {
    lea,
    tom: tom.user,
    paul: paul.user,
    stranger: await createProfessional(db),
    admin: await createAdmin(db, { organization }),
    karim,
    newPlan,
  };
}

describe("the client's access letter", async () => {
  // Every test here comes from one address, whose limit (300 failures in 15 minutes by default)
  // these tests are not about: they are about the letter's own limit, so the address limit is set high.
  const { app, db } = await buildTestApp({
    template: 'liaison_empty',
    config: { LOGIN_MAX_FAILURES_PER_ADDRESS: 1000 },
  });
  const w = await createWorld(db);
  const lea = as(app, await signedInAs(app, w.lea));
  const paul = as(app, await signedInAs(app, w.paul));
  const tom = as(app, await signedInAs(app, w.tom));
  const stranger = as(app, await signedInAs(app, w.stranger));
  const admin = as(app, await signedInAs(app, w.admin));
  const KARIM = w.karim.plan.id;

  const accessUrl = (planId: string) => `/api/plans/${planId}/client-access`;
  const printLetter = async (planId: string, body: Record<string, unknown> = {}): Promise<Letter> => {
    const response = await lea.post(accessUrl(planId), body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Letter>();
  };
  const activate = (signInName: string, code: string, password = PASSPHRASE) =>
    app.inject({ method: 'POST', url: '/api/activate', payload: { signInName, code, password } });
  const signIn = (login: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
  const accountOf = async (signInName: string) =>
    (
      await db.execute<{ id: string; password_hash: string | null; sessions: number }>(sql`
        select u.id, u.password_hash,
               (select count(*)::int from sessions s where s.user_id = u.id) as sessions
          from users u where lower(u.sign_in_name) = lower(${signInName})`)
    )[0];
  const letterRows = async (signInName: string) =>
    db.execute<{ used_at: Date | null; revoked_at: Date | null; failed_attempts: number }>(sql`
      select c.used_at, c.revoked_at, c.failed_attempts from access_codes c
        join users u on u.id = c.user_id
       where lower(u.sign_in_name) = lower(${signInName}) order by c.created_at`);
  /** What a refused code answers, without the parts that name the request. */
  const refusal = (response: LightMyRequestResponse) => {
    const { type, title, detail } = response.json<Problem>();
    return {
      status: response.statusCode,
      contentType: response.headers['content-type'],
      type,
      title,
      detail,
    };
  };
  /** The answer to a sign-in name nobody has: every refused code must answer exactly this. */
  const unknownName = async () =>
    refusal(await activate('nobody-1234', 'ACDE-FGHJ-KMNP', 'un mot de passe assez long'));
  const logOf = async (planId: string, client: ReturnType<typeof as>) => {
    const response = await client.get(`/api/plans/${planId}/access-log?limit=100`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{
      items: Array<{ action: string; outcome: string; actor: { id: string; kind: string } | null }>;
    }>().items;
  };

  it('requires a session to print, read or revoke a letter', async () => {
    for (const [method, url] of [
      ['GET', accessUrl(KARIM)],
      ['POST', accessUrl(KARIM)],
      ['DELETE', `${accessUrl(KARIM)}/letter`],
    ] as const) {
      const response = await app.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('lets only the lead and co-leads manage access: a partner is refused (403), a stranger and an admin get 404, and no account is made', async () => {
    for (const [who, status] of [
      [paul, 403],
      [stranger, 404],
      [admin, 404],
    ] as const) {
      expect((await who.post(accessUrl(KARIM), {})).statusCode).toBe(status);
      expect((await who.get(accessUrl(KARIM))).statusCode).toBe(status);
      expect((await who.delete(`${accessUrl(KARIM)}/letter`)).statusCode).toBe(status);
    }
    for (const who of [lea, tom]) {
      const response = await who.get(accessUrl(KARIM));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ account: null, letter: null });
    }
  });

  it('prints a letter, and the client activates with its code, lands on their plan and signs in with their sign-in name afterwards; each step is logged', async () => {
    const response = await lea.post(accessUrl(KARIM), {});
    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const letter = response.json<Letter>();
    expect(letter).toMatchObject({ recipientName: 'Karim Benali', locale: 'fr' });
    expect(letter.signInName).toMatch(/^karim-\d{4}$/);
    expect(letter.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(letter.activateUrl).toContain(`login=${letter.signInName}`);
    expect(Buffer.from(letter.pdf, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(letter.qrSvg).toMatch(/<svg[\s>]/);
    const stored = await db.execute<{ code_digest: string }>(sql`select code_digest from access_codes`);
    expect(JSON.stringify(stored)).not.toContain(letter.code);
    expect((await lea.get(accessUrl(KARIM))).json()).toMatchObject({
      account: { signInName: letter.signInName, activated: false, disabled: false },
      letter: { state: 'open' },
    });

    const activated = await activate(letter.signInName, letter.code.toLowerCase().replace(/-/g, ' '));
    expect(activated.statusCode, activated.body).toBe(200);
    const session = activated.json<{ token: string; planId: string; user: { id: string; kind: string } }>();
    expect(session).toMatchObject({ planId: KARIM, user: { kind: 'client', signInName: letter.signInName } });
    const karim = as(app, session.token);
    const me = await karim.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { kind: 'client', name: 'Karim Benali' } });
    const plan = await karim.get(`/api/plans/${KARIM}`);
    expect(plan.statusCode, plan.body).toBe(200);
    // Karim's account opens his own plan only: another plan of the same lead is 404 to him.
    const fatima = await w.newPlan('Fatima', 'El Idrissi');
    expect((await karim.get(`/api/plans/${fatima.plan.id}`)).statusCode).toBe(404);

    const signedIn = await signIn(letter.signInName.toUpperCase(), PASSPHRASE);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect((await signIn(letter.signInName, OTHER_PASSPHRASE)).statusCode).toBe(401);
    expect((await lea.get(accessUrl(KARIM))).json()).toMatchObject({
      account: { activated: true },
      letter: { state: 'used' },
    });

    for (const reader of [lea, karim]) {
      const log = await logOf(KARIM, reader);
      expect(log).toContainEqual(
        expect.objectContaining({
          action: 'access-letter',
          outcome: 'ok',
          actor: expect.objectContaining({ id: w.lea.id }),
        }),
      );
      expect(log).toContainEqual(
        expect.objectContaining({
          action: 'activate',
          outcome: 'ok',
          actor: expect.objectContaining({ id: session.user.id, kind: 'client' }),
        }),
      );
    }
    // The log is the client's and the lead's: a partner does not read it.
    expect((await paul.get(`/api/plans/${KARIM}/access-log`)).statusCode).toBe(403);
  });

  it('gives a letter to a client who signed in by e-mail until now: the same account gets a sign-in name and opens the plan', async () => {
    const plan = await createPlan(db, {
      organization: w.karim.organization,
      lead: w.lea,
      client: { name: 'Samira Haddad' },
    });
    const oldSession = await signedInAs(app, plan.client);
    const response = await lea.post(accessUrl(plan.plan.id), {});
    expect(response.statusCode, response.body).toBe(201);
    const letter = response.json<Letter>();
    expect(letter.signInName).toMatch(/^samira-\d{4}$/);
    expect((await as(app, oldSession).get('/api/me')).statusCode).toBe(401);
    expect((await signIn(plan.client.email, plan.client.password)).statusCode).toBe(401);
    expect((await lea.get(accessUrl(plan.plan.id))).json()).toMatchObject({
      account: { signInName: letter.signInName, activated: false },
      letter: { state: 'open' },
    });

    const activated = await activate(letter.signInName, letter.code);
    expect(activated.statusCode, activated.body).toBe(200);
    const session = activated.json<{ token: string; user: { id: string } }>();
    expect(session.user.id).toBe(plan.client.id);
    expect((await as(app, session.token).get(`/api/plans/${plan.plan.id}`)).statusCode).toBe(200);
    expect((await as(app, session.token).get(`/api/plans/${KARIM}`)).statusCode).toBe(404);
    const accounts = await db.execute(sql`select id from users where name = 'Samira Haddad'`);
    expect(accounts).toHaveLength(1);
    expect((await signIn(plan.client.email, PASSPHRASE)).statusCode).toBe(200);
  });

  it('makes one account when two letters are printed at once: a letter never opens an account without the plan', async () => {
    const plan = await w.newPlan('Bram', 'Twee');
    const both = await Promise.all([
      lea.post(accessUrl(plan.plan.id), {}),
      lea.post(accessUrl(plan.plan.id), {}),
    ]);
    const printed = both.filter((r) => r.statusCode === 201).map((r) => r.json<Letter>());
    expect(printed.length).toBeGreaterThanOrEqual(1);
    for (const other of both.filter((r) => r.statusCode !== 201)) expect(other.statusCode).toBe(409);
    const accounts = await db.execute(sql`select id from users where name = 'Bram Twee'`);
    expect(accounts).toHaveLength(1);
    const opened = await activate(printed.at(-1)!.signInName, printed.at(-1)!.code);
    expect(opened.statusCode, opened.body).toBe(200);
    const token = opened.json<{ token: string }>().token;
    expect((await as(app, token).get(`/api/plans/${plan.plan.id}`)).statusCode).toBe(200);
  });

  it('refuses an expired code with the generic answer and signs nobody in', async () => {
    const plan = await w.newPlan('Emma', 'Peeters');
    const letter = await printLetter(plan.plan.id);
    await db.execute(sql`
      update access_codes set expires_at = now() - interval '1 minute'
       where user_id = (select id from users where sign_in_name = ${letter.signInName})`);
    const response = await activate(letter.signInName, letter.code);
    expect(refusal(response)).toEqual(await unknownName());
    expect(refusal(response)).toMatchObject({ status: 400, type: expect.stringContaining('invalid-code') });
    expect(await accountOf(letter.signInName)).toMatchObject({ password_hash: null, sessions: 0 });
    expect((await lea.get(accessUrl(plan.plan.id))).json()).toMatchObject({ letter: { state: 'expired' } });
  });

  it('refuses a code used once already with the generic answer, and keeps the first password', async () => {
    const plan = await w.newPlan('Jonas', 'Maes');
    const letter = await printLetter(plan.plan.id);
    expect((await activate(letter.signInName, letter.code)).statusCode).toBe(200);
    const again = await activate(letter.signInName, letter.code, OTHER_PASSPHRASE);
    expect(refusal(again)).toEqual(await unknownName());
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await accountOf(letter.signInName))?.sessions).toBe(1);
    expect((await signIn(letter.signInName, PASSPHRASE)).statusCode).toBe(200);
    expect((await signIn(letter.signInName, OTHER_PASSPHRASE)).statusCode).toBe(401);
  });

  it('refuses the code of a letter replaced by a second one, which works', async () => {
    const plan = await w.newPlan('Sara', 'Claes');
    const first = await printLetter(plan.plan.id);
    const second = await printLetter(plan.plan.id);
    expect(second.signInName).toBe(first.signInName);
    expect(second.code).not.toBe(first.code);
    expect(refusal(await activate(first.signInName, first.code))).toEqual(await unknownName());
    expect(await accountOf(first.signInName)).toMatchObject({ password_hash: null, sessions: 0 });
    expect((await activate(second.signInName, second.code)).statusCode).toBe(200);
  });

  it('refuses the code of a letter the lead revoked (a lost letter), and logs the revocation', async () => {
    const plan = await w.newPlan('Nadia', 'Wouters');
    const letter = await printLetter(plan.plan.id);
    const revoked = await lea.delete(`${accessUrl(plan.plan.id)}/letter`);
    expect(revoked.statusCode).toBe(204);
    expect(refusal(await activate(letter.signInName, letter.code))).toEqual(await unknownName());
    expect(await accountOf(letter.signInName)).toMatchObject({ password_hash: null, sessions: 0 });
    expect((await lea.get(accessUrl(plan.plan.id))).json()).toMatchObject({
      account: { activated: false },
      letter: { state: 'revoked' },
    });
    expect(await logOf(plan.plan.id, lea)).toContainEqual(
      expect.objectContaining({ action: 'revoke-access-letter', outcome: 'ok' }),
    );
  });

  it('blocks a letter after 20 wrong codes, the right one included, and only that letter', async () => {
    const blockedPlan = await w.newPlan('Tom', 'Jacobs');
    const otherPlan = await w.newPlan('Lotte', 'Mertens');
    const letter = await printLetter(blockedPlan.plan.id);
    const other = await printLetter(otherPlan.plan.id);
    const generic = await unknownName();
    for (let attempt = 1; attempt <= 20; attempt++) {
      const wrong = await activate(letter.signInName, `WRNG-${String(attempt).padStart(4, '0')}-CODE`);
      expect(refusal(wrong), `attempt ${attempt}`).toEqual(generic);
    }
    expect((await letterRows(letter.signInName))[0]?.failed_attempts).toBe(20);
    expect(refusal(await activate(letter.signInName, letter.code))).toEqual(generic);
    expect(await accountOf(letter.signInName)).toMatchObject({ password_hash: null, sessions: 0 });
    expect((await lea.get(accessUrl(blockedPlan.plan.id))).json()).toMatchObject({
      letter: { state: 'blocked' },
    });
    expect(await logOf(blockedPlan.plan.id, lea)).toContainEqual(
      expect.objectContaining({ action: 'access-letter-blocked', outcome: 'refused' }),
    );
    // Lotte's letter is not touched by Tom's.
    expect((await activate(other.signInName, other.code)).statusCode).toBe(200);
    // The lead prints Tom a new letter, which works.
    const renewed = await printLetter(blockedPlan.plan.id);
    expect((await activate(renewed.signInName, renewed.code)).statusCode).toBe(200);
  });

  it('answers a wrong sign-in name, and a right name with a wrong code, exactly like the other refusals', async () => {
    const plan = await w.newPlan('Ines', 'Dubois');
    const letter = await printLetter(plan.plan.id);
    const generic = await unknownName();
    expect(refusal(await activate(`${letter.signInName}x`, letter.code))).toEqual(generic);
    expect(refusal(await activate(letter.signInName, 'ACDE-FGHJ-KMNP'))).toEqual(generic);
    expect(generic.detail).not.toMatch(/expired|used|revoked|blocked|sign-in name is/i);
    expect((await activate(letter.signInName, letter.code)).statusCode).toBe(200);
  });

  it('refuses a weak passphrase (422 weak-password) and writes nothing: the code still works', async () => {
    const plan = await w.newPlan('Youssef', 'Amrani');
    const letter = await printLetter(plan.plan.id);
    for (const password of ['negen-tek', 'wachtwoord1', 'WachtWoord1', `${letter.signInName}!!`]) {
      const response = await activate(letter.signInName, letter.code, password);
      expect(response.statusCode, password).toBe(422);
      expect(response.json<Problem>().type, password).toContain('weak-password');
    }
    expect(await accountOf(letter.signInName)).toMatchObject({ password_hash: null, sessions: 0 });
    expect(await letterRows(letter.signInName)).toEqual([
      { used_at: null, revoked_at: null, failed_attempts: 0 },
    ]);
    expect((await activate(letter.signInName, letter.code)).statusCode).toBe(200);
  });

  it('ends the old session and password when a client who activated gets a new letter', async () => {
    const plan = await w.newPlan('Marie', 'Lambert', 'nl');
    const first = await printLetter(plan.plan.id);
    const opened = await activate(first.signInName, first.code);
    const oldToken = opened.json<{ token: string }>().token;
    expect((await as(app, oldToken).get('/api/me')).statusCode).toBe(200);

    const second = await printLetter(plan.plan.id, { locale: 'en' });
    expect(second).toMatchObject({ signInName: first.signInName, locale: 'en' });
    expect((await as(app, oldToken).get('/api/me')).statusCode).toBe(401);
    expect((await as(app, oldToken).get(`/api/plans/${plan.plan.id}`)).statusCode).toBe(401);
    expect((await signIn(first.signInName, PASSPHRASE)).statusCode).toBe(401);
    expect((await lea.get(accessUrl(plan.plan.id))).json()).toMatchObject({
      account: { activated: false },
      letter: { state: 'open' },
    });

    const reopened = await activate(second.signInName, second.code, OTHER_PASSPHRASE);
    expect(reopened.statusCode).toBe(200);
    expect((await signIn(first.signInName, OTHER_PASSPHRASE)).statusCode).toBe(200);
    expect((await signIn(first.signInName, PASSPHRASE)).statusCode).toBe(401);
  });
});
