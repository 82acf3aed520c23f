import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actions } from '../../../db/schema/index.ts';
import { addGrants, addPartner, addCoLead, createPlan } from '../../factories/plans.ts';
import { createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';
import { runDailyNotices } from '../../../server/jobs/daily-notices.ts';

const DAY = 86_400_000;

interface Notice {
  id: string;
  kind: string;
  planId: string;
  clientName: string | null;
  link: string | null;
  sections: string[];
  reason: string | null;
  dueOn: string | null;
  memberName: string | null;
  message: string | null;
  readAt: string | null;
}
interface NoticeList {
  items: Notice[];
  nextCursor: string | null;
  unread: number;
}

describe('notifications', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db);
  const lea = await createProfessional(db, { organization, name: 'Léa Janssens' });
  const karim = await createPlan(db, { organization, lead: lea, client: { name: 'Karim Benali' } });
  const paul = await addPartner(db, karim, { secrecyBound: true, name: 'Paul Verhaegen', grants: ['goals'] });
  const nora = await addPartner(db, karim, { name: 'Nora Peeters', grants: ['goals'] });
  const tom = (await addCoLead(db, karim, { name: 'Tom Claes' })).user;
  const PLAN = karim.plan.id;

  const client = (user: { email: string; password: string }) => signedInAs(app, user).then((t) => as(app, t));
  const asLea = await client(lea);
  const asKarim = await client(karim.client);
  const asPaul = await client(paul.user);
  const asNora = await client(nora.user);
  const asTom = await client(tom);
  const inbox = async (who: typeof asLea, query = '') => {
    const response = await who.get(`/api/notifications${query}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    return response.json<NoticeList>();
  };
  const ofKind = async (who: typeof asLea, kind: string) =>
    (await inbox(who, '?limit=100')).items.filter((n) => n.kind === kind);

  it('requires a session (401)', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/notifications' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/notifications/count' })).statusCode).toBe(401);
    const read = await app.inject({ method: 'POST', url: `/api/notifications/${randomUUID()}/read` });
    expect(read.statusCode).toBe(401);
  });

  it('tells a partner what was newly shared with them, in the transaction of the grant', async () => {
    const given = await asLea.post(`/api/plans/${PLAN}/grants`, {
      memberId: paul.member.id,
      sections: ['actions', 'crisis'],
      access: 'read',
      method: 'verbal',
    });
    expect(given.statusCode).toBe(201);
    const shared = await ofKind(asPaul, 'shared');
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({
      planId: PLAN,
      clientName: 'Karim Benali',
      link: `/plans/${PLAN}`,
      reason: null,
      readAt: null,
    });
    expect([...shared[0]!.sections].sort()).toEqual(['actions', 'crisis']);
    // Nobody else is told about Paul's consent.
    expect(await ofKind(asNora, 'shared')).toEqual([]);
    expect(await ofKind(asLea, 'shared')).toEqual([]);
  });

  it('tells a partner their access ended when consent is withdrawn, naming the section and not the plan once it is gone', async () => {
    const grantId = nora.grants[0]!.id;
    const revoked = await asKarim.post(`/api/plans/${PLAN}/grants/${grantId}/revoke`, {});
    expect(revoked.statusCode).toBe(200);
    const ended = await ofKind(asNora, 'access_ended');
    expect(ended).toHaveLength(1);
    // Nora reads nothing of the plan any more: the notice names neither the client nor a link.
    expect(ended[0]).toMatchObject({
      reason: 'withdrawn',
      sections: ['goals'],
      clientName: null,
      link: null,
    });
  });

  it('tells a partner whose part ended that their access ended with it', async () => {
    const [member] = await db.execute<{ version: number }>(
      sql`select version from members where id = ${paul.member.id}`,
    );
    const changed = await asLea.patch(
      `/api/plans/${PLAN}/members/${paul.member.id}`,
      { status: 'past' },
      { headers: { 'if-match': `"${member!.version}"` } },
    );
    expect(changed.statusCode).toBe(200);
    const ended = await ofKind(asPaul, 'access_ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.reason).toBe('past');
    expect([...ended[0]!.sections].sort()).toEqual(['actions', 'crisis', 'goals']);
  });

  it('keeps a message of the client for the lead only, tells the lead, and logs it', async () => {
    const text = `Ik wil je spreken ${randomUUID()}`;
    const sent = await asKarim.post(`/api/plans/${PLAN}/messages`, { body: text });
    expect(sent.statusCode).toBe(201);
    const toLea = await ofKind(asLea, 'client_message');
    expect(toLea).toHaveLength(1);
    expect(toLea[0]).toMatchObject({ message: text, clientName: 'Karim Benali' });
    // The co-lead and partners are not told, and a notice of it would not carry the words.
    for (const who of [asTom, asPaul, asNora, asKarim]) {
      const body = JSON.stringify(await inbox(who, '?limit=100'));
      expect(body).not.toContain(text);
    }
    const events = await db.execute<{ action: string; subject_type: string }>(
      sql`select action, subject_type from audit_events where plan_id = ${PLAN} and subject_type = 'ClientMessage' order by seq`,
    );
    // Written once; read once, when Léa's inbox showed it.
    expect(events.map((e) => e.action)).toEqual(['create', 'read']);
  });

  it('refuses a message from anyone but the client (403, logged) and bad input (400)', async () => {
    const before = await db.execute<{ n: number }>(sql`select count(*)::int as n from client_messages`);
    expect((await asLea.post(`/api/plans/${PLAN}/messages`, { body: 'Hallo' })).statusCode).toBe(403);
    expect((await asKarim.post(`/api/plans/${PLAN}/messages`, { body: '' })).statusCode).toBe(400);
    expect((await asKarim.post(`/api/plans/${PLAN}/messages`, { body: 'x', extra: 1 })).statusCode).toBe(400);
    expect((await asNora.post(`/api/plans/${PLAN}/messages`, { body: 'Hallo' })).statusCode).toBe(404);
    const after = await db.execute<{ n: number }>(sql`select count(*)::int as n from client_messages`);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('names an overdue action’s day only to whoever may read actions', async () => {
    const actionId = randomUUID();
    await db.insert(actions).values({
      id: actionId,
      planId: PLAN,
      ownerMemberId: nora.member.id,
      title: 'Werk zoeken',
      dueOn: '2030-01-10',
    });
    await runDailyNotices(db, new Date('2030-01-12T08:00:00Z'));
    const toLea = await ofKind(asLea, 'action_overdue');
    expect(toLea.filter((n) => n.dueOn === '2030-01-10')).toHaveLength(1);
    // Nora owns it but reads no actions (her only grant was withdrawn): no day, no plan.
    const toNora = await ofKind(asNora, 'action_overdue');
    expect(toNora).toHaveLength(1);
    expect(toNora[0]).toMatchObject({ dueOn: null, clientName: null, link: null });
  });

  it('pages newest first with a cursor, counts the unread, and marks only one’s own notices read', async () => {
    const first = await inbox(asLea, '?limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await inbox(asLea, `?limit=1&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
    expect((await asLea.get('/api/notifications?cursor=bad*')).statusCode).toBe(400);
    const unread = first.unread;
    expect(unread).toBeGreaterThanOrEqual(2);

    const notice = first.items[0]!;
    // Someone else's notice does not exist for them.
    expect((await asPaul.post(`/api/notifications/${notice.id}/read`)).statusCode).toBe(404);
    expect((await asLea.post(`/api/notifications/${randomUUID()}/read`)).statusCode).toBe(404);
    expect((await asLea.post(`/api/notifications/not-an-id/read`)).statusCode).toBe(400);
    const marked = await asLea.post(`/api/notifications/${notice.id}/read`);
    expect(marked.statusCode).toBe(200);
    expect(marked.json<Notice>().readAt).not.toBeNull();
    const count = await asLea.get('/api/notifications/count');
    expect(count.json<{ unread: number }>().unread).toBe(unread - 1);
    const onlyUnread = await inbox(asLea, '?unread=true&limit=100');
    expect(onlyUnread.items.some((n) => n.id === notice.id)).toBe(false);
  });

  it('tells the partners that a closed plan ended their access', async () => {
    const sam = await addPartner(db, karim, { name: 'Sam Dubois', grants: ['crisis'] });
    // An access that had already run out is not "ended" by the closing.
    await addGrants(db, karim, sam.member, ['goals'], {
      validFrom: new Date(Date.now() - 30 * DAY),
      validUntil: new Date(Date.now() - DAY),
    });
    const asSam = await client(sam.user);
    const [plan] = await db.execute<{ version: number }>(sql`select version from plans where id = ${PLAN}`);
    const closed = await asLea.post(
      `/api/plans/${PLAN}/close`,
      { date: '2030-06-30', reason: 'Verhuisd', reasonKind: 'moved', handover: '' },
      { headers: { 'if-match': `"${plan!.version}"` } },
    );
    expect(closed.statusCode).toBe(200);
    const ended = await ofKind(asSam, 'access_ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ reason: 'closed', sections: ['crisis'] });
  });

  it('keeps the digest setting per user', async () => {
    expect((await asNora.get('/api/me/digest')).json()).toEqual({ emailDigest: true });
    expect((await asNora.put('/api/me/digest', { emailDigest: false })).statusCode).toBe(200);
    expect((await asNora.get('/api/me/digest')).json()).toEqual({ emailDigest: false });
    expect((await asLea.get('/api/me/digest')).json()).toEqual({ emailDigest: true });
    expect((await asNora.put('/api/me/digest', { emailDigest: 'no' })).statusCode).toBe(400);
  });
});
