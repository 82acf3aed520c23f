import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createPlan } from '../factories/plans.ts';
import { createUser } from '../factories/users.ts';
import { buildTestApp, cookieHeader } from '../helpers/app.ts';
import { signedInAs } from '../helpers/session.ts';

// Issue 16, finding 9: cookie-authenticated writes (and the POSTs that set the cookie) must come
// from Liaison's own pages; SameSite=Strict was the only wall.

const EVIL = 'https://evil.example';
const GOAL = { lifeDomain: 'housing', title: 'Find a flat' };

async function count(db: Database, table: 'goals' | 'sessions' | 'audit_events') {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`);
  return row?.n ?? -1;
}

function expectCrossSite(response: LightMyRequestResponse) {
  expect(response.statusCode, response.body).toBe(403);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json<{ type: string }>().type).toBe('urn:liaison:problem:cross-site');
  expect(response.headers['set-cookie']).toBeUndefined();
}

describe('writes from another site are refused (issue 16, finding 9)', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const { plan, lead } = await createPlan(db, { phase: 'goals' });
  const token = await signedInAs(app, lead);
  const goalsUrl = `/api/plans/${plan.id}/goals`;
  const postGoal = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: goalsUrl, payload: GOAL, headers });

  it('refuses a cookie-authenticated POST from another origin with 403 problem+json, and writes nothing', async () => {
    const before = { goals: await count(db, 'goals'), audit: await count(db, 'audit_events') };
    expectCrossSite(await postGoal({ ...cookieHeader(token), origin: EVIL }));
    expectCrossSite(await postGoal({ ...cookieHeader(token), origin: 'null' }));
    expectCrossSite(await postGoal({ ...cookieHeader(token), origin: 'http://localhost.evil.example' }));
    expect(await count(db, 'goals')).toBe(before.goals);
    expect(await count(db, 'audit_events')).toBe(before.audit);
  });

  it('refuses what Sec-Fetch-Site says comes from another site, even without Origin', async () => {
    const before = await count(db, 'goals');
    expectCrossSite(await postGoal({ ...cookieHeader(token), 'sec-fetch-site': 'cross-site' }));
    expectCrossSite(await postGoal({ ...cookieHeader(token), 'sec-fetch-site': 'same-site' }));
    const remove = await app.inject({
      method: 'DELETE',
      url: '/api/me/sessions',
      headers: { ...cookieHeader(token), 'sec-fetch-site': 'cross-site' },
    });
    expectCrossSite(remove);
    expect(await count(db, 'goals')).toBe(before);
    expect(
      (await app.inject({ method: 'GET', url: '/api/me', headers: cookieHeader(token) })).statusCode,
    ).toBe(200);
  });

  it('takes a cookie POST from its own origin (Origin, Sec-Fetch-Site), as the web app sends it', async () => {
    const own = await postGoal({
      ...cookieHeader(token),
      origin: 'http://localhost',
      'sec-fetch-site': 'same-origin',
    });
    expect(own.statusCode, own.body).toBe(201);
    const withPort = await postGoal({
      ...cookieHeader(token),
      host: 'liaison.test:8443',
      origin: 'https://liaison.test:8443',
    });
    expect(withPort.statusCode, withPort.body).toBe(201);
    // The same request, sent to a host the page did not come from, is refused.
    expectCrossSite(
      await postGoal({ ...cookieHeader(token), host: 'liaison.test', origin: 'https://other.test' }),
    );
  });

  it('takes a Bearer request whatever its Origin (not cookie-authenticated), and refuses its cookie twin', async () => {
    const bearer = await postGoal({
      authorization: `Bearer ${token}`,
      origin: EVIL,
      'sec-fetch-site': 'cross-site',
    });
    expect(bearer.statusCode, bearer.body).toBe(201);
    expectCrossSite(await postGoal({ ...cookieHeader(token), origin: EVIL, 'sec-fetch-site': 'cross-site' }));
  });

  it('takes requests that say nothing of their origin (curl, API clients), and reads from anywhere', async () => {
    const plain = await postGoal(cookieHeader(token));
    expect(plain.statusCode, plain.body).toBe(201);
    const read = await app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { ...cookieHeader(token), origin: EVIL },
    });
    expect(read.statusCode).toBe(200);
    expectCrossSite(await postGoal({ ...cookieHeader(token), origin: EVIL }));
  });

  it('refuses sign-in, activation and invitation acceptance from another site (login CSRF): no cookie set', async () => {
    const attacker = await createUser(db);
    const sessions = await count(db, 'sessions');
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: attacker.email, password: attacker.password },
      headers: { origin: EVIL, 'sec-fetch-site': 'cross-site' },
    });
    expectCrossSite(login);
    expect(await count(db, 'sessions')).toBe(sessions);
    expectCrossSite(
      await app.inject({
        method: 'POST',
        url: '/api/activate',
        payload: { signInName: 'someone', code: 'ABCD-EFGH', password: 'a long password 123' },
        headers: { origin: EVIL },
      }),
    );
    expectCrossSite(
      await app.inject({
        method: 'POST',
        url: '/api/invitations/0123456789abcdefghijklmnopqrstuvwxyzABCDEFG/accept',
        payload: { password: 'a long password 123' },
        headers: { 'sec-fetch-site': 'cross-site' },
      }),
    );
    const own = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: attacker.email, password: attacker.password },
      headers: { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    });
    expect(own.statusCode, own.body).toBe(200);
  });

  it('compares Origin with X-Forwarded-Host only when the proxy is trusted', async () => {
    const forwarded = { ...cookieHeader(token), 'x-forwarded-host': 'evil.example', origin: EVIL };
    expectCrossSite(await postGoal(forwarded));
    const behindProxy = await buildTestApp({ template: 'liaison_empty', config: { TRUST_PROXY: true } });
    const { plan: proxied, lead: proxiedLead } = await createPlan(behindProxy.db, { phase: 'goals' });
    const proxiedToken = await signedInAs(behindProxy.app, proxiedLead);
    const send = (headers: Record<string, string>) =>
      behindProxy.app.inject({
        method: 'POST',
        url: `/api/plans/${proxied.id}/goals`,
        payload: GOAL,
        headers,
      });
    const viaProxy = await send({
      ...cookieHeader(proxiedToken),
      'x-forwarded-host': 'liaison.example.org',
      'x-forwarded-proto': 'https',
      origin: 'https://liaison.example.org',
    });
    expect(viaProxy.statusCode, viaProxy.body).toBe(201);
    expectCrossSite(
      await send({ ...cookieHeader(proxiedToken), 'x-forwarded-host': 'liaison.example.org', origin: EVIL }),
    );
  });

  it('forbids framing in X-Frame-Options as frame-ancestors does (DENY, not SAMEORIGIN)', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-frame-options']).toBe('DENY');
  });
});
