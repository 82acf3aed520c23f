import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as schema from '../../../db/schema/index.ts';
import type { Phase, Section } from '../../../policies/index.ts';
import { buildTestApp, injectAs } from '../../helpers/app.ts';
import {
  clientRow,
  grantRow,
  memberRow,
  organizationRow,
  planRow,
  revocationRow,
  signIn,
  userRow,
  type GrantRow,
  type MemberRow,
  type RevocationRow,
} from '../../factories/rows.ts';

const DAY = 86_400_000;

/** How the partner stands in a plan; only the first two and `readded` let them see it. */
const SHAPES = [
  'shared',
  'sharedWithContacts',
  'expired',
  'revoked',
  'past',
  'removed',
  'closed',
  'notYet',
  'secrecyOnly',
  'readded',
  'noGrant',
] as const;
type Shape = (typeof SHAPES)[number];
const VISIBLE_TO_PARTNER: ReadonlySet<Shape> = new Set(['shared', 'sharedWithContacts', 'readded']);
const OPEN_PHASES = ['registration', 'request', 'goals', 'approach', 'active', 'evaluation'] as const;

/** More plans than the handler's bounded rounds look at for a one-plan page (4+8+…+128). */
const PLAN_COUNT = 330;
/** The former partner's grants have expired in the first plans (in id order), not in the last ones. */
const FORMER_EXPIRED = 320;
const CO_LED_EVERY = 30;
const MARCHAL = new Set([11, 90, 100, 200]);

interface ListBody {
  items: Array<{ id: string; myRole: string; phase: Phase; client: Record<string, unknown> }>;
  nextCursor: string | null;
}

