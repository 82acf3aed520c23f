import { subject } from '@casl/ability';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asSubject,
  defineAbilityFor,
  definePlanListAbility,
  definePlanSearchAbility,
  roleInPlan,
  SECTIONS,
  type GrantFacts,
  type PlanAccessRow,
  type PlanFacts,
  type PlanListAbility,
  type PolicyUser,
  type Section,
} from '../../policies/index.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const LEAD_ORG = 'org-lead';

const user = (overrides: Partial<PolicyUser> = {}): PolicyUser => ({
  id: 'u-me',
  kind: 'professional',
  organizationId: 'org-partner',
  secrecyBound: true,
  ...overrides,
});

const grant = (section: Section, overrides: Partial<GrantFacts> = {}): GrantFacts => ({
  section,
  access: 'read',
  validFrom: new Date(NOW.getTime() - 30 * DAY),
  validUntil: null,
  revokedAt: null,
  ...overrides,
});

/** A plan led by someone else, in which `u-me` has a current member row with a `goals` grant. */
const plan = (
  overrides: Partial<PlanFacts> = {},
  membership: Partial<NonNullable<PlanFacts['membership']>> | null = {},
): PlanFacts => ({
  planId: 'plan-1',
  organizationId: LEAD_ORG,
  leadUserId: 'u-lead',
  clientUserId: 'u-client',
  closed: false,
  membership:
    membership === null
      ? null
      : {
          memberId: 'm-1',
          coLead: false,
          status: 'current',
          removed: false,
          grants: [grant('goals')],
          ...membership,
        },
  ...overrides,
});

/**
 * The plan-access relation of one plan for the user, as db/queries/plan-access.ts builds it: one row
 * per grant of the user's member row (one row with null grant fields without grants; one row with
 * null member fields without a member row).
 */
function accessRows(me: PolicyUser, facts: PlanFacts): PlanAccessRow[] {
  const planFields = {
    planId: facts.planId,
    leadUserId: facts.leadUserId,
    clientUserId: facts.clientUserId,
    planOrganizationId: facts.organizationId,
    planClosed: facts.closed,
  };
  const noGrant = { grantSection: null, grantValidFrom: null, grantValidUntil: null, grantRevokedAt: null };
  const membership = facts.membership;
  if (!membership)
    return [
      {
        ...planFields,
        memberUserId: null,
        memberStatus: null,
        memberRemoved: null,
        memberCoLead: null,
        ...noGrant,
      },
    ];
  const memberFields = {
    memberUserId: me.id,
    memberStatus: membership.status,
    memberRemoved: membership.removed,
    memberCoLead: membership.coLead,
  };
  if (membership.grants.length === 0) return [{ ...planFields, ...memberFields, ...noGrant }];
  return membership.grants.map((g) => ({
    ...planFields,
    ...memberFields,
    grantSection: g.section,
    grantValidFrom: g.validFrom,
    grantValidUntil: g.validUntil,
    grantRevokedAt: g.revokedAt,
  }));
}

/** Whether the list ability lists the plan: one of its rows is readable. */
const lists = (ability: PlanListAbility, me: PolicyUser, facts: PlanFacts) =>
  accessRows(me, facts).some((row) => ability.can('read', subject('PlanAccess', { ...row })));

/** The request ability's decision on the same plan. */
const canReadPlan = (me: PolicyUser, facts: PlanFacts) =>
  defineAbilityFor(me, [facts], NOW).can('read', asSubject('Plan', { id: facts.planId }));

