import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { verifyAuditChains } from '../../../db/queries/audit.ts';
import { updateSectionItem } from '../../../db/queries/section-writes.ts';
import { addCoLead, addGoal, createPlan } from '../../factories/plans.ts';
import { buildTestApp, injectAs } from '../../helpers/app.ts';
import { signedInAs } from '../../helpers/session.ts';

const EDITORS = 10;
const ROUNDS = 20;

describe('concurrent editing of one goal', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const karim = await createPlan(db);
  const coLead = await addCoLead(db, karim);
  const GOAL = (await addGoal(db, karim, { lifeDomain: 'relations', clientWords: 'Mijn zus vaker zien' })).id;
  const URL = `/api/plans/${karim.plan.id}/goals/${GOAL}`;
  // A goal of another plan, with the same lead.
  const otherGoal = (
    await addGoal(db, await createPlan(db, { organization: karim.organization, lead: karim.lead }))
  ).id;
  // Ten editors, each with a session of their own: the lead, the co-lead and the client (own words).
  const editors = await Promise.all(
    Array.from({ length: EDITORS }, async (_, index) => {
      const who = ([karim.lead, coLead.user, karim.client] as const)[index % 3]!;
      return {
        index,
        field: who === karim.client ? 'clientWords' : 'title',
        token: await signedInAs(app, who),
      };
    }),
  );
  const goalState = async () =>
    (
      await db.execute<{ version: number; title: string; client_words: string }>(
        sql`select version, title, client_words from goals where id = ${GOAL}`,
      )
    )[0]!;
  const updateEvents = async () =>
    (
      await db.execute<{ n: number }>(
        sql`select count(*)::int as n from audit_events where subject_id = ${GOAL} and action = 'update' and outcome = 'ok'`,
      )
    )[0]!.n;

  it('loses no update: every 2xx write is one version and one audit event, every other write is 412', async () => {
    const initial = await goalState();
    const eventsBefore = await updateEvents();
    const statuses: number[] = [];
    /** What each successful write set, by the version it produced. */
    const writes = new Map<number, { field: string; value: string }>();

    await Promise.all(
      editors.map(async ({ index, field, token }) => {
        for (let round = 0; round < ROUNDS; round += 1) {
          const read = await injectAs(app, token, { method: 'GET', url: URL });
          expect(read.statusCode).toBe(200);
          const value = `editor ${index}, round ${round}`;
          const response = await injectAs(app, token, {
            method: 'PATCH',
            url: URL,
            headers: { 'if-match': String(read.headers.etag) },
            payload: { [field]: value },
          });
          statuses.push(response.statusCode);
          if (response.statusCode === 200) {
            const version = response.json<{ version: number }>().version;
            expect(response.headers.etag).toBe(`"${version}"`);
            expect(writes.has(version), `two writes produced version ${version}`).toBe(false);
            writes.set(version, { field, value });
          }
        }
      }),
    );

    const successes = statuses.filter((status) => status === 200).length;
    expect(statuses).toHaveLength(EDITORS * ROUNDS);
    expect(statuses.every((status) => status === 200 || status === 412)).toBe(true);
    expect(successes).toBeGreaterThan(0);

    const final = await goalState();
    expect(final.version - initial.version).toBe(successes);
    expect(await updateEvents()).toBe(eventsBefore + successes);
    // The versions written are exactly initial+1 … final, each once.
    expect([...writes.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: successes }, (_, i) => initial.version + 1 + i),
    );
    // The row holds the last successful write of each field: nothing was overwritten unseen.
    const lastOf = (field: string) =>
      [...writes.entries()].filter(([, w]) => w.field === field).sort(([a], [b]) => b - a)[0]?.[1].value;
    expect(final.title).toBe(lastOf('title') ?? initial.title);
    expect(final.client_words).toBe(lastOf('clientWords') ?? initial.client_words);
    expect((await verifyAuditChains(db)).problems).toEqual([]);
  });

  it('guards in the UPDATE itself: two writers with the same version, one wins, the other is stale', async () => {
    const { version } = await goalState();
    const params = { planId: karim.plan.id, id: GOAL, expectedVersion: version, userId: karim.lead.id };
    const outcomes = await Promise.all(
      ['first', 'second'].map((title) =>
        db.transaction(async (tx) => (await updateSectionItem(tx, 'Goal', params, { title })).outcome),
      ),
    );
    expect(outcomes.sort()).toEqual(['stale', 'written']);
    expect((await goalState()).version).toBe(version + 1);
    const missing = await db.transaction((tx) =>
      updateSectionItem(tx, 'Goal', { ...params, id: otherGoal }, { title: 'x' }),
    );
    // A goal of another plan is missing from this one, whatever its version.
    expect(missing.outcome).toBe('missing');
  });
});
