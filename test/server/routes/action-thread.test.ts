import { count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actionEntries } from '../../../db/schema/index.ts';
import { addAction } from '../../factories/sections.ts';
import { addPartner, createPlan } from '../../factories/plans.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// Issue 14, part 5: an action's notes and status changes are an append-only thread (who, when,
// what) instead of one overwritten field. Whoever may read the action reads its thread; whoever
// may change it (the lead, co-leads, the owner with `contribute`) appends to it.

interface Entry {
  authorName: string;
  createdAt: string;
  status: string | null;
  note: string;
}
interface ActionBody {
  status: string;
  thread: Entry[];
  version: number;
}

describe('the thread of an action', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const plan = await createPlan(db);
  const contributor = await addPartner(db, plan, {
    name: 'Nora Thread',
    grants: ['actions'],
    grant: { access: 'contribute' },
  });
  const reader = await addPartner(db, plan, { name: 'Reader Only', grants: ['actions'] });
  const readerOwner = await addPartner(db, plan, { name: 'Owner Reads', grants: ['actions'] });
  const noActions = await addPartner(db, plan, { name: 'Goals Only', grants: ['goals'] });
  const earlier = 'THREAD-EARLIER-NOTE';
  const action = await addAction(db, plan, { ownerMemberId: contributor.member.id, notes: [earlier] });
  const readersAction = await addAction(db, plan, { ownerMemberId: readerOwner.member.id });
  const url = `/api/plans/${plan.plan.id}/actions/${action.id}`;
  const client = {
    lead: as(app, await signedInAs(app, plan.lead)),
    client: as(app, await signedInAs(app, plan.client)),
    nora: as(app, await signedInAs(app, contributor.user)),
    reader: as(app, await signedInAs(app, reader.user)),
    readerOwner: as(app, await signedInAs(app, readerOwner.user)),
    noActions: as(app, await signedInAs(app, noActions.user)),
  };
  const entriesOf = async (actionId: string) =>
    (await db.select({ n: count() }).from(actionEntries).where(eq(actionEntries.actionId, actionId)))[0]?.n ??
    0;
  const etagOf = async (who: keyof typeof client, itemUrl = url) =>
    String((await client[who].get(itemUrl)).headers.etag);

  it('keeps every note: the owner appends a note and a status, the earlier note stays', async () => {
    const first = await client.nora.patch(
      url,
      { note: 'Eerste gesprek gehad.' },
      {
        headers: { 'if-match': await etagOf('nora') },
      },
    );
    expect(first.statusCode, first.body).toBe(200);
    const second = await client.nora.patch(
      url,
      { status: 'doing', note: 'Start volgende week.' },
      { headers: { 'if-match': String(first.headers.etag) } },
    );
    expect(second.statusCode, second.body).toBe(200);
    const body = second.json<ActionBody>();
    expect(body.status).toBe('doing');
    expect(body.thread.map((e) => [e.authorName, e.status, e.note])).toEqual([
      [plan.lead.name, null, earlier],
      ['Nora Thread', null, 'Eerste gesprek gehad.'],
      ['Nora Thread', 'doing', 'Start volgende week.'],
    ]);
    // Oldest first, each with its time.
    const times = body.thread.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('records a status change by the lead as an entry without a note, and a change of title as none', async () => {
    const before = await entriesOf(action.id);
    const status = await client.lead.patch(
      url,
      { status: 'done' },
      {
        headers: { 'if-match': await etagOf('lead') },
      },
    );
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json<ActionBody>().thread.at(-1)).toMatchObject({
      authorName: plan.lead.name,
      status: 'done',
      note: '',
    });
    const title = await client.lead.patch(
      url,
      { title: 'Nieuwe titel' },
      {
        headers: { 'if-match': String(status.headers.etag) },
      },
    );
    expect(title.statusCode, title.body).toBe(200);
    // The same status again is no change either.
    const same = await client.lead.patch(
      url,
      { status: 'done' },
      {
        headers: { 'if-match': String(title.headers.etag) },
      },
    );
    expect(same.statusCode, same.body).toBe(200);
    expect(await entriesOf(action.id)).toBe(before + 1);
  });

  it('shows the thread to whoever reads the action: the lead, the client, a partner with a read grant', async () => {
    for (const who of ['lead', 'client', 'reader'] as const) {
      const response = await client[who].get(`/api/plans/${plan.plan.id}/actions`);
      expect(response.statusCode, `${who}: ${response.body}`).toBe(200);
      const mine = response.json<Array<{ id: string; thread: Entry[] }>>().find((a) => a.id === action.id);
      expect(
        mine?.thread.map((e) => e.note),
        who,
      ).toContain(earlier);
      const overview = await client[who].get(`/api/plans/${plan.plan.id}`);
      expect(overview.body, who).toContain(earlier);
    }
  });

  it('gives a partner without a grant on actions no thread: not in the overview, not by the route', async () => {
    const overview = await client.noActions.get(`/api/plans/${plan.plan.id}`);
    expect(overview.statusCode).toBe(200);
    expect(overview.body).not.toContain(earlier);
    expect(overview.body).not.toContain('Eerste gesprek');
    expect((await client.noActions.get(`/api/plans/${plan.plan.id}/actions`)).statusCode).toBe(403);
    const item = await client.noActions.get(url);
    expect(item.statusCode).toBe(404);
    expect(item.body).not.toContain(earlier);
  });

  it('refuses a note from a partner who only reads the actions (their own action too), appending nothing', async () => {
    const before = await entriesOf(readersAction.id);
    const ownUrl = `/api/plans/${plan.plan.id}/actions/${readersAction.id}`;
    const refused = await client.readerOwner.patch(
      ownUrl,
      { note: 'Mag dit?' },
      {
        headers: { 'if-match': await etagOf('readerOwner', ownUrl) },
      },
    );
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    const other = await client.reader.patch(
      url,
      { note: 'Ook niet.' },
      {
        headers: { 'if-match': await etagOf('reader') },
      },
    );
    expect(other.statusCode).toBe(403);
    const byClient = await client.client.patch(
      url,
      { note: 'Ik ook niet.' },
      {
        headers: { 'if-match': await etagOf('client') },
      },
    );
    expect(byClient.statusCode).toBe(403);
    expect(await entriesOf(readersAction.id)).toBe(before);
    expect((await client.lead.get(url)).body).not.toContain('Ook niet.');
  });

  it('refuses bad input (400) and writes without a current If-Match (428, 412), appending nothing', async () => {
    const before = await entriesOf(action.id);
    const tag = await etagOf('nora');
    for (const payload of [
      { note: '' },
      { note: '   ' },
      { note: 'x'.repeat(10_001) },
      { note: 42 },
      { notes: 'the overwritten field is gone' },
      { status: 'finished' },
    ]) {
      const response = await client.nora.patch(url, payload, { headers: { 'if-match': tag } });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await client.nora.patch(url, { note: 'Zonder If-Match' })).statusCode).toBe(428);
    const stale = await client.nora.patch(url, { note: 'Oud' }, { headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    expect(await entriesOf(action.id)).toBe(before);
  });

  it('is append-only in the database: no entry is changed or deleted', async () => {
    await expect(db.execute(sql`update action_entries set note = 'changed'`)).rejects.toMatchObject({
      cause: expect.objectContaining({ code: '42501' }),
    });
    await expect(db.execute(sql`delete from action_entries`)).rejects.toMatchObject({
      cause: expect.objectContaining({ code: '42501' }),
    });
    await expect(
      db.execute(
        sql`insert into action_entries (plan_id, action_id, note) values (${plan.plan.id}, ${action.id}, '')`,
      ),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23514' }) });
  });

  it('keeps an action with a thread: deleting it is refused (409), cancelling it is the way', async () => {
    const response = await client.lead.delete(url, { headers: { 'if-match': await etagOf('lead') } });
    expect(response.statusCode).toBe(409);
    expect(response.json<{ detail: string }>().detail).toMatch(/cancelled/);
    expect((await client.lead.get(url)).statusCode).toBe(200);
  });
});