describe('definePlanListAbility', () => {
  const cases: Array<[string, PolicyUser, PlanFacts, boolean]> = [
    // Must list.
    ['the lead, without a member row', user(), plan({ leadUserId: 'u-me' }, null), true],
    ['the lead, of a closed plan', user(), plan({ leadUserId: 'u-me', closed: true }, null), true],
    [
      'a co-lead of the lead organisation',
      user({ organizationId: LEAD_ORG }),
      plan({}, { coLead: true, grants: [] }),
      true,
    ],
    [
      'a co-lead, of a closed plan',
      user({ organizationId: LEAD_ORG }),
      plan({ closed: true }, { coLead: true, grants: [] }),
      true,
    ],
    ['the client', user({ id: 'u-client', kind: 'client', organizationId: null }), plan({}, null), true],
    [
      'the client, of a closed plan',
      user({ id: 'u-client', kind: 'client', organizationId: null }),
      plan({ closed: true }, null),
      true,
    ],
    ['a partner with an active open-ended grant', user(), plan(), true],
    [
      'a partner whose grant ends later',
      user(),
      plan({}, { grants: [grant('goals', { validUntil: new Date(NOW.getTime() + DAY) })] }),
      true,
    ],
    [
      'a partner whose grant is revoked from a later date',
      user(),
      plan({}, { grants: [grant('goals', { revokedAt: new Date(NOW.getTime() + DAY) })] }),
      true,
    ],
    [
      'a partner whose grant starts exactly now',
      user(),
      plan({}, { grants: [grant('goals', { validFrom: NOW })] }),
      true,
    ],
    [
      'a partner with one active grant among ended ones',
      user(),
      plan({}, { grants: [grant('network', { revokedAt: NOW }), grant('crisis')] }),
      true,
    ],
    [
      'a secrecy-bound partner with a secrecy-bound section',
      user(),
      plan({}, { grants: [grant('background')] }),
      true,
    ],
    // Must not list.
    [
      'a partner whose grant was revoked',
      user(),
      plan({}, { grants: [grant('goals', { revokedAt: NOW })] }),
      false,
    ],
    [
      'a partner whose grant has expired',
      user(),
      plan({}, { grants: [grant('goals', { validUntil: new Date(NOW.getTime() - DAY) })] }),
      false,
    ],
    [
      'a partner whose grant ends exactly now',
      user(),
      plan({}, { grants: [grant('goals', { validUntil: NOW })] }),
      false,
    ],
    [
      'a partner whose grant starts later',
      user(),
      plan({}, { grants: [grant('goals', { validFrom: new Date(NOW.getTime() + DAY) })] }),
      false,
    ],
    ['a partner in a closed plan', user(), plan({ closed: true }), false],
    ['a past member', user(), plan({}, { status: 'past' }), false],
    ['a removed member', user(), plan({}, { removed: true }), false],
    ['a member without a grant', user(), plan({}, { grants: [] }), false],
    [
      'a partner not bound by secrecy, with a secrecy-bound section only',
      user({ secrecyBound: false }),
      plan({}, { grants: [grant('background')] }),
      false,
    ],
    [
      'a partner not bound by secrecy, with meetings only (shared without their discussion notes)',
      user({ secrecyBound: false }),
      plan({}, { grants: [grant('meetings')] }),
      true,
    ],
    [
      'a co-lead of another organisation (and no grant)',
      user({ organizationId: 'org-other' }),
      plan({}, { coLead: true, grants: [] }),
      false,
    ],
    [
      'a co-lead without an organisation',
      user({ organizationId: null }),
      plan({}, { coLead: true, grants: [] }),
      false,
    ],
    [
      'a past co-lead',
      user({ organizationId: LEAD_ORG }),
      plan({}, { coLead: true, status: 'past', grants: [] }),
      false,
    ],
    [
      'a removed co-lead',
      user({ organizationId: LEAD_ORG }),
      plan({}, { coLead: true, removed: true, grants: [] }),
      false,
    ],
    [
      'an admin, even as the lead and a member with every grant',
      user({ kind: 'admin', organizationId: LEAD_ORG }),
      plan({ leadUserId: 'u-me' }, { coLead: true, grants: SECTIONS.map((s) => grant(s)) }),
      false,
    ],
    [
      'a client account, as a member with a grant',
      user({ kind: 'client', organizationId: null }),
      plan(),
      false,
    ],
    ['someone else, without a member row', user(), plan({}, null), false],
  ];

  it.each(cases)('%s: %s', (_name, me, facts, expected) => {
    expect(lists(definePlanListAbility(me, NOW), me, facts)).toBe(expected);
    // The same decision as the request's ability on the plan.
    expect(canReadPlan(me, facts)).toBe(expected);
  });

  it('decides on the rows of the plan alone: another plan’s rows do not count', () => {
    const me = user();
    const ability = definePlanListAbility(me, NOW);
    const [row] = accessRows(me, plan());
    expect(row && ability.can('read', subject('PlanAccess', { ...row }))).toBe(true);
    expect(row && ability.can('read', subject('PlanAccess', { ...row, memberUserId: 'u-other' }))).toBe(
      false,
    );
  });
});

