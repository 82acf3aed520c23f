import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../../db/client.ts';
import { findFreePort } from '../../../db/embedded.ts';
import { buildApp } from '../../../server/app.ts';
import { buildTestApp, testConfig } from '../../helpers/app.ts';

describe('GET /api/health', async () => {
  const { app } = await buildTestApp({ template: 'liaison_empty' });

  it('answers 200 when the database answers, without a session', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('answers 503 with Retry-After and no internals when the database does not answer', async () => {
    const port = await findFreePort();
    const connection = connectDatabase(`postgres://postgres:x@127.0.0.1:${port}/nothing`, { max: 1 });
    const down = await buildApp({ config: testConfig(), connection, logger: false });
    afterAll(async () => {
      await down.close();
      await connection.close();
    });
    const response = await down.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres|stack/i);
  });

  it('answers any other route 503 too, not 500, while the database is unreachable', async () => {
    const port = await findFreePort();
    const connection = connectDatabase(`postgres://postgres:x@127.0.0.1:${port}/nothing`, { max: 1 });
    const down = await buildApp({ config: testConfig(), connection, logger: false });
    afterAll(async () => {
      await down.close();
      await connection.close();
    });
    const response = await down.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'someone@factory.example', password: 'any-password-at-all' },
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/i);
  });
});

describe('unknown API paths and security headers', async () => {
  const { app } = await buildTestApp({ template: 'liaison_empty' });

  it('answers an unknown /api path with a problem+json 404', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/does-not-exist' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('sends security headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('publishes an OpenAPI 3.1 document generated from the schemas', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/auth/logout', '/api/me', '/api/health']),
    );
  });
});
