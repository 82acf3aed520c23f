import { describe, expect, it } from 'vitest';
import { asSubject, defineAbilityFor, type PlanFacts, type PolicyUser } from '../../policies/index.ts';

// Issue 14, parts 7 and 8, as concrete can/cannot cases: who adds their own rating to an
// evaluation, who hands a plan over, who opens a closed plan again.

const NOW = new Date('2026-06-01T12:00:00Z');
const PLAN = 'plan-1';
const ORG = 'org-lead';

const professional = (id: string, organizationId = 'org-partner'): PolicyUser => ({
  id,
  kind: 'professional',
  organizationId,
  secrecyBound: false,
});
const client: PolicyUser = { id: 'u-client', kind: 'client', organizationId: null, secrecyBound: false };

function facts(
  membership: { memberId: string; coLead?: boolean; access?: 'read' | 'contribute' } | null,
  closed = false,
): PlanFacts {
  return {
    planId: PLAN,
    organizationId: ORG,
    leadUserId: 'u-lead',
    clientUserId: 'u-client',
    closed,
    membership: membership && {
      memberId: membership.memberId,
      coLead: membership.coLead ?? false,
      status: 'current',
      removed: false,
      grants: membership.access
        ? [
            {
              section: 'evaluations',
              access: membership.access,
              validFrom: new Date('2026-01-01T00:00:00Z'),
              validUntil: null,
              revokedAt: null,
            },
          ]
        : [],
    },
  };
}

const contribution = (authorMemberId: string | null) =>
  asSubject('EvaluationContribution', { planId: PLAN, authorMemberId });

describe('contributions to an evaluation', () => {
  it('lets a partner with contribute add and change only their own', () => {
    const ability = defineAbilityFor(
      professional('u-nora'),
      [facts({ memberId: 'm-nora', access: 'contribute' })],
      NOW,
    );
    expect(ability.can('create', contribution('m-nora'))).toBe(true);
    expect(ability.can('update', contribution('m-nora'))).toBe(true);
    expect(ability.can('update', contribution('m-other'))).toBe(false);
    expect(ability.can('update', contribution(null))).toBe(false);
  });

  it('refuses a partner who may only read evaluations, and everyone once the plan is closed', () => {
    const reader = defineAbilityFor(
      professional('u-rita'),
      [facts({ memberId: 'm-rita', access: 'read' })],
      NOW,
    );
    expect(reader.can('create', contribution('m-rita'))).toBe(false);
    const closed = defineAbilityFor(
      professional('u-nora'),
      [facts({ memberId: 'm-nora', access: 'contribute' }, true)],
      NOW,
    );
    expect(closed.can('create', contribution('m-nora'))).toBe(false);
    expect(defineAbilityFor(client, [facts(null, true)], NOW).can('create', contribution(null))).toBe(false);
  });

  it('lets the client add their own, and not the lead', () => {
    expect(defineAbilityFor(client, [facts(null)], NOW).can('create', contribution(null))).toBe(true);
    expect(defineAbilityFor(client, [facts(null)], NOW).can('update', contribution('m-nora'))).toBe(false);
    const lead = defineAbilityFor(professional('u-lead', ORG), [facts({ memberId: 'm-lead' })], NOW);
    expect(lead.can('create', contribution('m-lead'))).toBe(false);
    expect(lead.can('create', contribution(null))).toBe(false);
  });
});

describe('handover and reopening', () => {
  const plan = asSubject('Plan', { id: PLAN });

  it('lets only the lead hand an open plan over', () => {
    expect(defineAbilityFor(professional('u-lead', ORG), [facts(null)], NOW).can('handover', plan)).toBe(
      true,
    );
    const coLead = defineAbilityFor(
      professional('u-tom', ORG),
      [facts({ memberId: 'm-tom', coLead: true })],
      NOW,
    );
    expect(coLead.can('handover', plan)).toBe(false);
    expect(defineAbilityFor(client, [facts(null)], NOW).can('handover', plan)).toBe(false);
    expect(
      defineAbilityFor(professional('u-lead', ORG), [facts(null, true)], NOW).can('handover', plan),
    ).toBe(false);
  });

  it('lets the lead and co-leads open a closed plan again, nobody else, and never an open one', () => {
    expect(defineAbilityFor(professional('u-lead', ORG), [facts(null, true)], NOW).can('reopen', plan)).toBe(
      true,
    );
    const coLead = defineAbilityFor(
      professional('u-tom', ORG),
      [facts({ memberId: 'm-tom', coLead: true }, true)],
      NOW,
    );
    expect(coLead.can('reopen', plan)).toBe(true);
    expect(defineAbilityFor(client, [facts(null, true)], NOW).can('reopen', plan)).toBe(false);
    const partner = defineAbilityFor(
      professional('u-nora'),
      [facts({ memberId: 'm-nora', access: 'contribute' }, true)],
      NOW,
    );
    expect(partner.can('reopen', plan)).toBe(false);
    expect(defineAbilityFor(professional('u-lead', ORG), [facts(null)], NOW).can('reopen', plan)).toBe(false);
  });
});