describe('definePlanSearchAbility', () => {
  const cases: Array<[string, PolicyUser, PlanFacts, boolean]> = [
    ['the lead', user(), plan({ leadUserId: 'u-me' }, null), true],
    ['the lead, of a closed plan', user(), plan({ leadUserId: 'u-me', closed: true }, null), true],
    ['a co-lead', user({ organizationId: LEAD_ORG }), plan({}, { coLead: true, grants: [] }), true],
    ['a partner with an active grant', user(), plan(), false],
    ['a co-lead of another organisation', user(), plan({}, { coLead: true }), false],
    ['a past co-lead', user({ organizationId: LEAD_ORG }), plan({}, { coLead: true, status: 'past' }), false],
    ['the client', user({ id: 'u-client', kind: 'client', organizationId: null }), plan({}, null), false],
    [
      'an admin',
      user({ kind: 'admin', organizationId: LEAD_ORG }),
      plan({ leadUserId: 'u-me' }, null),
      false,
    ],
  ];
  it.each(cases)('%s: %s', (_name, me, facts, expected) => {
    expect(lists(definePlanSearchAbility(me), me, facts)).toBe(expected);
    const role = roleInPlan(me, facts);
    expect(canReadPlan(me, facts) && (role === 'lead' || role === 'co_lead')).toBe(expected);
  });
});

// Generated facts: every combination of role, membership state, grant period and secrecy, with
// dates on either side of NOW and exactly at it.
const at = fc.constantFrom(-2 * DAY, -1, 0, 1, 2 * DAY).map((offset) => new Date(NOW.getTime() + offset));
const grantArb: fc.Arbitrary<GrantFacts> = fc.record({
  section: fc.constantFrom(...SECTIONS),
  access: fc.constantFrom('read' as const, 'contribute' as const),
  validFrom: at,
  validUntil: fc.option(at),
  revokedAt: fc.option(at),
});
const userArb: fc.Arbitrary<PolicyUser> = fc.record({
  id: fc.constantFrom('u-me', 'u-lead', 'u-client'),
  kind: fc.constantFrom('professional' as const, 'client' as const, 'admin' as const),
  organizationId: fc.constantFrom(LEAD_ORG, 'org-other', null),
  secrecyBound: fc.boolean(),
});
const factsArb: fc.Arbitrary<PlanFacts> = fc.record({
  planId: fc.constant('plan-1'),
  organizationId: fc.constant(LEAD_ORG),
  leadUserId: fc.constantFrom('u-lead', 'u-other'),
  clientUserId: fc.constantFrom('u-client', null),
  closed: fc.boolean(),
  membership: fc.option(
    fc.record({
      memberId: fc.constant('m-1'),
      coLead: fc.boolean(),
      status: fc.constantFrom('current' as const, 'past' as const),
      removed: fc.boolean(),
      grants: fc.array(grantArb, { maxLength: 4 }),
    }),
  ),
});

describe('the list rules and the request ability', () => {
  it('list exactly the plans the request ability lets the user read', () => {
    fc.assert(
      fc.property(userArb, factsArb, (me, facts) => {
        expect(lists(definePlanListAbility(me, NOW), me, facts)).toBe(canReadPlan(me, facts));
      }),
      { numRuns: 2000 },
    );
  });

  it('search exactly the readable plans the user leads or co-leads', () => {
    fc.assert(
      fc.property(userArb, factsArb, (me, facts) => {
        const role = roleInPlan(me, facts);
        expect(lists(definePlanSearchAbility(me), me, facts)).toBe(
          canReadPlan(me, facts) && (role === 'lead' || role === 'co_lead'),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
