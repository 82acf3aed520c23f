import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { appendAuditEvent, verifyAuditChains } from '../../db/queries/audit.ts';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../server/plugins/auth.ts';
import { addGoal, addPartner, createPlan } from '../factories/plans.ts';
import { createProfessional } from '../factories/users.ts';
import { buildTestApp, TEST_JWT_SECRET } from '../helpers/app.ts';
import { as, signedInAs } from '../helpers/session.ts';
import { craftToken } from '../helpers/tokens.ts';

// Regression tests for issue 16, findings 1, 2, 8 and 10: input the API must refuse cleanly
// (problem+json, nothing changed) instead of failing, leaking or waiting.

const PROBLEM = 'application/problem+json';

/** The parts of a problem that must not tell one refusal from another (`instance` is the URL). */
const problemOf = (body: string) => {
  const { type, title, status, detail } = JSON.parse(body) as Record<string, unknown>;
  return { type, title, status, detail };
};

describe('bad input', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const karim = await createPlan(db, { phase: 'goals' });
  const planId = karim.plan.id;
  const UPPER = planId.toUpperCase();
  const lead = as(app, await signedInAs(app, karim.lead));
  const stranger = as(app, await signedInAs(app, await createProfessional(db)));

  const count = async (table: 'goals' | 'audit_events') =>
    (
      await db.execute<{ n: number }>(
        sql`select count(*)::int as n from ${sql.identifier(table)} where plan_id = ${planId}`,
      )
    )[0]!.n;
  const planVersion = async () =>
    (await db.execute<{ version: number }>(sql`select version from plans where id = ${planId}`))[0]!.version;

  describe('finding 1: a plan id in upper case is the same plan', () => {
    it('answers the lead on every plan route family exactly as with the lower-case id', async () => {
      const lower = await lead.get(`/api/plans/${planId}`);
      const upper = await lead.get(`/api/plans/${UPPER}`);
      expect(upper.statusCode, upper.body).toBe(200);
      expect(upper.json<{ id: string }>().id).toBe(planId);
      expect(upper.json<{ id: string }>().id).toBe(lower.json<{ id: string }>().id);

      const section = await lead.get(`/api/plans/${UPPER}/goals`);
      expect(section.statusCode, section.body).toBe(200);

      const created = await lead.post(`/api/plans/${UPPER}/goals`, {
        lifeDomain: 'housing',
        title: 'Een huis',
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.headers.location).toMatch(new RegExp(`^/api/plans/${planId}/goals/`));
      const goalId = created.json<{ id: string }>().id;
      const item = await lead.get(`/api/plans/${UPPER}/goals/${goalId.toUpperCase()}`);
      expect(item.statusCode, item.body).toBe(200);
      expect(item.json<{ id: string }>().id).toBe(goalId);

      const moved = await lead.patch(
        `/api/plans/${UPPER}`,
        { phase: 'goals', nextEvaluationOn: '2031-01-15' },
        { headers: { 'if-match': `"${await planVersion()}"` } },
      );
      expect(moved.statusCode, moved.body).toBe(200);

      // A write that reads its result back by the id it was given (the member) must find it too.
      const { member } = await addPartner(db, karim);
      const changed = await lead.patch(
        `/api/plans/${UPPER}/members/${member.id.toUpperCase()}`,
        { relation: 'Huisarts' },
        { headers: { 'if-match': `"${member.version ?? 1}"` } },
      );
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json<{ id: string; relation: string }>()).toMatchObject({
        id: member.id,
        relation: 'Huisarts',
      });
    });

    it('keeps one audit chain per plan, whatever the case of the id it is written with', async () => {
      await appendAuditEvent(db, { planId: UPPER, actorUserId: karim.lead.id, action: 'read', sections: [] });
      await appendAuditEvent(db, { planId, actorUserId: karim.lead.id, action: 'read', sections: [] });
      const heads = await db.execute<{ chain: string }>(
        sql`select chain from audit_chain_heads where lower(chain) = ${planId}`,
      );
      expect(heads.map((h) => h.chain)).toEqual([planId]);
      const { problems } = await verifyAuditChains(db);
      expect(problems).toEqual([]);
    });

    it('answers a stranger 404, exactly as for a plan that does not exist', async () => {
      const missing = randomUUID().toUpperCase();
      const cases: Array<[string, (id: string) => ReturnType<typeof stranger.get>]> = [
        ['overview', (id) => stranger.get(`/api/plans/${id}`)],
        ['section', (id) => stranger.get(`/api/plans/${id}/goals`)],
        ['write', (id) => stranger.post(`/api/plans/${id}/goals`, { lifeDomain: 'housing', title: 'x' })],
        [
          'plan patch',
          (id) => stranger.patch(`/api/plans/${id}`, { phase: 'goals' }, { headers: { 'if-match': '"1"' } }),
        ],
      ];
      const goalsBefore = await count('goals');
      for (const [name, send] of cases) {
        const refused = await send(UPPER);
        const absent = await send(missing);
        expect(refused.statusCode, `${name}: ${refused.body}`).toBe(404);
        expect(absent.statusCode, name).toBe(404);
        expect(refused.headers['content-type'], name).toContain(PROBLEM);
        expect(problemOf(refused.body), name).toEqual(problemOf(absent.body));
      }
      expect(await count('goals')).toBe(goalsBefore);
    });
  });

  describe('finding 2: NUL characters and bytes that are not UTF-8', () => {
    const rawPost = (url: string, payload: string | Buffer, contentType = 'application/json') =>
      app.inject({
        method: 'POST',
        url,
        payload,
        headers: { authorization: `Bearer ${lead.token}`, 'content-type': contentType },
      });

    it('refuses a NUL in any text field of a body with 400 problem+json, changing nothing', async () => {
      const before = { goals: await count('goals'), audit: await count('audit_events') };
      const bodies: Array<[string, string, unknown]> = [
        ['goal title', `/api/plans/${planId}/goals`, { lifeDomain: 'housing', title: 'a\u0000b' }],
        [
          'goal words',
          `/api/plans/${planId}/goals`,
          { lifeDomain: 'housing', title: 'ok', clientWords: '\u0000' },
        ],
        ['password at sign-in', '/api/auth/login', { email: karim.lead.email, password: 'a\u0000b' }],
      ];
      for (const [name, url, body] of bodies) {
        const response = await rawPost(url, JSON.stringify(body));
        expect(response.statusCode, `${name}: ${response.body}`).toBe(400);
        expect(response.headers['content-type'], name).toContain(PROBLEM);
        expect(response.body).not.toContain('0x00');
      }
      // Where a NUL hides in a key or in a nested value, or as a lone surrogate (not Unicode).
      for (const text of [
        `{"lifeDomain":"housing","title":"ok","x\\u0000":1}`,
        `{"lifeDomain":"housing","title":"a\\ud800b"}`,
      ]) {
        const response = await rawPost(`/api/plans/${planId}/goals`, text);
        expect(response.statusCode, text).toBe(400);
        expect(response.headers['content-type']).toContain(PROBLEM);
      }
      expect(await count('goals')).toBe(before.goals);
      expect(await count('audit_events')).toBe(before.audit);
    });

    it('refuses a NUL, a lone surrogate or a bad percent-encoding in a query with 400 problem+json', async () => {
      for (const url of [
        '/api/organizations?q=a%00b',
        '/api/plans?q=a%00b',
        '/api/organizations?q=a%ED%A0%80b',
        '/api/organizations?q=%E0%A4%A',
        '/api/organizations?q=a%FFb',
      ]) {
        const response = await lead.get(url);
        expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
        expect(response.headers['content-type'], url).toContain(PROBLEM);
      }
      // Words with accents, percent-encoded as UTF-8, still search.
      expect((await lead.get('/api/organizations?q=%C3%A9t%C3%A9')).statusCode).toBe(200);
    });

    it('answers a URL whose path is not valid percent-encoding with 400 problem+json', async () => {
      for (const url of ['/api/plans/%E0%A4%A', '/api/plans/%00']) {
        const response = await lead.get(url);
        expect(response.statusCode, url).toBe(400);
        expect(response.headers['content-type'], url).toContain(PROBLEM);
      }
    });

    it('refuses a body with bytes that are not UTF-8 instead of storing U+FFFD', async () => {
      const before = await count('goals');
      const payload = Buffer.concat([
        Buffer.from('{"lifeDomain":"housing","title":"a'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('b"}'),
      ]);
      const response = await rawPost(`/api/plans/${planId}/goals`, payload);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toContain(PROBLEM);
      expect(await count('goals')).toBe(before);
    });

    it('refuses a body in another charset with 415 problem+json, and takes UTF-8 however it is named', async () => {
      const before = await count('goals');
      const json = JSON.stringify({ lifeDomain: 'housing', title: 'été' });
      for (const [charset, payload] of [
        ['utf-16', Buffer.from(`\ufeff${json}`, 'utf16le')],
        ['utf-16le', Buffer.from(json, 'utf16le')],
        ['iso-8859-1', Buffer.from(json, 'latin1')],
      ] as const) {
        const response = await rawPost(
          `/api/plans/${planId}/goals`,
          payload,
          `application/json; charset=${charset}`,
        );
        expect(response.statusCode, `${charset}: ${response.body}`).toBe(415);
        expect(response.headers['content-type'], charset).toContain(PROBLEM);
      }
      expect(await count('goals')).toBe(before);
      for (const contentType of [
        'application/json; charset=utf-8',
        'application/json; charset="UTF-8"',
        'application/json;charset=us-ascii',
        'application/json',
      ]) {
        const body = contentType.includes('ascii')
          ? JSON.stringify({ lifeDomain: 'housing', title: 'ete' })
          : json;
        const response = await rawPost(`/api/plans/${planId}/goals`, body, contentType);
        expect(response.statusCode, `${contentType}: ${response.body}`).toBe(201);
      }
      const titles = await db.execute<{ title: string }>(
        sql`select title from goals where plan_id = ${planId} and title in ('été', 'ete')`,
      );
      expect(titles.map((t) => t.title).sort()).toEqual(['ete', 'été', 'été', 'été']);
    });
  });

  describe('finding 8: tokens and slow requests', () => {
    it('answers a well-signed token whose session id is not a uuid with 401 problem+json', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const sid of ['not-a-uuid', "1' or '1'='1", '']) {
        const token = craftToken(
          { alg: 'HS256', typ: 'JWT' },
          { sub: karim.lead.id, sid, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: now, exp: now + 600 },
          TEST_JWT_SECRET,
        );
        for (const url of ['/api/me', `/api/plans/${planId}`]) {
          const response = await as(app, token).get(url);
          expect(response.statusCode, `${sid} ${url}: ${response.body}`).toBe(401);
          expect(response.headers['content-type']).toContain(PROBLEM);
        }
      }
    });
  });

  describe('finding 10: If-Match as RFC 9110 says', () => {
    it('answers a well-formed but stale entity tag 412, passes *, and keeps 400/428 for the rest (goal)', async () => {
      const goal = await addGoal(db, karim);
      const url = `/api/plans/${planId}/goals/${goal.id}`;
      const send = (ifMatch: string | undefined, title: string) =>
        lead.patch(url, { title }, ifMatch === undefined ? {} : { headers: { 'if-match': ifMatch } });
      for (const stale of ['"stale-0"', '"999"', 'W/"stale"', '"a", "b"', '""']) {
        const response = await send(stale, 'never');
        expect(response.statusCode, `${stale}: ${response.body}`).toBe(412);
        expect(response.headers['content-type']).toContain(PROBLEM);
      }
      expect((await send('stale-0', 'never')).statusCode).toBe(400);
      expect((await send('"1', 'never')).statusCode).toBe(400);
      expect((await send(undefined, 'never')).statusCode).toBe(428);
      const star = await send('*', 'with a star');
      expect(star.statusCode, star.body).toBe(200);
      const listed = await send(`"stale-0", ${String(star.headers.etag)}`, 'from a list');
      expect(listed.statusCode, listed.body).toBe(200);
      expect(listed.json<{ title: string }>().title).toBe('from a list');
    });

    it('does the same on a plan', async () => {
      const send = (ifMatch: string) =>
        lead.patch(`/api/plans/${planId}`, { phase: 'goals' }, { headers: { 'if-match': ifMatch } });
      expect((await send('"stale-0"')).statusCode).toBe(412);
      expect((await send('stale-0')).statusCode).toBe(400);
      const version = await planVersion();
      const star = await send('*');
      expect(star.statusCode, star.body).toBe(200);
      expect(await planVersion()).toBe(version + 1);
    });
  });
});

describe('finding 8: a body shorter than its Content-Length is cut at the request timeout', async () => {
  const { app } = await buildTestApp({ template: 'liaison_empty', config: { REQUEST_TIMEOUT_MS: 1000 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  /** Sends `text` on a raw socket and waits for the server to answer or close; ms and what came back. */
  const stall = (text: string) =>
    new Promise<{ ms: number; answer: string }>((resolve) => {
      const started = Date.now();
      let answer = '';
      const socket: Socket = connect(port, '127.0.0.1', () => socket.write(text));
      onTestFinished(() => {
        socket.destroy();
      });
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ ms: Date.now() - started, answer }));
      // A server that never answers: give up after 6 s, so the test fails instead of hanging.
      setTimeout(() => socket.destroy(), 6000).unref();
    });

  it('answers 408 or closes within ~3 s when the body stalls', async () => {
    const { ms, answer } = await stall(
      'POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":"',
    );
    expect(ms).toBeLessThan(3000);
    if (answer) expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers 408 or closes within ~3 s when the headers never end', async () => {
    const { ms, answer } = await stall('GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: a');
    expect(ms).toBeLessThan(3000);
    if (answer) expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
