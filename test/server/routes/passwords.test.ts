import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createAdmin, createOrganization, createProfessional, type TestUser } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';
import { startSmtpServer, type ReceivedMail } from '../../helpers/smtp.ts';
import type { Mailer } from '../../../server/mail/mailer.ts';

// Passwords and sessions (issue 12): change with the current password, reset by an e-mailed link
// (the same answer for every address), signed-in devices with "sign out everywhere", and an admin
// who disables and enables an account without reviving its old sessions.

const NEW_PASSWORD = 'zeven trage slakken op het pad';
const OTHER_PASSWORD = 'un escargot traverse la route';

interface Problem {
  type: string;
  title: string;
  detail: string;
}

describe('passwords and sessions', async () => {
  const smtp = await startSmtpServer();
  const { app, db } = await buildTestApp({ template: 'liaison_empty', config: { SMTP_URL: smtp.url } });
  const organization = await createOrganization(db);
  const adminUser = await createAdmin(db, { organization });
  const ada = as(app, await signedInAs(app, adminUser));
  /** A new professional of the organisation for each test: failed sign-ins are counted per account. */
  const newUser = (options: { locale?: 'nl' | 'fr' | 'en'; name?: string } = {}) =>
    createProfessional(db, { organization, ...options });

  let lastAddress = 0;
  /** Each request from its own address: the reset throttle allows 10 requests per address and hour. */
  const fromNewAddress = () => `10.0.${Math.floor(++lastAddress / 250)}.${lastAddress % 250}`;
  const login = (user: Pick<TestUser, 'email'>, password: string, userAgent = 'vitest') =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: user.email, password },
      headers: { 'user-agent': userAgent },
      remoteAddress: fromNewAddress(),
    });
  const tokenOf = async (user: Pick<TestUser, 'email'>, password: string, userAgent?: string) => {
    const response = await login(user, password, userAgent);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ token: string }>().token;
  };
  const askReset = (email: string, remoteAddress = fromNewAddress()) =>
    app.inject({ method: 'POST', url: '/api/password-reset', payload: { email }, remoteAddress });
  const resetWith = (token: string, password: string) =>
    app.inject({ method: 'POST', url: `/api/password-reset/${token}`, payload: { password } });
  const mailsTo = (email: string) => smtp.messages.filter((m) => m.to.includes(email.toLowerCase()));
  const resetTokenOf = (mail: ReceivedMail) => {
    const link = mail.links.find((l) => l.includes('/reset-password/'));
    if (!link) throw new Error(`no reset link in "${mail.subject}"`);
    return decodeURIComponent(link.slice(link.lastIndexOf('/') + 1));
  };
  /** Asks for a reset of a known address and returns the token of the link that arrives. */
  const resetLinkFor = async (user: Pick<TestUser, 'email'>) => {
    const sent = mailsTo(user.email).length;
    expect((await askReset(user.email)).statusCode).toBe(202);
    const mail = await smtp.waitForMail(
      (m) => m.to.includes(user.email.toLowerCase()) && mailsTo(user.email).indexOf(m) >= sent,
    );
    return resetTokenOf(mail);
  };
  const refusal = (response: LightMyRequestResponse) => {
    const { type, title, detail } = response.json<Problem>();
    return { status: response.statusCode, type, title, detail };
  };
  const status = async (token: string, url = '/api/me') => (await as(app, token).get(url)).statusCode;

  describe('changing a password', () => {
    it('requires a session', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/me/password',
        payload: { currentPassword: 'x', newPassword: NEW_PASSWORD },
      });
      expect(response.statusCode).toBe(401);
    });

    it('refuses a wrong current password and a weak new one (422), and changes nothing', async () => {
      const user = await newUser();
      const me = as(app, await tokenOf(user, user.password));
      const wrong = await me.post('/api/me/password', {
        currentPassword: 'not-my-password-at-all',
        newPassword: NEW_PASSWORD,
      });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json<Problem>().type).toContain('wrong-password');
      for (const newPassword of ['negen-tek', 'wachtwoord1']) {
        const weak = await me.post('/api/me/password', { currentPassword: user.password, newPassword });
        expect(weak.statusCode, newPassword).toBe(422);
        expect(weak.json<Problem>().type).toContain('weak-password');
      }
      expect((await login(user, NEW_PASSWORD)).statusCode).toBe(401);
      expect((await login(user, user.password)).statusCode).toBe(200);
      expect(await status(me.token)).toBe(200);
    });

    it('changes it with the right one: other devices are signed out, this one stays', async () => {
      const user = await newUser();
      const here = await tokenOf(user, user.password, 'laptop');
      const elsewhere = await tokenOf(user, user.password, 'phone');
      const response = await as(app, here).post('/api/me/password', {
        currentPassword: user.password,
        newPassword: NEW_PASSWORD,
      });
      expect(response.statusCode, response.body).toBe(204);
      expect(await status(here)).toBe(200);
      expect(await status(elsewhere)).toBe(401);
      expect((await login(user, user.password)).statusCode).toBe(401);
      expect((await login(user, NEW_PASSWORD)).statusCode).toBe(200);
    });
  });

  describe('resetting a password by e-mail', () => {
    it('answers 202 for a known and an unknown address alike, and mails only the known one, in their language', async () => {
      const user = await newUser({ locale: 'fr', name: 'Nora Lambert' });
      const known = await askReset(user.email.toUpperCase());
      const unknown = await askReset('nobody-here@factory.example');
      expect(known.statusCode).toBe(202);
      expect(unknown.statusCode).toBe(202);
      expect(known.body).toBe(unknown.body);
      const mail = await smtp.waitForMail((m) => m.to.includes(user.email.toLowerCase()));
      expect(mail.subject).toBe('Choisissez un nouveau mot de passe pour Liaison');
      expect(mail.links.filter((l) => l.includes('/reset-password/'))).toHaveLength(1);
      // The send is awaited before the answer: a mail to the unknown address would be here already.
      expect(mailsTo('nobody-here@factory.example')).toEqual([]);
      const stored = await db.execute<{ user_id: string | null }>(
        sql`select user_id from access_codes where purpose = 'password_reset'`,
      );
      expect(stored).toEqual([{ user_id: user.id }]);
    });

    it('sets a new password with the link once: sessions from before are 401, the link does not work twice', async () => {
      const user = await newUser();
      const before = await tokenOf(user, user.password);
      const token = await resetLinkFor(user);
      expect(await status(before)).toBe(200);
      const reset = await resetWith(token, NEW_PASSWORD);
      expect(reset.statusCode, reset.body).toBe(204);
      expect(await status(before)).toBe(401);
      expect((await login(user, user.password)).statusCode).toBe(401);
      const after = await tokenOf(user, NEW_PASSWORD);
      expect(await status(after)).toBe(200);

      const again = await resetWith(token, OTHER_PASSWORD);
      expect(refusal(again)).toMatchObject({ status: 400, type: expect.stringContaining('invalid-code') });
      expect(refusal(again)).toEqual(refusal(await resetWith('y'.repeat(43), OTHER_PASSWORD)));
      expect((await login(user, OTHER_PASSWORD)).statusCode).toBe(401);
      expect(await status(after)).toBe(200);
    });

    it('refuses an expired link with the same answer, and changes nothing', async () => {
      const user = await newUser();
      const session = await tokenOf(user, user.password);
      const token = await resetLinkFor(user);
      await db.execute(sql`
        update access_codes set expires_at = now() - interval '1 second'
         where user_id = ${user.id} and purpose = 'password_reset'`);
      const response = await resetWith(token, NEW_PASSWORD);
      expect(refusal(response)).toEqual(refusal(await resetWith('y'.repeat(43), NEW_PASSWORD)));
      expect(response.statusCode).toBe(400);
      expect(await status(session)).toBe(200);
      expect((await login(user, user.password)).statusCode).toBe(200);
    });

    it('refuses the link of an earlier request once a new one was sent', async () => {
      const user = await newUser();
      const first = await resetLinkFor(user);
      const second = await resetLinkFor(user);
      expect(second).not.toBe(first);
      expect(refusal(await resetWith(first, NEW_PASSWORD))).toEqual(
        refusal(await resetWith('y'.repeat(43), NEW_PASSWORD)),
      );
      expect((await login(user, user.password)).statusCode).toBe(200);
      expect((await resetWith(second, NEW_PASSWORD)).statusCode).toBe(204);
    });

    it('refuses a weak password (422) and keeps the link usable', async () => {
      const user = await newUser();
      const token = await resetLinkFor(user);
      const weak = await resetWith(token, 'wachtwoord1');
      expect(weak.statusCode).toBe(422);
      expect(weak.json<Problem>().type).toContain('weak-password');
      expect((await login(user, user.password)).statusCode).toBe(200);
      expect((await resetWith(token, NEW_PASSWORD)).statusCode).toBe(204);
    });

    it('limits requests per address and per e-mail (429 with Retry-After)', async () => {
      const user = await newUser();
      for (let i = 0; i < 3; i++) expect((await askReset(user.email)).statusCode).toBe(202);
      const limited = await askReset(user.email);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(mailsTo(user.email)).toHaveLength(3);
      const address = fromNewAddress();
      for (let i = 0; i < 10; i++)
        expect((await askReset(`someone-${i}@factory.example`, address)).statusCode).toBe(202);
      expect((await askReset('someone-else@factory.example', address)).statusCode).toBe(429);
    });
  });

  describe('signed-in devices', () => {
    it('requires a session', async () => {
      for (const [method, url] of [
        ['GET', '/api/me/sessions'],
        ['DELETE', '/api/me/sessions'],
        ['DELETE', `/api/me/sessions/${randomUUID()}`],
      ] as const)
        expect((await app.inject({ method, url })).statusCode, `${method} ${url}`).toBe(401);
    });

    it('lists where the user is signed in, marks this device, and signs one out', async () => {
      const user = await newUser();
      const laptop = as(app, await tokenOf(user, user.password, 'Firefox on the laptop'));
      const phone = as(app, await tokenOf(user, user.password, 'Safari on the phone'));
      const other = await newUser();
      const othersToken = await tokenOf(other, other.password, 'Someone else');

      const listed = await laptop.get('/api/me/sessions');
      expect(listed.statusCode).toBe(200);
      const items = listed.json<{
        items: Array<{ id: string; userAgent: string | null; current: boolean }>;
      }>().items;
      expect(items).toHaveLength(2);
      expect(items.filter((d) => d.current)).toEqual([
        expect.objectContaining({ userAgent: 'Firefox on the laptop' }),
      ]);
      expect(listed.body).not.toContain('Someone else');
      const phoneSession = items.find((d) => d.userAgent === 'Safari on the phone')!;

      // Someone else's session, and one that does not exist, are not found.
      const othersSession = (await as(app, othersToken).get('/api/me/sessions')).json<{
        items: Array<{ id: string }>;
      }>().items[0]!;
      expect((await laptop.delete(`/api/me/sessions/${othersSession.id}`)).statusCode).toBe(404);
      expect((await laptop.delete(`/api/me/sessions/${randomUUID()}`)).statusCode).toBe(404);
      expect(await status(othersToken)).toBe(200);

      expect((await laptop.delete(`/api/me/sessions/${phoneSession.id}`)).statusCode).toBe(204);
      expect(await status(phone.token)).toBe(401);
      expect(await status(laptop.token)).toBe(200);
      const left = (await laptop.get('/api/me/sessions')).json<{ items: Array<{ current: boolean }> }>()
        .items;
      expect(left).toEqual([expect.objectContaining({ current: true })]);
    });

    it('signs out everywhere, this device included', async () => {
      const user = await newUser();
      const laptop = await tokenOf(user, user.password, 'laptop');
      const phone = await tokenOf(user, user.password, 'phone');
      const response = await as(app, laptop).delete('/api/me/sessions');
      expect(response.statusCode).toBe(204);
      expect(String(response.headers['set-cookie'])).toMatch(/liaison|session/i);
      expect(await status(laptop)).toBe(401);
      expect(await status(phone)).toBe(401);
      expect((await login(user, user.password)).statusCode).toBe(200);
    });
  });

  describe('an admin disables and enables an account', () => {
    it('ends its sessions for good: enabling again does not revive the old token; a new sign-in works', async () => {
      const user = await newUser();
      const old = await tokenOf(user, user.password);
      const patch = (disabled: boolean, version: number) =>
        ada.patch(`/api/users/${user.id}`, { disabled }, { headers: { 'if-match': `"${version}"` } });

      const disabled = await patch(true, 1);
      expect(disabled.statusCode, disabled.body).toBe(200);
      expect(await status(old)).toBe(401);
      expect((await login(user, user.password)).statusCode).toBe(401);
      // A disabled account is sent no reset link.
      expect((await askReset(user.email)).statusCode).toBe(202);
      expect(mailsTo(user.email)).toEqual([]);

      const enabled = await patch(false, disabled.json<{ version: number }>().version);
      expect(enabled.statusCode, enabled.body).toBe(200);
      expect(await status(old)).toBe(401);
      const fresh = await tokenOf(user, user.password);
      expect(await status(fresh)).toBe(200);
      expect(await status(old)).toBe(401);
    });
  });
});

describe('a password reset when the mail server fails', async () => {
  const failing: Mailer = {
    outboxDir: null,
    send: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:25')),
    close: () => Promise.resolve(),
  };
  const { app, db } = await buildTestApp({ template: 'liaison_empty', mailer: failing });
  const user = await createProfessional(db, { organization: await createOrganization(db) });
  const ask = (email: string, remoteAddress: string) =>
    app.inject({ method: 'POST', url: '/api/password-reset', payload: { email }, remoteAddress });

  it('answers a known address as an unknown one, and keeps no link nobody received', async () => {
    const known = await ask(user.email, '10.9.0.1');
    const unknown = await ask('nobody-here@factory.example', '10.9.0.2');
    expect(known.statusCode, known.body).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    const stored = await db.execute(sql`select 1 from access_codes where purpose = 'password_reset'`);
    expect(stored).toHaveLength(0);
  });
});
