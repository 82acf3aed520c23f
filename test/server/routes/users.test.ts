import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  createAdmin,
  createClientUser,
  createOrganization,
  createProfessional,
} from '../../factories/users.ts';
import { buildTestApp, injectAs, login } from '../../helpers/app.ts';
import { signedInAs } from '../../helpers/session.ts';

describe("an organisation admin manages the organisation's users", async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db);
  const otherOrganization = await createOrganization(db);
  const adminUser = await createAdmin(db, { organization });
  const leadUser = await createProfessional(db, { organization, secrecyBound: true });
  const colleague = await createProfessional(db, { organization });
  const outsider = await createProfessional(db, { organization: otherOrganization });
  const clientUser = await createClientUser(db);
  const ada = await signedInAs(app, adminUser);
  const lea = await signedInAs(app, leadUser);
  const karim = await signedInAs(app, clientUser);
  const countUsers = async () =>
    (await db.execute<{ n: number }>(sql`select count(*)::int as n from users`))[0]!.n;
  const newUser = {
    email: 'jonas@factory.example',
    name: 'Jonas Peeters',
    password: 'a-first-password-42',
    secrecyBound: true,
  };

  it('requires a session', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/users' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/users', payload: newUser })).statusCode).toBe(401);
  });

  it('lists only the users of the admin’s own organisation, never a password hash', async () => {
    const response = await injectAs(app, ada, { method: 'GET', url: '/api/users' });
    expect(response.statusCode).toBe(200);
    const emails = response.json<{ items: Array<{ email: string }> }>().items.map((u) => u.email);
    expect(emails).toEqual(expect.arrayContaining([leadUser.email, colleague.email, adminUser.email]));
    expect(emails).not.toContain(outsider.email);
    expect(emails).not.toContain(clientUser.email);
    expect(response.body).not.toMatch(/argon2|passwordHash/);
  });

  it('refuses professionals and clients (403)', async () => {
    for (const token of [lea, karim]) {
      expect((await injectAs(app, token, { method: 'GET', url: '/api/users' })).statusCode).toBe(403);
      expect(
        (await injectAs(app, token, { method: 'POST', url: '/api/users', payload: newUser })).statusCode,
      ).toBe(403);
    }
  });

  it('creates an account that can sign in, and refuses a second one with the same address', async () => {
    const created = await injectAs(app, ada, { method: 'POST', url: '/api/users', payload: newUser });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      email: newUser.email,
      kind: 'professional',
      secrecyBound: true,
      disabled: false,
    });
    expect(created.headers.etag).toBe('"1"');
    await expect(login(app, newUser.email, newUser.password)).resolves.toEqual(expect.any(String));
    const again = await injectAs(app, ada, {
      method: 'POST',
      url: '/api/users',
      payload: { ...newUser, email: 'JONAS@factory.example' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('refuses bad input with 400 and creates nothing', async () => {
    const before = await countUsers();
    for (const payload of [
      { ...newUser, email: 'not-an-address' },
      { ...newUser, password: 'short' },
      { ...newUser, kind: 'client' },
      { ...newUser, organizationId: otherOrganization.id },
    ]) {
      const response = await injectAs(app, ada, { method: 'POST', url: '/api/users', payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await countUsers()).toBe(before);
  });

  it('disables a user, whose open session is refused on the next request, with If-Match', async () => {
    const tom = await signedInAs(app, colleague);
    const url = `/api/users/${colleague.id}`;
    expect((await injectAs(app, ada, { method: 'PATCH', url, payload: { disabled: true } })).statusCode).toBe(
      428,
    );
    expect(
      (
        await injectAs(app, ada, {
          method: 'PATCH',
          url,
          payload: { disabled: true },
          headers: { 'if-match': '"99"' },
        })
      ).statusCode,
    ).toBe(412);
    expect((await injectAs(app, tom, { method: 'GET', url: '/api/me' })).statusCode).toBe(200);
    const disabled = await injectAs(app, ada, {
      method: 'PATCH',
      url,
      payload: { disabled: true },
      headers: { 'if-match': '"1"' },
    });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ disabled: true, version: 2 });
    expect((await injectAs(app, tom, { method: 'GET', url: '/api/me' })).statusCode).toBe(401);
  });

  it('sets and clears the secrecy flag', async () => {
    const response = await injectAs(app, ada, {
      method: 'PATCH',
      url: `/api/users/${leadUser.id}`,
      payload: { secrecyBound: false },
      headers: { 'if-match': '"1"' },
    });
    expect(response.json()).toMatchObject({ secrecyBound: false });
  });

  it('answers 404 for a user of another organisation, and refuses to disable oneself', async () => {
    const other = await injectAs(app, ada, {
      method: 'PATCH',
      url: `/api/users/${outsider.id}`,
      payload: { disabled: true },
      headers: { 'if-match': '"1"' },
    });
    expect(other.statusCode).toBe(404);
    const self = await injectAs(app, ada, {
      method: 'PATCH',
      url: `/api/users/${adminUser.id}`,
      payload: { disabled: true },
      headers: { 'if-match': '"1"' },
    });
    expect(self.statusCode).toBe(422);
  });
});
