import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { DatabaseConnection } from '../../db/client.ts';
import { buildApp } from '../../server/app.ts';
import { DEMO_IDS } from '../../db/seed/demo.ts';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../server/plugins/auth.ts';
import { DEMO_PASSWORD, TEST_JWT_SECRET, testConfig } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import {
  checkAnswer,
  describeFailure,
  Fuzzer,
  histogram,
  IDENTITIES,
  operationsOf,
  operationWeight,
  requestArbitrary,
  signJwt,
  type Identity,
  type SentRequest,
} from './openapi-fuzz.ts';

/*
 * The API fuzzed from its own OpenAPI document (issue 16): no answer ≥ 500, every error
 * problem+json. `npm test` sends a few thousand requests with a fixed seed; `npm run fuzz` sends
 * FUZZ_RUNS (50,000) in epochs of FUZZ_EPOCH_RUNS on a fresh copy of the demo database each, so
 * that the fuzzer's own writes do not drift the demo too far. FUZZ_SEED replays another run.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_160_016);
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const EPOCH_RUNS = Number(process.env.FUZZ_EPOCH_RUNS ?? 10_000);
/** How often every identity is checked to be still signed in. */
const HEALTH_EVERY = Number(process.env.FUZZ_HEALTH_EVERY ?? 1000);

interface Epoch {
  app: FastifyInstance;
  connection: DatabaseConnection;
  fuzzer: Fuzzer;
}

async function startEpoch(): Promise<Epoch> {
  const connection = await createTestDatabase('liaison_demo');
  const app = await buildApp({ config: testConfig(), connection, logger: process.env.TEST_LOG === '1' });
  await app.ready();
  const { operations } = operationsOf(app);
  const fuzzer = new Fuzzer(app, operations, TEST_JWT_SECRET);
  await fuzzer.signIn(DEMO_PASSWORD);
  await fuzzer.warmUp();
  return { app, connection, fuzzer };
}

async function endEpoch({ app, connection }: Epoch): Promise<void> {
  await app.close();
  await connection.close();
}

const KARIM_PLAN = DEMO_IDS.karimPlan;
const now = Math.floor(Date.now() / 1000);
/** A well-signed token whose session id is not a uuid (issue 16, finding 8). */
const NON_UUID_SID = signJwt(
  { alg: 'HS256', typ: 'JWT' },
  { sub: DEMO_IDS.lea, sid: 'not-a-uuid', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: now, exp: now + 3600 },
  TEST_JWT_SECRET,
);

/**
 * Requests once answered with 500 (the black-box fuzz of issue 16, and this fuzzer), kept as fixed
 * cases and sent as every identity (Bearer) and as nobody, unless they carry their own
 * Authorization. `body` is sent as it is; `hex:` is bytes.
 */
