import { describe, expect, it } from 'vitest';
import {
  consentMethodsFor,
  grantRecipientRefusal,
  isLeadMember,
  isReadLogged,
  mayCoLead,
  revocationMethodFor,
  sectionsRefusedFor,
  SECTIONS,
  writesWholePlan,
  type GrantRecipient,
  type PlanFacts,
  type PolicyUser,
} from '../../policies/index.ts';

const partner: GrantRecipient = {
  kind: 'professional',
  accountKind: 'professional',
  status: 'current',
  removed: false,
  isLead: false,
  isCoLead: false,
  secrecyBound: true,
};

describe('grantRecipientRefusal: who may be given access', () => {
  const cases: Array<[string, Partial<GrantRecipient>, ReturnType<typeof grantRecipientRefusal>]> = [
    ['a current professional with an account', {}, null],
    ['a current professional not bound by secrecy (the sections decide)', { secrecyBound: false }, null],
    ['a removed member', { removed: true }, 'unknown-member'],
    ['a removed lead is removed first', { removed: true, isLead: true }, 'unknown-member'],
    [
      'an informal supporter',
      { kind: 'informal', accountKind: null, secrecyBound: null },
      'member-without-account',
    ],
    [
      'a professional without an account',
      { accountKind: null, secrecyBound: null },
      'member-without-account',
    ],
    ['a member whose account is a client account', { accountKind: 'client' }, 'member-without-account'],
    ['a member whose account is an admin account', { accountKind: 'admin' }, 'member-without-account'],
    ['a past member', { status: 'past' }, 'past-member'],
    ['the lead', { isLead: true }, 'lead-member'],
    ['a co-lead', { isCoLead: true }, 'co-lead-member'],
  ];
  it.each(cases)('%s', (_name, overrides, expected) => {
    expect(grantRecipientRefusal({ ...partner, ...overrides })).toBe(expected);
  });
});

describe('sectionsRefusedFor: secrecy-bound sections only for secrecy-bound members', () => {
  it('refuses background and meetings to a member not bound by secrecy, and to one not known to be', () => {
    for (const secrecyBound of [false, null]) {
      expect(sectionsRefusedFor({ secrecyBound }, SECTIONS)).toEqual(['background', 'meetings']);
      expect(sectionsRefusedFor({ secrecyBound }, ['goals', 'network'])).toEqual([]);
    }
  });
  it('refuses nothing to a secrecy-bound member', () => {
    expect(sectionsRefusedFor({ secrecyBound: true }, SECTIONS)).toEqual([]);
  });
});

describe('how consent is recorded', () => {
  it('lets the client give consent only in the app, and the lead only on the client’s behalf', () => {
    expect(consentMethodsFor('client')).toEqual(['in_app']);
    for (const role of ['lead', 'co_lead'] as const) {
      expect(consentMethodsFor(role)).toEqual(['verbal', 'written']);
      expect(consentMethodsFor(role)).not.toContain('in_app');
    }
    expect(consentMethodsFor('partner')).toEqual([]);
    expect(consentMethodsFor(null)).toEqual([]);
  });
  it('records a withdrawal by the client as in the app, by anyone else as on their behalf', () => {
    expect(revocationMethodFor('client')).toBe('in_app');
    expect(revocationMethodFor('lead')).toBe('verbal');
    expect(revocationMethodFor('co_lead')).toBe('verbal');
  });
});

const plan: PlanFacts = {
  planId: 'p1',
  organizationId: 'org-lead',
  leadUserId: 'u-lead',
  clientUserId: 'u-client',
  closed: false,
  membership: null,
};
const user = (id: string, kind: PolicyUser['kind']): PolicyUser => ({
  id,
  kind,
  organizationId: kind === 'client' ? null : 'org-lead',
  secrecyBound: false,
});

describe('isReadLogged: every read but the client’s own', () => {
  it.each([
    ['the plan’s client', user('u-client', 'client'), false],
    ['another client', user('u-other-client', 'client'), true],
    ['the lead', user('u-lead', 'professional'), true],
    ['a partner', user('u-partner', 'professional'), true],
    ['an admin', user('u-admin', 'admin'), true],
  ])('%s', (_name, who, logged) => {
    expect(isReadLogged(who, plan)).toBe(logged);
  });
});

describe('network places', () => {
  it.each([
    [
      'a professional of the lead’s organisation',
      { kind: 'professional', userId: 'u1', accountOrganizationId: 'org-lead' },
      true,
    ],
    [
      'a professional of another organisation',
      { kind: 'professional', userId: 'u1', accountOrganizationId: 'org-x' },
      false,
    ],
    [
      'a professional without an account',
      { kind: 'professional', userId: null, accountOrganizationId: null },
      false,
    ],
    ['an informal supporter', { kind: 'informal', userId: null, accountOrganizationId: null }, false],
  ] as const)('mayCoLead: %s', (_name, member, expected) => {
    expect(mayCoLead(plan, member)).toBe(expected);
  });
  it('knows the lead’s member row by its account, never by a name', () => {
    expect(isLeadMember(plan, { userId: 'u-lead' })).toBe(true);
    expect(isLeadMember(plan, { userId: 'u-partner' })).toBe(false);
    expect(isLeadMember(plan, { userId: null })).toBe(false);
  });
});

describe('writesWholePlan: the lead and co-leads, while the plan is open', () => {
  it.each([
    ['lead', false, true],
    ['co_lead', false, true],
    ['lead', true, false],
    ['co_lead', true, false],
    ['client', false, false],
    ['partner', false, false],
    [null, false, false],
  ] as const)('%s, closed: %s', (role, closed, expected) => {
    expect(writesWholePlan(role, closed)).toBe(expected);
  });
});
