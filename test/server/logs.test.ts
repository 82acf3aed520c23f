import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { backgrounds } from '../../db/schema/index.ts';
import { buildApp } from '../../server/app.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { createPlan } from '../factories/plans.ts';
import { cookieHeader, testConfig } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { as, signedInAs } from '../helpers/session.ts';

/**
 * Secrets written through failing requests (issue 16, finding 3). Each is a string that appears
 * nowhere else, so that finding it anywhere in the log output means it leaked.
 */
const CANARY = {
  refusedDiagnosis: 'Canary400Diagnosis schizophrenia',
  failedDiagnosis: 'Canary500Diagnosis bipolar',
  password: 'Canary-password-0000',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.Q2FuYXJ5QmVhcmVy.Q2FuYXJ5U2lnbmF0dXJl',
  cookie: 'eyJhbGciOiJIUzI1NiJ9.Q2FuYXJ5Q29va2ll.Q2FuYXJ5U2lnbmF0dXJl',
  activationCode: 'CanaryActivationCode',
  activationPassword: 'Canary-activation-password',
  invitationToken: 'CanaryInvitationToken_0123456789abcdefghijklmn',
  resetToken: 'CanaryResetToken_0123456789abcdefghijklmnopqrstu',
  resetPassword: 'Canary-reset-password',
  search: 'CanarySearchName',
  rawCookie: 'CanaryRawCookie',
};

