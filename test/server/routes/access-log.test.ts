import { describe, expect, it, vi } from 'vitest';
import { appendAuditEvent } from '../../../db/queries/audit.ts';
import { addPartner, createPlan } from '../../factories/plans.ts';
import { createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// The access log names the people of the plan's network, and nobody else (issue 13): after another
// client, or a professional who takes no part, tries to open a plan, its log says "someone without
// access" (with their organisation when they have one) and never their name or id.

interface LogEntry {
  action: string;
  outcome: string;
  actor: { id: string | null; name: string | null; kind: string; organization: string | null } | null;
}

describe('who the access log names', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db, { name: 'Begeleid Wonen Test' });
  const lea = await createProfessional(db, { organization, name: 'Léa Lead' });
  const karim = await createPlan(db, { organization, lead: lea, client: { name: 'Karim Client' } });
  const fatima = await createPlan(db, { organization, lead: lea, client: { name: 'Fatima Otherclient' } });
  const nora = await addPartner(db, karim, { name: 'Nora Partner', grants: ['goals'] });
  const strangerOrganization = await createOrganization(db, { name: 'Elders Vzw' });
  const stranger = await createProfessional(db, {
    organization: strangerOrganization,
    name: 'Stan Stranger',
  });

  const asKarim = as(app, await signedInAs(app, karim.client));
  const asLea = as(app, await signedInAs(app, lea));
  const planUrl = `/api/plans/${karim.plan.id}`;

  // Another client and a stranger try; Nora reads what she may.
  expect((await as(app, await signedInAs(app, fatima.client)).get(planUrl)).statusCode).toBe(404);
  expect((await as(app, await signedInAs(app, stranger)).get(`${planUrl}/goals`)).statusCode).toBe(404);
  expect((await as(app, await signedInAs(app, nora.user)).get(`${planUrl}/goals`)).statusCode).toBe(200);

  for (const [reader, client] of [
    ['the client', asKarim],
    ['the lead', asLea],
  ] as const) {
    it(`never gives ${reader} the name or id of someone outside the network`, async () => {
      const response = await client.get(`${planUrl}/access-log`);
      expect(response.statusCode, response.body).toBe(200);
      for (const secret of ['Fatima', 'Otherclient', fatima.client.id, 'Stan Stranger', stranger.id])
        expect(response.body).not.toContain(secret);
      const { items } = response.json<{ items: LogEntry[] }>();
      const refused = items.filter((entry) => entry.outcome === 'refused');
      expect(refused).toHaveLength(2);
      expect(refused.map((entry) => entry.actor)).toEqual(
        expect.arrayContaining([
          { id: null, name: null, kind: 'outsider', organization: null },
          { id: null, name: null, kind: 'outsider', organization: 'Elders Vzw' },
        ]),
      );
    });

    it(`names the people of the network for ${reader}`, async () => {
      const { items } = (await client.get(`${planUrl}/access-log`)).json<{ items: LogEntry[] }>();
      const noraRead = items.find((entry) => entry.action === 'read' && entry.outcome === 'ok');
      expect(noraRead?.actor).toMatchObject({ id: nora.user.id, name: 'Nora Partner' });
    });
  }
});

interface LogLine {
  day: string;
  count: number;
  action: string;
  outcome: string;
  sections: string[];
  actor: LogEntry['actor'];
  recipient: { name: string; organization: string | null } | null;
  events: Array<{ seq: number; at: string; sections: string[] }>;
}

