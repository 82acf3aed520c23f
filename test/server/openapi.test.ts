import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.ts';
import { collectRoutes } from '../helpers/routes.ts';

describe('the OpenAPI document', async () => {
  const { result, routes } = await collectRoutes(() => buildTestApp({ template: 'liaison_empty' }));
  const { app } = result;

  it('documents every /api route, with its path parameters in OpenAPI form', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    }>();
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

  it('is browsable at /api/docs', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/swagger/i);
  });
});
