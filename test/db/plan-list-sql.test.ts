import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { listVisiblePlanIds, loadPlanFacts, loadVisiblePlanFacts } from '../../db/queries/plan-access.ts';
import * as schema from '../../db/schema/index.ts';
import {
  asSubject,
  defineAbilityFor,
  definePlanListAbility,
  definePlanSearchAbility,
  PHASES,
  roleInPlan,
  SECTIONS,
  type Phase,
  type PlanListAbility,
  type PolicyUser,
  type Section,
} from '../../policies/index.ts';
import {
  clientRow,
  grantRow,
  memberRow,
  organizationRow,
  planRow,
  revocationRow,
  userRow,
  type ClientRow,
  type GrantRow,
  type MemberRow,
  type PlanRow,
  type RevocationRow,
  type UserRow,
} from '../factories/rows.ts';
import { createTestDatabase } from '../helpers/database.ts';

/*
 * The plan list's SQL path (policies/plan-list.ts through db/queries/plan-access.ts) against the
 * request ability: for generated worlds, the plans `listVisiblePlanIds` returns to each user are
 * exactly those `defineAbilityFor(user, [facts]).can('read', Plan)` allows, facts loaded as every
 * request loads them; paged, searched and filtered by phase alike.
 */

const DAY = 86_400_000;
/** One moment for the rules and the data: dates fall on either side of it, and exactly on it. */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const NIL = '00000000-0000-0000-0000-000000000000';
const OFFSETS = [-30 * DAY, -1000, 0, 1000, 30 * DAY] as const;

interface GrantSpec {
  section: Section;
  from: number;
  /** How long after `from` the grant ends; null: open-ended. */
  lasts: number | null;
  /** When it was revoked, relative to NOW; null: never. */
  revoked: number | null;
}
interface MemberSpec {
  user: number;
  status: 'current' | 'past';
  removed: boolean;
  coLead: boolean;
  grants: GrantSpec[];
}
interface PlanSpec {
  lead: number;
  /** The user whose own plan it is (their client record), or none. */
  client: number | null;
  inLeadOrganization: boolean;
  phase: Phase;
  /** Which of the two client names the plan's client has. */
  name: 0 | 1;
  members: MemberSpec[];
}
interface UserSpec {
  kind: PolicyUser['kind'];
  organization: 'lead' | 'other' | 'none';
  secrecyBound: boolean;
}
interface WorldSpec {
  users: UserSpec[];
  plans: PlanSpec[];
}

const USERS = 5;
const NAMES = [
  ['Zoë', 'Marchal'],
  ['Karim', 'Benali'],
] as const;

const offsetArb = fc.constantFrom(...OFFSETS);
const grantArb: fc.Arbitrary<GrantSpec> = fc.record({
  section: fc.constantFrom(...SECTIONS),
  from: offsetArb,
  lasts: fc.option(fc.constantFrom(1000, 2000, 30 * DAY, 60 * DAY)),
  revoked: fc.option(offsetArb, { freq: 3 }),
});
const userIndex = fc.integer({ min: 0, max: USERS - 1 });
const memberArb: fc.Arbitrary<MemberSpec> = fc.record({
  user: userIndex,
  status: fc.constantFrom('current' as const, 'past' as const),
  removed: fc.boolean(),
  coLead: fc.boolean(),
  grants: fc.array(grantArb, { maxLength: 3 }),
});
const planArb: fc.Arbitrary<PlanSpec> = fc.record({
  lead: userIndex,
  client: fc.option(userIndex),
  inLeadOrganization: fc.boolean(),
  phase: fc.constantFrom(...PHASES),
  name: fc.constantFrom(0 as const, 1 as const),
  members: fc.array(memberArb, { maxLength: 5 }),
});
const worldArb: fc.Arbitrary<WorldSpec> = fc.record({
  users: fc.array(
    fc.record({
      kind: fc.constantFrom(
        'professional' as const,
        'professional' as const,
        'client' as const,
        'admin' as const,
      ),
      organization: fc.constantFrom('lead' as const, 'other' as const, 'none' as const),
      secrecyBound: fc.boolean(),
    }),
    { minLength: USERS, maxLength: USERS },
  ),
  plans: fc.array(planArb, { minLength: 1, maxLength: 6 }),
});

interface World {
  users: PolicyUser[];
  /** The plans in the spec's order. */
  plans: string[];
  /** The same, in id order. */
  planIds: string[];
  phases: Map<string, Phase>;
  /** Which of the two names each plan's client has, by plan id. */
  names: Map<string, 0 | 1>;
}