// The log told in lines (issue 13, item 1): one line per person, day and kind, with its events;
// a line for consent says with whom. Pages hold whole days, so a line never spreads over two.
describe('the access log in lines', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db, { name: 'Begeleid Wonen Test' });
  const lea = await createProfessional(db, { organization, name: 'Léa Lead' });
  const karim = await createPlan(db, { organization, lead: lea, client: { name: 'Karim Client' } });
  const horizon = await createOrganization(db, { name: 'Atelier Horizon' });
  const nora = await addPartner(db, karim, {
    name: 'Nora Partner',
    organization: horizon,
    grants: ['goals'],
  });
  const paul = await addPartner(db, karim, { name: 'Paul Partner', grants: [] });
  const asKarim = as(app, await signedInAs(app, karim.client));
  const asLea = as(app, await signedInAs(app, lea));
  const asNora = as(app, await signedInAs(app, nora.user));
  const planUrl = `/api/plans/${karim.plan.id}`;

  // Two days ago, Nora read the goals twice (written as the chain would have, at that time).
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() - 2 * 24 * 3_600_000);
  for (let i = 0; i < 2; i += 1)
    await appendAuditEvent(db, {
      planId: karim.plan.id,
      actorUserId: nora.user.id,
      action: 'read',
      sections: ['goals'],
    });
  vi.useRealTimers();
  // Today: Nora reads the goals nine times, then the lead shares them with Paul and withdraws it.
  for (let i = 0; i < 9; i += 1) expect((await asNora.get(`${planUrl}/goals`)).statusCode).toBe(200);
  const given = await asLea.post(`${planUrl}/grants`, {
    memberId: paul.member.id,
    sections: ['goals'],
    access: 'read',
    method: 'verbal',
  });
  expect(given.statusCode, given.body).toBe(201);
  const [grant] = given.json<{ items: Array<{ id: string }> }>().items;
  const revoked = await asLea.post(`${planUrl}/grants/${grant!.id}/revoke`, {});
  expect(revoked.statusCode, revoked.body).toBe(200);

  const lines = async (client = asKarim, query = '') => {
    const response = await client.get(`${planUrl}/access-log?view=grouped${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ groups: LogLine[]; nextCursor: number | null }>();
  };
  const noraReads = (groups: LogLine[]) =>
    groups.filter((line) => line.actor?.id === nora.user.id && line.action === 'read');

  it('tells nine reads of one person, on one day, of one kind as one line', async () => {
    const { groups } = await lines();
    const [today, before] = noraReads(groups);
    expect(today).toMatchObject({
      count: 9,
      outcome: 'ok',
      sections: ['goals'],
      actor: { name: 'Nora Partner', organization: 'Atelier Horizon' },
    });
    expect(today?.events).toHaveLength(9);
    expect(today?.events.map((event) => event.seq)).toEqual(
      [...(today?.events.map((event) => event.seq) ?? [])].sort((a, b) => b - a),
    );
    // Two days: two lines, the newest day first.
    expect(before).toMatchObject({ count: 2, sections: ['goals'] });
    expect(before!.day < today!.day).toBe(true);
  });

  it('says with whom consent was given and withdrawn, to the client and the lead', async () => {
    for (const client of [asKarim, asLea]) {
      const { groups } = await lines(client);
      for (const action of ['grant', 'revoke'])
        expect(groups.find((line) => line.action === action)).toMatchObject({
          count: 1,
          sections: ['goals'],
          actor: { name: 'Léa Lead' },
          recipient: { name: 'Paul Partner' },
        });
      const events = (await client.get(`${planUrl}/access-log`)).json<{
        items: Array<LogEntry & { recipient: unknown }>;
      }>();
      expect(events.items.find((entry) => entry.action === 'grant')?.recipient).toMatchObject({
        name: 'Paul Partner',
      });
    }
  });

  it('pages by whole days: a line never spreads over two pages', async () => {
    const first = await lines(asKarim, '&limit=1');
    // Today has three lines (reads, grant, revocation): all of them, though the limit is one.
    expect(first.groups.length).toBe(3);
    expect(new Set(first.groups.map((line) => line.day)).size).toBe(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await lines(asKarim, `&limit=1&cursor=${first.nextCursor}`);
    expect(second.groups).toHaveLength(1);
    expect(second.groups[0]).toMatchObject({ count: 2, action: 'read' });
    expect(second.nextCursor).toBeNull();
    const all = await lines();
    expect(all.groups).toEqual([...first.groups, ...second.groups]);
    expect(all.nextCursor).toBeNull();
  });

  it('still answers event by event, keyset-paged, without view=grouped', async () => {
    const all = (await asLea.get(`${planUrl}/access-log?limit=100`)).json<{
      items: Array<{ seq: number }>;
      nextCursor: number | null;
    }>();
    // 2 + 9 reads, one grant, one revocation: every event on its own.
    expect(all.items).toHaveLength(13);
    expect(all.nextCursor).toBeNull();
    const seqs = all.items.map((entry) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const paged: number[] = [];
    let cursor: number | null = null;
    do {
      const page: { items: Array<{ seq: number }>; nextCursor: number | null } = (
        await asLea.get(`${planUrl}/access-log?limit=4${cursor === null ? '' : `&cursor=${cursor}`}`)
      ).json();
      paged.push(...page.items.map((entry) => entry.seq));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(seqs);
  });

  it('is refused to a partner, grouped or not', async () => {
    expect((await asNora.get(`${planUrl}/access-log?view=grouped`)).statusCode).toBe(403);
    expect((await asNora.get(`${planUrl}/access-log?view=other`)).statusCode).toBe(400);
  });
});
