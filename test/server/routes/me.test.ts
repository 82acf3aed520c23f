import { unpackRules } from '@casl/ability/extra';
import { describe, expect, it } from 'vitest';
import { buildTestApp, injectAs, login } from '../../helpers/app.ts';

describe('/api/me', async () => {
  const { app } = await buildTestApp();

  it('requires a session', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'PATCH', url: '/api/me', payload: { locale: 'fr' } })).statusCode,
    ).toBe(401);
  });

  it('names the user and their organisation, and never the password hash', async () => {
    const token = await login(app, 'lea.lead@demo.example');
    const response = await injectAs(app, token, { method: 'GET', url: '/api/me' });
    const body = response.json<{
      user: Record<string, unknown>;
      organization: { name: string } | null;
      rules: unknown[];
    }>();
    expect(body.user).toMatchObject({
      email: 'lea.lead@demo.example',
      kind: 'professional',
      secrecyBound: true,
    });
    expect(body.organization?.name).toEqual(expect.any(String));
    expect(JSON.stringify(body)).not.toMatch(/argon2|passwordHash/);
  });

  it('sends packed rules: an admin may manage users but has no rule on plan content', async () => {
    const token = await login(app, 'ada.admin@demo.example');
    const body = (await injectAs(app, token, { method: 'GET', url: '/api/me' })).json<{ rules: [] }>();
    const rules = unpackRules(body.rules);
    const subjects = rules.flatMap((rule) => [rule.subject].flat());
    expect(subjects).toContain('User');
    expect(subjects).not.toEqual(expect.arrayContaining(['Plan']));
    expect(subjects.some((s) => ['Goal', 'Background', 'Meeting', 'Member'].includes(String(s)))).toBe(false);
  });

  it('changes the interface language, and refuses one that does not exist', async () => {
    const token = await login(app, 'karim.client@demo.example');
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
