import { describe, expect, it } from 'vitest';
import {
  consentMethodsFor,
  grantRecipientRefusal,
  isLeadMember,
  isReadLogged,
  mayCoLead,
  revocationMethodFor,
  sectionsRefusedFor,
  visibilityChangeRefusal,
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
    // DESIGN.md, "Accounts": consent may be recorded before the account exists; it takes effect later.
    [
      'an informal supporter without an account',
      { kind: 'informal', accountKind: null, secrecyBound: null },
      null,
    ],
    ['an informal supporter with a circle account', { kind: 'informal', accountKind: 'supporter' }, null],
    ['a professional without an account yet', { accountKind: null, secrecyBound: null }, null],
    ['a member whose account is a client account', { accountKind: 'client' }, 'member-without-account'],
    ['a member whose account is an admin account', { accountKind: 'admin' }, 'member-without-account'],
    [
      'a professional member linked to a circle account',
      { accountKind: 'supporter' },
      'member-without-account',
    ],
    [
      'an informal member linked to a professional account',
      { kind: 'informal', accountKind: 'professional' },
      'member-without-account',
    ],
    ['a past informal supporter', { kind: 'informal', accountKind: null, status: 'past' }, 'past-member'],
    ['a past member', { status: 'past' }, 'past-member'],
    ['the lead', { isLead: true }, 'lead-member'],
    ['a co-lead', { isCoLead: true }, 'co-lead-member'],
  ];
  it.each(cases)('%s', (_name, overrides, expected) => {
    expect(grantRecipientRefusal({ ...partner, ...overrides })).toBe(expected);
  });
});

describe('sectionsRefusedFor: secrecy-bound sections only for secrecy-bound members', () => {
  it('refuses the background to a professional whose account is not bound by secrecy (meetings are shared without their notes)', () => {
    expect(sectionsRefusedFor({ kind: 'professional', secrecyBound: false }, SECTIONS)).toEqual([
      'background',
    ]);
    expect(sectionsRefusedFor({ kind: 'professional', secrecyBound: false }, ['goals', 'network'])).toEqual(
      [],
    );
  });
  it('refuses them to an informal supporter always, even one marked bound', () => {
    for (const secrecyBound of [false, null, true])
      expect(sectionsRefusedFor({ kind: 'informal', secrecyBound }, SECTIONS)).toEqual(['background']);
  });
  it('lets them be recorded for a professional without an account yet (they wait for the flag)', () => {
    expect(sectionsRefusedFor({ kind: 'professional', secrecyBound: null }, SECTIONS)).toEqual([]);
  });
  it('refuses nothing to a secrecy-bound professional', () => {
    expect(sectionsRefusedFor({ kind: 'professional', secrecyBound: true }, SECTIONS)).toEqual([]);
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

describe('visibilityChangeRefusal: only the client shows again whom they hid', () => {
  const hiddenByClient = { hidden: true, hiddenByClient: true };
  const cases: Array<
    [string, Parameters<typeof visibilityChangeRefusal>, ReturnType<typeof visibilityChangeRefusal>]
  > = [
    ['the client shows a member again', ['client', hiddenByClient, false, false], null],
    [
      'the lead alone shows again whom the client hid',
      ['lead', hiddenByClient, false, false],
      'client-decides-visibility',
    ],
    ['a co-lead alone, likewise', ['co_lead', hiddenByClient, false, false], 'client-decides-visibility'],
    ['the lead recording the client’s decision', ['lead', hiddenByClient, false, true], null],
    [
      'the lead shows again whom they hid themselves',
      ['lead', { hidden: true, hiddenByClient: false }, false, false],
      null,
    ],
    [
      'the lead hides (it only withholds)',
      ['lead', { hidden: false, hiddenByClient: false }, true, false],
      null,
    ],
    [
      'showing a member who is shown already',
      ['lead', { hidden: false, hiddenByClient: true }, false, false],
      null,
    ],
  ];
  it.each(cases)('%s', (_name, args, expected) => {
    expect(visibilityChangeRefusal(...args)).toBe(expected);
  });
});