describe('the plan list in SQL', async () => {
  const { db, close } = await createTestDatabase('liaison_empty');
  afterAll(() => close());

  /** Inserts a world; every world has users and organisations of its own. */
  async function insertWorld(spec: WorldSpec): Promise<World> {
    const leadOrg = organizationRow();
    const otherOrg = organizationRow();
    const userRows: UserRow[] = spec.users.map((u) =>
      userRow({
        kind: u.kind,
        organizationId:
          u.organization === 'lead' ? leadOrg.id : u.organization === 'other' ? otherOrg.id : null,
        secrecyBound: u.secrecyBound,
      }),
    );
    const userId = (i: number) => userRows[i]?.id ?? '';
    // One client record per user who is a client (a user has at most one).
    const clientRows = new Map<number | null, ClientRow>();
    const plans: PlanRow[] = [];
    const clients: ClientRow[] = [];
    const members: MemberRow[] = [];
    const grants: GrantRow[] = [];
    const revocations: RevocationRow[] = [];
    const names = new Map<string, 0 | 1>();
    for (const p of spec.plans) {
      let client = p.client === null ? undefined : clientRows.get(p.client);
      if (!client) {
        const [firstName, lastName] = NAMES[p.name];
        client = clientRow({
          organizationId: leadOrg.id,
          userId: p.client === null ? null : userId(p.client),
          firstName,
          lastName,
        });
        clients.push(client);
        if (p.client !== null) clientRows.set(p.client, client);
        names.set(client.id, p.name);
      }
      const plan = planRow({
        clientId: client.id,
        leadUserId: userId(p.lead),
        organizationId: p.inLeadOrganization ? leadOrg.id : otherOrg.id,
        phase: p.phase,
      });
      plans.push(plan);
      names.set(plan.id, names.get(client.id) ?? p.name);
      p.members.forEach((m, index) => {
        // At most one row of a user in a plan is not removed (the API refuses a second one):
        // an earlier row of the same user is removed when a later one is not.
        const later = p.members.slice(index + 1).some((x) => x.user === m.user && !x.removed);
        const member = memberRow({
          planId: plan.id,
          kind: 'professional',
          relation: 'Partner',
          userId: userId(m.user),
          status: m.status,
          coLead: m.coLead,
          removedAt: m.removed || later ? new Date(NOW.getTime() - DAY) : null,
        });
        members.push(member);
        for (const g of m.grants) {
          const validFrom = new Date(NOW.getTime() + g.from);
          const row = grantRow({
            planId: plan.id,
            memberId: member.id,
            section: g.section,
            access: 'read',
            validFrom,
            validUntil: g.lasts === null ? null : new Date(validFrom.getTime() + g.lasts),
            recordedBy: userId(p.lead),
          });
          grants.push(row);
          if (g.revoked !== null)
            revocations.push(
              revocationRow({
                grantId: row.id,
                planId: plan.id,
                revokedAt: new Date(NOW.getTime() + g.revoked),
                revokedBy: userId(p.lead),
              }),
            );
        }
      });
    }
    await db.transaction(async (tx) => {
      await tx.insert(schema.organizations).values([leadOrg, otherOrg]);
      await tx.insert(schema.users).values(userRows);
      await tx.insert(schema.clients).values(clients);
      await tx.insert(schema.plans).values(plans);
      if (members.length > 0) await tx.insert(schema.members).values(members);
      if (grants.length > 0) await tx.insert(schema.grants).values(grants);
      if (revocations.length > 0) await tx.insert(schema.grantRevocations).values(revocations);
    });
    return {
      users: userRows.map((u) => ({
        id: u.id,
        kind: u.kind,
        organizationId: u.organizationId ?? null,
        secrecyBound: u.secrecyBound ?? false,
      })),
      plans: plans.map((p) => p.id),
      planIds: plans.map((p) => p.id).sort(),
      phases: new Map(plans.map((p) => [p.id, p.phase ?? 'active'])),
      names,
    };
  }

  /** The request ability's decision, on the facts every request loads. */
  async function readablePlans(world: World, user: PolicyUser) {
    const readable: Array<{ planId: string; leads: boolean }> = [];
    for (const planId of world.planIds) {
      const facts = await loadPlanFacts(db, user.id, planId);
      if (!facts) throw new Error(`plan ${planId} was not inserted`);
      if (!defineAbilityFor(user, [facts], NOW).can('read', asSubject('Plan', { id: planId }))) continue;
      const role = roleInPlan(user, facts);
      readable.push({ planId, leads: role === 'lead' || role === 'co_lead' });
    }
    return readable;
  }

  /** Every id, paged `limit` at a time from the start. */
  async function pageThrough(ability: PlanListAbility, userId: string, limit: number) {
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await listVisiblePlanIds(db, ability, { userId, after, limit });
      ids.push(...page);
      if (page.length < limit) return ids;
      after = page.at(-1);
    }
  }

  async function checkWorld(world: World) {
    for (const user of world.users) {
      const expected = await readablePlans(world, user);
      const expectedIds = expected.map((p) => p.planId);
      const list = definePlanListAbility(user, NOW);
      expect(await listVisiblePlanIds(db, list, { userId: user.id, limit: 100 })).toEqual(expectedIds);
      expect(await pageThrough(list, user.id, 2)).toEqual(expectedIds);

      const phase = world.phases.get(world.planIds[0] ?? '') ?? 'active';
      expect(await listVisiblePlanIds(db, list, { userId: user.id, limit: 100, phase })).toEqual(
        expectedIds.filter((id) => world.phases.get(id) === phase),
      );

      const search = definePlanSearchAbility(user);
      expect(await listVisiblePlanIds(db, search, { userId: user.id, limit: 100, q: 'marchal' })).toEqual(
        expected.filter((p) => p.leads && world.names.get(p.planId) === 0).map((p) => p.planId),
      );

      // A `cannot` rule restricts the rules of every source.
      const builder = new AbilityBuilder<PlanListAbility>(createMongoAbility);
      for (const rule of list.rules) builder.rules.push(rule);
      builder.cannot('read', 'PlanAccess', { planClosed: true });
      expect(await listVisiblePlanIds(db, builder.build(), { userId: user.id, limit: 100 })).toEqual(
        expectedIds.filter((id) => world.phases.get(id) !== 'closed'),
      );

      const facts = await loadVisiblePlanFacts(db, list, { userId: user.id, limit: 100 });
      expect(facts.map((f) => f.planId)).toEqual(expectedIds);
    }
  }

  it('lists to every user exactly the plans the request ability lets them read', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (spec) => {
        await checkWorld(await insertWorld(spec));
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('refuses a rule that binds no user field to the user, rather than missing its plans', async () => {
    const builder = new AbilityBuilder<PlanListAbility>(createMongoAbility);
    builder.can('read', 'PlanAccess', { planClosed: false });
    const ability = builder.build();
    await expect(listVisiblePlanIds(db, ability, { userId: NIL, limit: 10 })).rejects.toThrow(
      /binds no user field/,
    );
  });

  it('keeps out every plan a partner no longer sees, and the plans of other users', async () => {
    const grant = (section: Section, overrides: Partial<GrantSpec> = {}): GrantSpec => ({
      section,
      from: -30 * DAY,
      lasts: null,
      revoked: null,
      ...overrides,
    });
    const partnerIn = (grants: GrantSpec[], overrides: Partial<MemberSpec> = {}): MemberSpec => ({
      user: 1,
      status: 'current',
      removed: false,
      coLead: false,
      grants,
      ...overrides,
    });
    const shared = (members: MemberSpec[], phase: Phase = 'active'): PlanSpec => ({
      lead: 0,
      client: null,
      inLeadOrganization: true,
      phase,
      name: 1,
      members,
    });
    const cases: Array<[string, PlanSpec, boolean]> = [
      ['an active grant', shared([partnerIn([grant('goals')])]), true],
      ['a revoked grant', shared([partnerIn([grant('goals', { revoked: -1000 })])]), false],
      ['an expired grant', shared([partnerIn([grant('goals', { lasts: 30 * DAY - 1000 })])]), false],
      ['a grant from tomorrow', shared([partnerIn([grant('goals', { from: DAY })])]), false],
      ['a closed plan', shared([partnerIn([grant('goals')])], 'closed'), false],
      ['a past member', shared([partnerIn([grant('goals')], { status: 'past' })]), false],
      ['a removed member', shared([partnerIn([grant('goals')], { removed: true })]), false],
      ['a secrecy-bound section, not bound', shared([partnerIn([grant('background')])]), false],
      ['a co-lead of another organisation', shared([partnerIn([], { coLead: true })]), false],
      [
        'an admin member with every grant',
        shared([
          partnerIn(
            SECTIONS.map((s) => grant(s)),
            { user: 2 },
          ),
        ]),
        false,
      ],
      ['no member row', shared([]), false],
    ];
    const world = await insertWorld({
      users: [
        { kind: 'professional', organization: 'lead', secrecyBound: true },
        { kind: 'professional', organization: 'other', secrecyBound: false },
        { kind: 'admin', organization: 'lead', secrecyBound: true },
      ],
      plans: cases.map(([, plan]) => plan),
    });
    const [lead, partner, admin] = world.users;
    if (!lead || !partner || !admin) throw new Error('users missing');
    const seen = new Set(
      await listVisiblePlanIds(db, definePlanListAbility(partner, NOW), { userId: partner.id, limit: 100 }),
    );
    cases.forEach(([name, , visible], i) => expect(seen.has(world.plans[i] ?? ''), name).toBe(visible));
    expect(
      await listVisiblePlanIds(db, definePlanListAbility(admin, NOW), { userId: admin.id, limit: 100 }),
    ).toEqual([]);
    expect(
      await listVisiblePlanIds(db, definePlanListAbility(lead, NOW), { userId: lead.id, limit: 100 }),
    ).toEqual(world.planIds);
    await checkWorld(world);
  });
});
