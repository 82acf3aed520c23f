import { describe, expect, it } from 'vitest';
import {
  asSubject,
  defineAbilityFor,
  readableSections,
  SECTION_SUBJECTS,
  SECTIONS,
  type GrantFacts,
  type PlanFacts,
  type PolicyUser,
  type Section,
} from '../../policies/index.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const PLAN = 'plan-1';
const OTHER_PLAN = 'plan-2';
const ORG = 'org-lead';

const user = (overrides: Partial<PolicyUser> = {}): PolicyUser => ({
  id: 'u-partner',
  kind: 'professional',
  organizationId: 'org-partner',
  secrecyBound: true,
  ...overrides,
});

const grant = (section: Section, overrides: Partial<GrantFacts> = {}): GrantFacts => ({
  section,
  access: 'read',
  validFrom: new Date('2026-01-01T00:00:00Z'),
  validUntil: null,
  revokedAt: null,
  ...overrides,
});

const plan = (
  overrides: Partial<PlanFacts> = {},
  membership: Partial<NonNullable<PlanFacts['membership']>> | null = {},
): PlanFacts => ({
  planId: PLAN,
  organizationId: ORG,
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

const canRead = (u: PolicyUser, facts: PlanFacts, section: Section, row: Record<string, unknown> = {}) =>
  defineAbilityFor(u, [facts], NOW).can(
    'read',
    asSubject(SECTION_SUBJECTS[section], { planId: facts.planId, ...row }),
  );

describe('partner rules', () => {
  const cases: Array<[string, PolicyUser, PlanFacts, Section, boolean]> = [
    ['an active grant shows its section', user(), plan(), 'goals', true],
    ['and no other section', user(), plan(), 'actions', false],
    [
      'a revoked grant shows nothing',
      user(),
      plan({}, { grants: [grant('goals', { revokedAt: new Date('2026-05-01') })] }),
      'goals',
      false,
    ],
    [
      'a revocation dated in the future has not taken effect',
      user(),
      plan({}, { grants: [grant('goals', { revokedAt: new Date('2026-07-01') })] }),
      'goals',
      true,
    ],
    [
      'a grant not yet valid shows nothing',
      user(),
      plan({}, { grants: [grant('goals', { validFrom: new Date('2026-07-01') })] }),
      'goals',
      false,
    ],
    [
      'an expired grant shows nothing',
      user(),
      plan({}, { grants: [grant('goals', { validUntil: new Date('2026-05-31') })] }),
      'goals',
      false,
    ],
    [
      'a grant ending exactly now has ended',
      user(),
      plan({}, { grants: [grant('goals', { validUntil: NOW })] }),
      'goals',
      false,
    ],
    ['a past member sees nothing', user(), plan({}, { status: 'past' }), 'goals', false],
    ['a removed member sees nothing', user(), plan({}, { removed: true }), 'goals', false],
    ['a closed plan ends all partner access', user(), plan({ closed: true }), 'goals', false],
    [
      'background needs secrecy: bound',
      user(),
      plan({}, { grants: [grant('background')] }),
      'background',
      true,
    ],
    [
      'background needs secrecy: not bound',
      user({ secrecyBound: false }),
      plan({}, { grants: [grant('background')] }),
      'background',
      false,
    ],
    [
      'meetings without their discussion notes need no secrecy (DESIGN.md: the meeting is split)',
      user({ secrecyBound: false }),
      plan({}, { grants: [grant('meetings')] }),
      'meetings',
      true,
    ],
    [
      'an admin sees nothing, whatever the grants',
      user({ kind: 'admin' }),
      plan({}, { grants: SECTIONS.map((s) => grant(s)) }),
      'goals',
      false,
    ],
    ['a client account sees nothing of another plan', user({ kind: 'client' }), plan(), 'goals', false],
    ['no membership, no access', user(), plan({}, null), 'goals', false],
  ];
  it.each(cases)('%s', (_name, u, facts, section, expected) => {
    expect(canRead(u, facts, section)).toBe(expected);
    expect(readableSections(u, facts, NOW).includes(section)).toBe(expected);
  });

  it('gives a meeting’s discussion notes only to partners bound by secrecy, and its other fields to every reader', () => {
    const facts = plan({}, { grants: [grant('meetings')] });
    const meeting = asSubject('Meeting', { planId: facts.planId });
    const note = asSubject('MeetingNote', { planId: facts.planId });
    const bound = defineAbilityFor(user(), [facts], NOW);
    expect(bound.can('read', meeting, 'notes')).toBe(true);
    expect(bound.can('read', note)).toBe(true);
    const notBound = defineAbilityFor(user({ secrecyBound: false }), [facts], NOW);
    expect(notBound.can('read', meeting)).toBe(true);
    for (const field of ['title', 'heldAt', 'decisions', 'participants'])
      expect(notBound.can('read', meeting, field), field).toBe(true);
    expect(notBound.can('read', meeting, 'notes')).toBe(false);
    expect(notBound.can('read', note)).toBe(false);
    const supporter = defineAbilityFor(user({ kind: 'supporter', secrecyBound: true }), [facts], NOW);
    expect(supporter.can('read', meeting, 'notes')).toBe(false);
    expect(supporter.can('read', note)).toBe(false);
  });

  it('never lets a grant on one plan open another plan', () => {
    const ability = defineAbilityFor(user(), [plan()], NOW);
    expect(ability.can('read', asSubject('Goal', { planId: OTHER_PLAN }))).toBe(false);
    expect(ability.can('read', asSubject('Plan', { id: OTHER_PLAN }))).toBe(false);
  });

  it('shows hidden and past members of the network to no partner, and their own membership always', () => {
    const facts = plan({}, { grants: [grant('network')] });
    const member = (row: Record<string, unknown>) =>
      canRead(user(), facts, 'network', {
        id: 'm-x',
        hidden: false,
        status: 'current',
        removedAt: null,
        ...row,
      });
    expect(member({})).toBe(true);
    expect(member({ hidden: true })).toBe(false);
    expect(member({ status: 'past' })).toBe(false);
    expect(member({ removedAt: new Date() })).toBe(false);
    const withoutNetwork = plan();
    expect(canRead(user(), withoutNetwork, 'network', { id: 'm-1', hidden: true, status: 'current' })).toBe(
      true,
    );
    expect(
      canRead(user(), withoutNetwork, 'network', {
        id: 'm-x',
        hidden: false,
        status: 'current',
        removedAt: null,
      }),
    ).toBe(false);
  });

  it('gives the client contact details only with agreements', () => {
    const plainFields = defineAbilityFor(user(), [plan()], NOW);
    expect(plainFields.can('read', asSubject('Plan', { id: PLAN }), 'clientName')).toBe(true);
    expect(plainFields.can('read', asSubject('Plan', { id: PLAN }), 'clientPhone')).toBe(false);
    const withAgreements = defineAbilityFor(user(), [plan({}, { grants: [grant('agreements')] })], NOW);
    expect(withAgreements.can('read', asSubject('Plan', { id: PLAN }), 'clientPhone')).toBe(true);
  });

  it('never gives a partner the birth date nor the version of the registration details, nor their change', () => {
    const everything = defineAbilityFor(
      user(),
      [plan({}, { grants: SECTIONS.map((s) => grant(s, { access: 'contribute' })) })],
      NOW,
    );
    const planSubject = asSubject('Plan', { id: PLAN });
    expect(everything.can('read', planSubject, 'clientPhone')).toBe(true);
    expect(everything.can('read', planSubject, 'clientBirthDate')).toBe(false);
    expect(everything.can('read', planSubject, 'clientVersion')).toBe(false);
    expect(everything.can('update', planSubject)).toBe(false);
  });

  it('lets contribute update only the actions the partner owns, and only status and a note', () => {
    const ability = defineAbilityFor(
      user(),
      [plan({}, { grants: [grant('actions', { access: 'contribute' })] })],
      NOW,
    );
    const own = asSubject('Action', { planId: PLAN, ownerMemberId: 'm-1' });
    expect(ability.can('update', own, 'status')).toBe(true);
    expect(ability.can('update', own, 'note')).toBe(true);
    expect(ability.can('update', own, 'title')).toBe(false);
    // The thread is read with the actions; a read grant appends nothing.
    expect(ability.can('read', asSubject('ActionEntry', { planId: PLAN }))).toBe(true);
    expect(ability.can('update', asSubject('Action', { planId: PLAN, ownerMemberId: 'm-2' }), 'status')).toBe(
      false,
    );
    const readOnly = defineAbilityFor(user(), [plan({}, { grants: [grant('actions')] })], NOW);
    expect(readOnly.can('update', own, 'status')).toBe(false);
  });

  it('lets contribute on meetings add notes only to meetings the partner took part in', () => {
    const ability = defineAbilityFor(
      user(),
      [plan({}, { grants: [grant('meetings', { access: 'contribute' })] })],
      NOW,
    );
    expect(
      ability.can('create', asSubject('MeetingNote', { planId: PLAN, participantMemberIds: ['m-0', 'm-1'] })),
    ).toBe(true);
    expect(
      ability.can('create', asSubject('MeetingNote', { planId: PLAN, participantMemberIds: ['m-0'] })),
    ).toBe(false);
  });

  it('never gives a partner grants, the access log or preview', () => {
    const ability = defineAbilityFor(
      user(),
      [plan({}, { grants: SECTIONS.map((s) => grant(s, { access: 'contribute' })) })],
      NOW,
    );
    expect(ability.can('read', asSubject('Grant', { planId: PLAN }))).toBe(false);
    expect(ability.can('create', asSubject('Grant', { planId: PLAN }))).toBe(false);
    expect(ability.can('read', asSubject('AccessLog', { planId: PLAN }))).toBe(false);
    expect(ability.can('preview', asSubject('Plan', { id: PLAN }))).toBe(false);
  });
});

describe('lead, co-lead and client rules', () => {
  const lead = user({ id: 'u-lead', organizationId: ORG });
  const client = user({ id: 'u-client', kind: 'client', organizationId: null, secrecyBound: false });

  it.each(SECTIONS)('the lead and the client read %s', (section) => {
    expect(canRead(lead, plan({}, null), section)).toBe(true);
    expect(canRead(client, plan({}, null), section)).toBe(true);
  });

  it('the lead writes every section and records consent; once closed, only reads', () => {
    const open = defineAbilityFor(lead, [plan({}, null)], NOW);
    expect(open.can('update', asSubject('Background', { planId: PLAN }))).toBe(true);
    expect(open.can('create', asSubject('Grant', { planId: PLAN }))).toBe(true);
    const closed = defineAbilityFor(lead, [plan({ closed: true }, null)], NOW);
    expect(closed.can('read', asSubject('Background', { planId: PLAN }))).toBe(true);
    expect(closed.can('update', asSubject('Background', { planId: PLAN }))).toBe(false);
    expect(closed.can('create', asSubject('Grant', { planId: PLAN }))).toBe(false);
  });

  it('a co-lead must be a current member of the lead organisation marked co-lead', () => {
    const colleague = user({ id: 'u-colead', organizationId: ORG, secrecyBound: false });
    expect(canRead(colleague, plan({}, { coLead: true, grants: [] }), 'background')).toBe(true);
    expect(canRead(colleague, plan({}, { coLead: false, grants: [] }), 'background')).toBe(false);
    expect(canRead(colleague, plan({}, { coLead: true, status: 'past', grants: [] }), 'background')).toBe(
      false,
    );
    expect(canRead(user({ id: 'u-colead' }), plan({}, { coLead: true, grants: [] }), 'background')).toBe(
      false,
    );
  });

  it('the lead and the client read the whole registration; only the lead changes it', () => {
    const planSubject = asSubject('Plan', { id: PLAN });
    for (const who of [lead, client]) {
      const ability = defineAbilityFor(who, [plan({}, null)], NOW);
      expect(ability.can('read', planSubject, 'clientBirthDate')).toBe(true);
      expect(ability.can('read', planSubject, 'clientVersion')).toBe(true);
    }
    expect(defineAbilityFor(lead, [plan({}, null)], NOW).can('update', planSubject)).toBe(true);
    expect(defineAbilityFor(client, [plan({}, null)], NOW).can('update', planSubject)).toBe(false);
  });

  it('the client writes only their own words, consent and visibility', () => {
    const ability = defineAbilityFor(client, [plan({}, null)], NOW);
    expect(ability.can('update', asSubject('Goal', { planId: PLAN }), 'clientWords')).toBe(true);
    expect(ability.can('update', asSubject('Goal', { planId: PLAN }), 'title')).toBe(false);
    expect(ability.can('update', asSubject('Member', { planId: PLAN }), 'hidden')).toBe(true);
    expect(ability.can('update', asSubject('Background', { planId: PLAN }))).toBe(false);
    expect(ability.can('create', asSubject('Grant', { planId: PLAN }))).toBe(true);
    expect(ability.can('read', asSubject('AccessLog', { planId: PLAN }))).toBe(true);
  });

  it('a lead of one plan gets nothing on another plan', () => {
    const ability = defineAbilityFor(lead, [plan({}, null)], NOW);
    expect(ability.can('read', asSubject('Goal', { planId: OTHER_PLAN }))).toBe(false);
  });
});