describe('logs carry no secret, at any level (issue 16, finding 3)', async () => {
  const output: string[] = [];
  const connection = await createTestDatabase('liaison_empty');
  const app = await buildApp({
    // `trace`: every line Fastify and Liaison ever write.
    config: testConfig({ LOG_LEVEL: 'trace' }),
    connection,
    logStream: { write: (line) => void output.push(line) },
  });
  await app.ready();
  afterAll(async () => {
    await app.close();
    await connection.close();
  });
  const { db } = connection;

  // PostgreSQL refuses one diagnosis (a check: 400) and fails on another (division by zero: 500),
  // both while updating the background with the diagnosis as a statement parameter.
  await db.execute(sql`
    alter table backgrounds add constraint logs_test_refused check (diagnoses not like 'Canary400%')`);
  await db.execute(sql`
    create function logs_test_fail() returns trigger language plpgsql as $$
    begin
      if new.diagnoses like 'Canary500%' then perform 1 / 0; end if;
      return new;
    end $$`);
  await db.execute(sql`
    create trigger logs_test_fail before update on backgrounds
    for each row execute function logs_test_fail()`);

  const { plan, lead } = await createPlan(db, { lead: { secrecyBound: true } });
  await db.insert(backgrounds).values({ planId: plan.id, updatedBy: lead.id });
  const leadToken = await signedInAs(app, lead);
  const secondToken = await signedInAs(app, lead);
  const leadApi = as(app, leadToken);

  /** Everything written to the log so far, as one text. */
  const logText = () => output.join('');
  const entries = () => output.map((line) => JSON.parse(line) as Record<string, unknown>);
  const requestLine = (method: string, url: string | RegExp, status: number) =>
    entries().find((entry) => {
      const req = entry.req as { method?: string; url?: string } | undefined;
      const res = entry.res as { statusCode?: number } | undefined;
      return (
        entry.msg === 'request completed' &&
        req?.method === method &&
        (typeof url === 'string' ? req.url === url : url.test(req?.url ?? '')) &&
        res?.statusCode === status
      );
    });

  /** The text and the bytes (a Buffer logged as JSON is a list of numbers) of a secret. */
  function expectAbsent(secret: string) {
    const text = logText();
    expect(text, `the log contains ${secret}`).not.toContain(secret);
    expect(text, `the log contains the bytes of ${secret}`).not.toContain(Buffer.from(secret).join(','));
  }

  it('keeps a refused statement’s parameters (a diagnosis) out of the log (400)', async () => {
    const response = await leadApi.put(
      `/api/plans/${plan.id}/background`,
      { diagnoses: CANARY.refusedDiagnosis },
      { headers: { 'if-match': '*' } },
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(entries().some((entry) => entry.msg === 'statement refused' && entry.sqlState === '23514')).toBe(
      true,
    );
    expect(requestLine('PUT', `/api/plans/${plan.id}/background`, 400)).toBeDefined();
    expectAbsent('Canary400');
  });

  it('keeps a failed statement’s parameters out of the log of a 500, which names the failure', async () => {
    const response = await leadApi.put(
      `/api/plans/${plan.id}/background`,
      { diagnoses: CANARY.failedDiagnosis },
      { headers: { 'if-match': '*' } },
    );
    expect(response.statusCode, response.body).toBe(500);
    const error = entries().find((entry) => entry.level === 50 && entry.msg === 'unhandled error');
    expect(error?.err).toMatchObject({ sqlState: '22012' });
    expect(requestLine('PUT', `/api/plans/${plan.id}/background`, 500)).toBeDefined();
    expectAbsent('Canary500');
  });

  it('keeps passwords, tokens and cookies out of the log', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: lead.email, password: CANARY.password },
    });
    expect(login.statusCode).toBe(401);
    const bearer = await app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${CANARY.bearer}` },
    });
    expect(bearer.statusCode).toBe(401);
    const cookie = await app.inject({ method: 'GET', url: '/api/me', headers: cookieHeader(CANARY.cookie) });
    expect(cookie.statusCode).toBe(401);
    // A real session, in a cookie and in a header, on a request that succeeds.
    const me = await app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { ...cookieHeader(leadToken), authorization: `Bearer ${leadToken}` },
    });
    expect(me.statusCode).toBe(200);

    expect(requestLine('POST', '/api/auth/login', 401)).toBeDefined();
    expect(requestLine('GET', '/api/me', 200)).toBeDefined();
    for (const secret of [CANARY.password, CANARY.bearer, CANARY.cookie, leadToken, 'Canary'])
      expectAbsent(secret);
    expect(logText()).not.toContain(SESSION_COOKIE);
  });

  it('keeps activation codes, link tokens and session ids out of the log, URLs included', async () => {
    const activation = await app.inject({
      method: 'POST',
      url: '/api/activate',
      payload: { signInName: 'someone', code: CANARY.activationCode, password: CANARY.activationPassword },
    });
    expect(activation.statusCode).toBe(400);
    const invitation = await app.inject({ method: 'GET', url: `/api/invitations/${CANARY.invitationToken}` });
    expect(invitation.statusCode).toBe(400);
    const accept = await app.inject({
      method: 'POST',
      url: `/api/invitations/${CANARY.invitationToken}/accept`,
      payload: { name: 'Someone', password: CANARY.password },
    });
    expect(accept.statusCode).toBeGreaterThanOrEqual(400);
    const reset = await app.inject({
      method: 'POST',
      url: `/api/password-reset/${CANARY.resetToken}`,
      payload: { password: CANARY.resetPassword },
    });
    expect(reset.statusCode).toBe(400);
    // A device's id is its session's.
    const devices = (await leadApi.get('/api/me/sessions')).json<{
      items: { id: string; current: boolean }[];
    }>();
    const other = devices.items.find((device) => !device.current);
    expect(other).toBeDefined();
    const signOut = await leadApi.delete(`/api/me/sessions/${other!.id}`);
    expect(signOut.statusCode, signOut.body).toBe(204);
    const search = await leadApi.get(`/api/plans?q=${CANARY.search}&limit=5`);
    expect(search.statusCode).toBe(200);

    expect(requestLine('GET', '/api/invitations/[redacted]', 400)).toBeDefined();
    expect(requestLine('POST', '/api/invitations/[redacted]/accept', accept.statusCode)).toBeDefined();
    expect(requestLine('POST', '/api/password-reset/[redacted]', 400)).toBeDefined();
    expect(requestLine('DELETE', '/api/me/sessions/[redacted]', 204)).toBeDefined();
    expect(requestLine('GET', '/api/plans?q=[redacted]&limit=5', 200)).toBeDefined();
    for (const secret of [
      CANARY.activationCode,
      CANARY.activationPassword,
      CANARY.invitationToken,
      CANARY.resetToken,
      CANARY.resetPassword,
      CANARY.search,
      other!.id,
      secondToken,
    ])
      expectAbsent(secret);
    const sessionIds = await db.execute<{ id: string }>(sql`select id from sessions`);
    for (const { id } of sessionIds) expectAbsent(id);
  });

  it('logs any error by kind, message, codes and stack only, whoever logs it (a mail failure, say)', async () => {
    // What postgres.js throws, and drizzle around it: the statement's parameters, the database's
    // detail and the offending value quoted in the message.
    const driverError = Object.assign(new Error('invalid input syntax for type uuid: "Canary-quoted"'), {
      name: 'PostgresError',
      code: '22P02',
      detail: 'Canary-detail',
      query: 'select $1::uuid',
      parameters: ['Canary-parameter'],
    });
    const drizzleError = Object.assign(new Error('Failed query: select $1::uuid\nparams: Canary-parameter'), {
      name: 'DrizzleQueryError',
      cause: driverError,
    });
    app.log.error({ err: drizzleError }, 'by hand');
    app.log.error(driverError);
    app.log.warn(
      { request: { headers: { cookie: 'Canary-cookie' }, body: { password: 'Canary-body' } } },
      'by hand',
    );
    const logged = entries().filter((entry) => entry.msg === 'by hand');
    expect(logged[0]?.err).toMatchObject({
      type: 'DrizzleQueryError',
      message: 'Failed query: select $1::uuid',
      sqlState: '22P02',
      cause: { type: 'PostgresError', code: '22P02' },
    });
    expect(logged).toHaveLength(2);
    expectAbsent('Canary');
  });

  it('keeps the raw bytes of a malformed request (its cookie) out of the log', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `GET /api/me HTTP/1.1\r\nHost: localhost\r\nCookie: ${SESSION_COOKIE}=${CANARY.rawCookie}\r\nBad header\r\n\r\n`,
        );
      });
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(entries().some((entry) => entry.msg === 'client error')).toBe(true);
    expectAbsent(CANARY.rawCookie);
  });
});
