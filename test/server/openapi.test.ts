import { describe, expect, it } from 'vitest';
import { addOperationIds, deriveOperationId } from '../../server/plugins/openapi.ts';
import { buildTestApp } from '../helpers/app.ts';
import { collectRoutes } from '../helpers/routes.ts';

interface Operation {
  operationId?: string;
  responses: Record<string, { content?: Record<string, unknown> }>;
}
interface Document {
  openapi: string;
  info: { license?: { name: string; identifier?: string; url?: string } };
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

/** Operations that cannot answer a client error; .redocly.lint-ignore.yaml says the same. */
// Routes that answer every request 200: the health check, and who is signed in (nobody: `me: null`).
const WITHOUT_CLIENT_ERRORS = ['GET /api/health', 'GET /api/session'];

describe('the OpenAPI document', async () => {
  const { result, routes } = await collectRoutes(() => buildTestApp({ template: 'liaison_empty' }));
  const { app } = result;
  const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Document>();
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );

  it('documents every /api route, with its path parameters in OpenAPI form', async () => {
    expect(document.openapi).toBe('3.1.0');
    const apiRoutes = routes.filter(
      (r) =>
        r.url.startsWith('/api/') &&
        !['HEAD', 'OPTIONS'].includes(r.method) &&
        !r.url.startsWith('/api/docs') &&
        r.url !== '/api/openapi.json',
    );
    expect(apiRoutes.length).toBeGreaterThan(30);
    for (const route of apiRoutes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(
        document.paths[path]?.[route.method.toLowerCase()],
        `${route.method} ${route.url}`,
      ).toBeDefined();
    }
  });

  it('names the server and the licence', () => {
    expect(document.servers?.length).toBeGreaterThan(0);
    expect(document.servers?.[0]?.url).toBe('/');
    expect(document.info.license?.name).toBeTruthy();
    expect(document.info.license?.identifier ?? document.info.license?.url).toBeTruthy();
  });

  it('gives every operation an operationId, unique over the document', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    for (const { name, operation } of operations)
      expect(operation.operationId, name).toMatch(/^[a-z][A-Za-z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('derives readable operationIds from the method and the path', () => {
    const idOf = (name: string) => operations.find((o) => o.name === name)?.operation.operationId;
    expect(idOf('GET /api/plans')).toBe('listPlans');
    expect(idOf('POST /api/plans')).toBe('createPlan');
    expect(idOf('GET /api/plans/{planId}')).toBe('getPlan');
    expect(idOf('POST /api/plans/{planId}/goals')).toBe('createPlanGoal');
    expect(idOf('PATCH /api/plans/{planId}/goals/{itemId}')).toBe('updatePlanGoal');
    expect(idOf('POST /api/plans/{planId}/close')).toBe('closePlan');
    expect(idOf('POST /api/plans/{planId}/grants/{grantId}/revoke')).toBe('revokePlanGrant');
    expect(idOf('GET /api/me')).toBe('getMe');
  });

  it("keeps a route's own operationId and refuses a duplicate", () => {
    const ok = { responses: { '200': {} } };
    const paths = ['/api/plans', '/api/plans/{planId}'];
    expect(deriveOperationId('get', '/api/plans/{planId}/crisis', ok, paths)).toBe('getPlanCrisis');
    expect(deriveOperationId('put', '/api/plans/{planId}/crisis', ok, paths)).toBe('replacePlanCrisis');
    expect(deriveOperationId('delete', '/api/plans/{planId}', ok, paths)).toBe('deletePlan');
    expect(deriveOperationId('post', '/api/auth/login', ok, paths)).toBe('login');
    expect(deriveOperationId('post', '/api/entries', { responses: { '201': {} } }, ['/api/entries'])).toBe(
      'createEntry',
    );

    const own = { paths: { '/api/plans': { get: { operationId: 'searchPlans', responses: {} } } } };
    addOperationIds(own as never);
    expect(own.paths['/api/plans'].get.operationId).toBe('searchPlans');

    const clash = {
      paths: {
        '/api/plans': { get: { responses: {} } },
        '/api/plans/{planId}': { get: { operationId: 'listPlans', responses: {} } },
      },
    };
    expect(() => addOperationIds(clash as never)).toThrow(/listPlans/);
  });

  it('documents a client error for every operation that can answer one', () => {
    for (const { name, operation } of operations) {
      const clientErrors = Object.keys(operation.responses).filter((status) => /^4/.test(status));
      if (WITHOUT_CLIENT_ERRORS.includes(name)) expect(clientErrors, name).toEqual([]);
      else expect(clientErrors.length, name).toBeGreaterThan(0);
    }
  });

  it('answers errors as problem+json, as the error handler sends them', () => {
    for (const { name, operation } of operations)
      for (const [status, response] of Object.entries(operation.responses))
        if (/^[45]/.test(status))
          expect(Object.keys(response.content ?? {}), `${name} ${status}`).toEqual([
            'application/problem+json',
          ]);
  });

  it('has no component schema that no operation uses', () => {
    const text = JSON.stringify({ ...document, components: undefined });
    const schemas = document.components.schemas;
    const used = new Set<string>();
    const visit = (source: string) => {
      for (const [, name] of source.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
        if (!name || used.has(name)) continue;
        used.add(name);
        visit(JSON.stringify(schemas[name]));
      }
    };
    visit(text);
    expect(Object.keys(schemas).sort()).toEqual([...used].sort());
  });

  it('is browsable at /api/docs', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/swagger/i);
  });
});
