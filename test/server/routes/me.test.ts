import { unpackRules } from '@casl/ability/extra';
import { describe, expect, it } from 'vitest';
import {
  createAdmin,
  createClientUser,
  createOrganization,
  createProfessional,
} from '../../factories/users.ts';
import { createPlan } from '../../factories/plans.ts';
import { buildTestApp, injectAs } from '../../helpers/app.ts';
import { signedInAs } from '../../helpers/session.ts';

describe('/api/me', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db, { name: 'Begeleid Wonen Factory' });
  const professional = await createProfessional(db, { organization, secrecyBound: true });
  const admin = await createAdmin(db, { organization });
  const client = await createClientUser(db);
  // The admin's organisation runs a plan: the admin still gets no rule on it.
  await createPlan(db, { organization, lead: professional });

  it('requires a session', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'PATCH', url: '/api/me', payload: { locale: 'fr' } })).statusCode,
    ).toBe(401);
  });

  it('names the user and their organisation, and never the password hash', async () => {
    const token = await signedInAs(app, professional);
    const response = await injectAs(app, token, { method: 'GET', url: '/api/me' });
    const body = response.json<{
      user: Record<string, unknown>;
      organization: { name: string } | null;
      rules: unknown[];
    }>();
    expect(body.user).toMatchObject({
      email: professional.email,
      kind: 'professional',
      secrecyBound: true,
    });
    expect(body.organization?.name).toBe('Begeleid Wonen Factory');
    expect(JSON.stringify(body)).not.toMatch(/argon2|passwordHash/);
  });

  it('sends packed rules: an admin may manage users but has no rule on plan content', async () => {
    const token = await signedInAs(app, admin);
    const body = (await injectAs(app, token, { method: 'GET', url: '/api/me' })).json<{ rules: [] }>();
    const rules = unpackRules(body.rules);
    const subjects = rules.flatMap((rule) => [rule.subject].flat());
    expect(subjects).toContain('User');
    expect(subjects).not.toEqual(expect.arrayContaining(['Plan']));
    expect(subjects.some((s) => ['Goal', 'Background', 'Meeting', 'Member'].includes(String(s)))).toBe(false);
  });

  it('changes the interface language, and refuses one that does not exist', async () => {
    const token = await signedInAs(app, client);
    const changed = await injectAs(app, token, {
      method: 'PATCH',
      url: '/api/me',
      payload: { locale: 'en' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ user: { locale: 'en' } });
    expect((await injectAs(app, token, { method: 'GET', url: '/api/me' })).json()).toMatchObject({
      user: { locale: 'en' },
    });
    const refused = await injectAs(app, token, {
      method: 'PATCH',
      url: '/api/me',
      payload: { locale: 'de' },
    });
    expect(refused.statusCode).toBe(400);
    expect((await injectAs(app, token, { method: 'GET', url: '/api/me' })).json()).toMatchObject({
      user: { locale: 'en' },
    });
  });
});

describe('/api/session', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const professional = await createProfessional(db, { organization: await createOrganization(db) });

  it('answers 200 with nobody when signed out, or with a token that is not one of ours', async () => {
    const signedOut = await app.inject({ method: 'GET', url: '/api/session' });
    expect(signedOut.statusCode).toBe(200);
    expect(signedOut.json()).toEqual({ me: null });
    const forged = await injectAs(app, 'not-a-token', { method: 'GET', url: '/api/session' });
    expect(forged.statusCode).toBe(200);
    expect(forged.json()).toEqual({ me: null });
    expect(signedOut.headers['cache-control']).toBe('no-store');
  });

  it('answers what /api/me answers when signed in, and nobody once the session ended', async () => {
    const token = await signedInAs(app, professional);
    const session = await injectAs(app, token, { method: 'GET', url: '/api/session' });
    const me = await injectAs(app, token, { method: 'GET', url: '/api/me' });
    expect(session.statusCode).toBe(200);
    expect(session.json<{ me: unknown }>().me).toEqual(me.json());
    await injectAs(app, token, { method: 'POST', url: '/api/auth/logout' });
    expect((await injectAs(app, token, { method: 'GET', url: '/api/session' })).json()).toEqual({ me: null });
  });
});