describe('GET /api/plans: paging a user with many plans', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const now = Date.now();

  const leadOrg = organizationRow();
  const partnerOrg = organizationRow();
  const lead = userRow({ kind: 'professional', organizationId: leadOrg.id, secrecyBound: true });
  const otherLead = userRow({ kind: 'professional', organizationId: leadOrg.id });
  const coLead = userRow({ kind: 'professional', organizationId: leadOrg.id });
  const partner = userRow({ kind: 'professional', organizationId: partnerOrg.id, secrecyBound: false });
  const former = userRow({ kind: 'professional', organizationId: partnerOrg.id });
  const nobody = userRow({ kind: 'professional', organizationId: partnerOrg.id });
  const admin = userRow({ kind: 'admin', organizationId: leadOrg.id });
  const clientUser = userRow({ kind: 'client', organizationId: null });
  const users = [lead, otherLead, coLead, partner, former, nobody, admin, clientUser];

  // Plan i has the i-th smallest id, so that the expected order is the index order.
  const planIds: string[] = Array.from({ length: PLAN_COUNT }, () => randomUUID()).sort();
  const shapeOf = (i: number): Shape => SHAPES[i % SHAPES.length] ?? 'noGrant';
  const phaseOf = (i: number): Phase =>
    shapeOf(i) === 'closed' ? 'closed' : (OPEN_PHASES[i % OPEN_PHASES.length] ?? 'active');
  const CLIENT_PLAN = 5;
  const clients = planIds.map((_, i) =>
    clientRow({
      organizationId: leadOrg.id,
      userId: i === CLIENT_PLAN ? clientUser.id : null,
      firstName: MARCHAL.has(i) ? 'Zoë' : 'Client',
      lastName: MARCHAL.has(i) ? 'Marchal' : `Number ${i}`,
      phone: `+32 2 000 ${i}`,
    }),
  );
  const plans = planIds.map((id, i) =>
    planRow({
      id,
      clientId: clients[i]?.id ?? '',
      leadUserId: lead.id,
      organizationId: leadOrg.id,
      phase: phaseOf(i),
    }),
  );
  // Another lead's plan, for a client with a matching name: never in `lead`'s search.
  const otherClient = clientRow({ organizationId: leadOrg.id, firstName: 'Zoë', lastName: 'Marchal' });
  const otherPlan = planRow({
    clientId: otherClient.id,
    leadUserId: otherLead.id,
    organizationId: leadOrg.id,
  });

  const members: MemberRow[] = [];
  const grants: GrantRow[] = [];
  const revocations: RevocationRow[] = [];
  const addMember = (planId: string, userId: string, overrides: Partial<MemberRow> = {}) => {
    const row = memberRow({ planId, kind: 'professional', relation: 'Partner', userId, ...overrides });
    members.push(row);
    return row.id;
  };
  const addGrant = (
    planId: string,
    memberId: string,
    section: Section,
    period: { from?: number; until?: number | null } = {},
  ) => {
    const row = grantRow({
      planId,
      memberId,
      section,
      access: 'read',
      validFrom: new Date(now + (period.from ?? -30 * DAY)),
      validUntil: period.until == null ? null : new Date(now + period.until),
      recordedBy: lead.id,
    });
    grants.push(row);
    return row.id;
  };
  planIds.forEach((planId, i) => {
    const shape = shapeOf(i);
    if (shape === 'readded') addMember(planId, partner.id, { removedAt: new Date(now - 60 * DAY) });
    const memberId = addMember(planId, partner.id, {
      status: shape === 'past' ? 'past' : 'current',
      removedAt: shape === 'removed' ? new Date(now - DAY) : null,
    });
    if (shape === 'expired') addGrant(planId, memberId, 'goals', { until: -DAY });
    else if (shape === 'notYet') addGrant(planId, memberId, 'goals', { from: DAY });
    else if (shape === 'secrecyOnly') addGrant(planId, memberId, 'background');
    else if (shape === 'sharedWithContacts') addGrant(planId, memberId, 'agreements');
    else if (shape !== 'noGrant') {
      const grantId = addGrant(planId, memberId, 'goals');
      if (shape === 'revoked')
        revocations.push(
          revocationRow({ grantId, planId, revokedAt: new Date(now - 3_600_000), revokedBy: lead.id }),
        );
    }
    const formerId = addMember(planId, former.id);
    addGrant(planId, formerId, 'network', i < FORMER_EXPIRED ? { until: -DAY } : {});
    if (i % CO_LED_EVERY === 0) addMember(planId, coLead.id, { coLead: true });
    // A co-lead who has left: no longer a co-lead, and without a grant not a partner either.
    if (i % CO_LED_EVERY === 15) addMember(planId, coLead.id, { coLead: true, status: 'past' });
  });

  await db.transaction(async (tx) => {
    await tx.insert(schema.organizations).values([leadOrg, partnerOrg]);
    await tx.insert(schema.users).values(users);
    await tx.insert(schema.clients).values([...clients, otherClient]);
    await tx.insert(schema.plans).values([...plans, otherPlan]);
    await tx.insert(schema.members).values(members);
    await tx.insert(schema.grants).values(grants);
    await tx.insert(schema.grantRevocations).values(revocations);
  });
  const tokens = await signIn(
    db,
    app,
    users.map((u) => u.id),
  );
  const tokenOf = (user: { id: string }) => tokens.get(user.id) ?? '';

  const list = async (user: { id: string }, query: Record<string, string> = {}) => {
    const response = await injectAs(app, tokenOf(user), {
      method: 'GET',
      url: `/api/plans?${new URLSearchParams(query).toString()}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ListBody>();
  };
  /** Follows `nextCursor` to the end; every page within the limit. */
  const pageThrough = async (user: { id: string }, limit: number, query: Record<string, string> = {}) => {
    const pages: ListBody[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(user, { ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null && pages.length < 1000);
    expect(cursor).toBeNull();
    return {
      pages,
      items: pages.flatMap((p) => p.items),
      ids: pages.flatMap((p) => p.items.map((i) => i.id)),
    };
  };
  const indexes = (predicate: (i: number) => boolean) =>
    planIds.flatMap((id, i) => (predicate(i) ? [id] : []));
  const partnerSees = (i: number) => VISIBLE_TO_PARTNER.has(shapeOf(i));

  it('requires a session', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/plans' })).statusCode).toBe(401);
  });

  it('answers a cursor that is not a plan id with a 400 problem', async () => {
    const response = await injectAs(app, tokenOf(partner), {
      method: 'GET',
      url: '/api/plans?cursor=not-a-plan',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it.each([1, 5, 25, 100])(
    'pages a partner through exactly the plans shared with them, once each, in id order (limit %i)',
    async (limit) => {
      const { pages, ids, items } = await pageThrough(partner, limit);
      const expected = indexes(partnerSees);
      expect(ids).toEqual(expected);
      // Expired, revoked, not yet valid, secrecy-bound, past, removed, closed, no grant: never listed.
      expect(ids).not.toContain(planIds[SHAPES.indexOf('expired')]);
      expect(ids).not.toContain(planIds[SHAPES.indexOf('revoked')]);
      expect(ids).not.toContain(planIds[SHAPES.indexOf('past')]);
      expect(ids).not.toContain(planIds[SHAPES.indexOf('closed')]);
      expect(new Set(items.map((i) => i.myRole))).toEqual(new Set(['partner']));
      // Full pages while more follow, and no empty page at the end.
      expect(pages.length).toBe(Math.ceil(expected.length / limit));
      for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(limit);
      if (pages.length > 1) expect(pages.at(-2)?.nextCursor).toBe(pages.at(-2)?.items.at(-1)?.id);
    },
  );

  it('gives a partner the client contact details only with the agreements section', async () => {
    const { items } = await pageThrough(partner, 100);
    for (const item of items) {
      const withContacts = shapeOf(planIds.indexOf(item.id)) === 'sharedWithContacts';
      expect(Object.keys(item.client).sort()).toEqual(
        withContacts ? ['address', 'email', 'language', 'name', 'needsInterpreter', 'phone'] : ['name'],
      );
      expect(item).not.toHaveProperty('startedOn');
    }
  });

  it('pages past long runs of plans that are no longer shared', async () => {
    // Closed plans end a partner's access too.
    const expected = indexes((i) => i >= FORMER_EXPIRED && shapeOf(i) !== 'closed');
    for (const limit of [1, 3, 25]) {
      const { ids, pages } = await pageThrough(former, limit);
      expect(ids).toEqual(expected);
      // A run of 320 hidden plans comes first: the list is filtered in SQL before paging, so
      // every page is full but the last, and no page comes back empty while plans remain.
      expect(pages.slice(0, -1).map((page) => page.items.length)).toEqual(
        pages.slice(0, -1).map(() => limit),
      );
      expect(pages[0]?.items.map((item) => item.id)).toEqual(expected.slice(0, limit));
    }
    const first = await list(former, { limit: '3' });
    expect(first.items.map((i) => i.id)).toEqual(expected.slice(0, 3));
  });

  it('lists every plan to its lead, with all fields, and the co-led plans to a current co-lead only', async () => {
    const { ids, items } = await pageThrough(lead, 100);
    expect(ids).toEqual(planIds);
    expect(ids).not.toContain(otherPlan.id);
    expect(new Set(items.map((i) => i.myRole))).toEqual(new Set(['lead']));
    expect(items[0]).toHaveProperty('startedOn');
    const coLed = await pageThrough(coLead, 4);
    expect(coLed.ids).toEqual(indexes((i) => i % CO_LED_EVERY === 0));
    expect(coLed.ids).not.toContain(planIds[15]);
    expect(new Set(coLed.items.map((i) => i.myRole))).toEqual(new Set(['co_lead']));
  });

  it('searches client names only in the plans the user leads or co-leads', async () => {
    const marchal = indexes((i) => MARCHAL.has(i));
    expect((await list(lead, { q: 'marchal' })).items.map((i) => i.id)).toEqual(marchal);
    expect((await list(lead, { q: 'Zoë Marchal' })).items.map((i) => i.id)).toEqual(marchal);
    expect((await pageThrough(lead, 1, { q: 'marchal' })).ids).toEqual(marchal);
    expect((await list(lead, { q: 'marchal', phase: phaseOf(100) })).items.map((i) => i.id)).toEqual(
      indexes((i) => MARCHAL.has(i) && phaseOf(i) === phaseOf(100)),
    );
    // The other lead's plan for a client of the same name is not the lead's.
    expect((await list(otherLead, { q: 'marchal' })).items.map((i) => i.id)).toEqual([otherPlan.id]);
    expect((await list(coLead, { q: 'marchal' })).items.map((i) => i.id)).toEqual([planIds[90]]);
    // Plans 11 and 100 are shared with the partner, but a partner's list is not searchable.
    expect(partnerSees(11) && partnerSees(100)).toBe(true);
    expect(await list(partner, { q: 'marchal' })).toEqual({ items: [], nextCursor: null });
    expect(await list(clientUser, { q: 'client' })).toEqual({ items: [], nextCursor: null });
    // LIKE's wildcards are searched for literally.
    expect(await list(lead, { q: '%' })).toEqual({ items: [], nextCursor: null });
    expect(await list(lead, { q: '_' })).toEqual({ items: [], nextCursor: null });
  });

  it.each(['goals', 'active', 'closed'] as Phase[])('filters by phase (%s)', async (phase) => {
    const partnerPlans = await pageThrough(partner, 4, { phase });
    expect(partnerPlans.ids).toEqual(indexes((i) => partnerSees(i) && phaseOf(i) === phase));
    expect(new Set(partnerPlans.items.map((i) => i.phase))).toEqual(
      new Set(partnerPlans.ids.length > 0 ? [phase] : []),
    );
    const leadPlans = await pageThrough(lead, 7, { phase });
    expect(leadPlans.ids).toEqual(indexes((i) => phaseOf(i) === phase));
    expect(leadPlans.ids.length).toBeGreaterThan(0);
  });

  it('lists a client their own plan only', async () => {
    const body = await list(clientUser);
    expect(body.items.map((i) => [i.id, i.myRole])).toEqual([[planIds[CLIENT_PLAN], 'client']]);
    expect(body.nextCursor).toBeNull();
  });

  it.each([
    ['a professional without plans', nobody],
    ['an organisation admin', admin],
  ])('gives %s an empty list', async (_who, user) => {
    expect(await list(user)).toEqual({ items: [], nextCursor: null });
    expect(await list(user, { cursor: planIds[10] ?? '' })).toEqual({ items: [], nextCursor: null });
  });
});