const REGRESSIONS: Array<{
  name: string;
  request: Omit<SentRequest, 'headers'> & { headers?: Record<string, string> };
}> = [
  {
    name: 'an upper-case plan id',
    request: { method: 'GET', url: `/api/plans/${KARIM_PLAN.toUpperCase()}` },
  },
  {
    name: 'an upper-case plan id on a write',
    request: {
      method: 'POST',
      url: `/api/plans/${KARIM_PLAN.toUpperCase()}/goals`,
      headers: { 'content-type': 'application/json' },
      body: '{"lifeDomain":"housing","title":"Upper"}',
    },
  },
  {
    name: 'U+0000 in a text field',
    request: {
      method: 'POST',
      url: `/api/plans/${KARIM_PLAN}/goals`,
      headers: { 'content-type': 'application/json' },
      body: '{"lifeDomain":"housing","title":"a\\u0000b"}',
    },
  },
  { name: 'U+0000 in a query', request: { method: 'GET', url: '/api/plans?q=a%00b' } },
  { name: 'U+0000 in a directory search', request: { method: 'GET', url: '/api/organizations?q=%00' } },
  {
    name: 'a body declared as UTF-16',
    request: {
      method: 'PATCH',
      url: '/api/me',
      headers: { 'content-type': 'application/json; charset=utf-16' },
      body: `hex:${Buffer.from('{"locale":"fr"}', 'utf16le').toString('hex')}`,
    },
  },
  {
    name: 'bytes that are not UTF-8',
    request: {
      method: 'PATCH',
      url: '/api/me',
      headers: { 'content-type': 'application/json' },
      body: 'hex:7b226c6f63616c65223a22ff227d',
    },
  },
  {
    name: 'a token whose session id is not a uuid',
    request: { method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${NON_UUID_SID}` } },
  },
  {
    name: 'a well-formed stale If-Match',
    request: {
      method: 'PUT',
      url: `/api/plans/${KARIM_PLAN}/crisis`,
      headers: { 'content-type': 'application/json', 'if-match': '"stale-0"' },
      body: '{"earlySigns":"x","whatHelps":"y","whomToCall":"z"}',
    },
  },
];

describe('the API fuzzed from its OpenAPI document', () => {
  it(
    `answers ${RUNS} generated requests below 500, errors as problem+json (seed ${SEED})`,
    async () => {
      console.log(
        `openapi fuzz: seed ${SEED}, ${RUNS} requests (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} to replay)`,
      );
      const started = performance.now();
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      let sent = 0;
      let downgraded = 0;
      for (let epoch = 0; epoch * EPOCH_RUNS < RUNS; epoch++) {
        const runs = Math.min(EPOCH_RUNS, RUNS - epoch * EPOCH_RUNS);
        const current = await startEpoch();
        const { fuzzer } = current;
        try {
          const { operations, document } = operationsOf(current.app);
          const arbitrary = requestArbitrary(operations, document, operationWeight);
          let count = 0;
          await fc.assert(
            fc.asyncProperty(arbitrary, async (plan) => {
              await fuzzer.send(plan);
              if (++count % HEALTH_EVERY === 0) {
                const dead = await fuzzer.signedOut();
                if (dead.length > 0)
                  throw new Error(`after ${count} requests, identities were signed out: ${dead.join('\n')}`);
              }
            }),
            // A failing property here is an identity signed out: shrinking would replay a changed database.
            { seed: SEED + epoch, numRuns: runs, endOnFailure: true },
          );
        } finally {
          await endEpoch(current);
        }
        sent += fuzzer.sent;
        downgraded += fuzzer.downgraded;
        for (const [status, n] of fuzzer.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
        // One of each kind: a reason on one route is one bug.
        const kinds = new Set<string>();
        for (const failure of fuzzer.failures) {
          const kind = `${failure.reason} ${failure.request.method} ${failure.request.url.split('?')[0]?.replace(/[0-9a-f-]{36}/gi, '{id}')}`;
          if (kinds.has(kind)) continue;
          kinds.add(kind);
          failures.push(describeFailure(failure));
        }
        console.log(
          `openapi fuzz: epoch ${epoch + 1}: ${fuzzer.sent} requests, ${fuzzer.failures.length} failures`,
        );
        // FUZZ_VERBOSE=1: the answers of each operation, to see what the requests reach.
        if (process.env.FUZZ_VERBOSE === '1')
          for (const [operation, counts] of [...fuzzer.byOperation].sort(([a], [b]) => a.localeCompare(b)))
            console.log(`  ${operation}: ${[...counts].map(([status, n]) => `${status}×${n}`).join(' ')}`);
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `openapi fuzz: ${sent} requests in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s), ` +
          `${downgraded} sent without a session to keep the identities signed in; ${histogram(statuses)}; ` +
          `${failures.length} distinct failures`,
      );
      for (const failure of failures) console.log(failure);
      expect(failures, failures.join('\n\n')).toEqual([]);
      expect(sent).toBe(RUNS);
    },
    RUNS * 40 + 120_000,
  );

  it('answers the requests that once failed below 500, as every identity', async () => {
    const epoch = await startEpoch();
    try {
      const identities: Array<Identity | null> = [...(Object.keys(IDENTITIES) as Identity[]), null];
      for (const { name, request } of REGRESSIONS)
        for (const identity of identities) {
          // A request with its own Authorization is sent once, as it is.
          if (identity && request.headers?.authorization) continue;
          const token = identity ? epoch.fuzzer.tokens.get(identity) : undefined;
          const headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...request.headers };
          const payload = request.body?.startsWith('hex:')
            ? Buffer.from(request.body.slice(4), 'hex')
            : request.body;
          const response = await epoch.app.inject({
            method: request.method as InjectOptions['method'],
            url: request.url,
            headers,
            payload,
          });
          expect(checkAnswer(response), `${name} as ${identity ?? 'nobody'}: ${response.body}`).toBeNull();
        }
    } finally {
      await endEpoch(epoch);
    }
  });
});
