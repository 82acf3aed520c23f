import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isPublicRoute, PUBLIC_ROUTES } from '../../server/plugins/auth.ts';
import { createPlan } from '../factories/plans.ts';
import { buildTestApp, injectAs } from '../helpers/app.ts';
import { signedInAs } from '../helpers/session.ts';
import { collectRoutes } from '../helpers/routes.ts';

/** A concrete URL for a route pattern: every `:param` becomes a fresh id. */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, () => randomUUID()).replace(/\*$/, '');

describe('authentication for all of /api', async () => {
  const { result, routes } = await collectRoutes(() => buildTestApp({ template: 'liaison_empty' }));
  const { app, db } = result;
  const apiRoutes = routes.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD');
  const privateRoutes = apiRoutes.filter((r) => !isPublicRoute(r.method, r.url));

  it('names its public routes in one place, and each of them exists', () => {
    for (const name of PUBLIC_ROUTES) {
      const [method, url] = name.split(' ');
      expect(
        apiRoutes.some((r) => r.method === method && r.url === url),
        name,
      ).toBe(true);
    }
    // Everything else under /api needs a session: more than the plan routes alone.
    expect(privateRoutes.length).toBeGreaterThan(50);
  });

  it('answers 401 problem+json on every other route without a session, before any input is read', async () => {
    for (const route of privateRoutes) {
      const response = await app.inject({
        method: route.method as 'GET',
        url: concrete(route.url),
        ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {}),
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('answers 401 to a token that is not ours on a plan route', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/plans/${randomUUID()}`,
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(response.statusCode).toBe(401);
  });

  it('lets the public routes answer without a session', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.org', password: 'wrong-password' },
    });
    expect(signIn.statusCode).toBe(401);
    expect(signIn.json<{ detail: string }>().detail).toMatch(/do not match/);
  });

  it('opens a plan for the request whatever the case of its id, and refuses one the user may not see as 404', async () => {
    const { plan, lead } = await createPlan(db);
    const other = await createPlan(db);
    const lea = await signedInAs(app, lead);
    const planId = plan.id;
    const upper = await injectAs(app, lea, { method: 'GET', url: `/api/plans/${planId.toUpperCase()}` });
    expect(upper.statusCode).toBe(200);
    expect(upper.json<{ id: string }>().id).toBe(planId);
    expect(upper.headers['cache-control']).toBe('no-store');

    // Another plan's client: this plan is not theirs to know of.
    const otherClient = await signedInAs(app, other.client);
    for (const id of [planId, planId.toUpperCase(), randomUUID()]) {
      const refused = await injectAs(app, otherClient, { method: 'GET', url: `/api/plans/${id}` });
      expect(refused.statusCode, id).toBe(404);
      expect(refused.json()).not.toHaveProperty('sections');
    }
  });
});
