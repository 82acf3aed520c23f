import { describe, expect, it } from 'vitest';
import {
  asSubject,
  defineAbilityFor,
  type GrantFacts,
  type PlanFacts,
  type PolicyUser,
  type SectionSubject,
} from '../../policies/index.ts';

// Who may change which field of which section (DESIGN.md, "Policies"): the lead and co-leads every
// field while the plan is open; the client only their own words and whom partners see; a partner
// with `contribute` on actions only the status and notes of the actions they own; nobody else.

const NOW = new Date('2026-06-01T12:00:00Z');
const PLAN = 'plan-1';
const ORG = 'org-lead';

const people = {
  lead: { id: 'u-lead', kind: 'professional', organizationId: ORG, secrecyBound: true },
  coLead: { id: 'u-colead', kind: 'professional', organizationId: ORG, secrecyBound: false },
  client: { id: 'u-client', kind: 'client', organizationId: null, secrecyBound: false },
  contributor: { id: 'u-nora', kind: 'professional', organizationId: 'org-x', secrecyBound: false },
  reader: { id: 'u-sam', kind: 'professional', organizationId: 'org-y', secrecyBound: false },
  admin: { id: 'u-admin', kind: 'admin', organizationId: ORG, secrecyBound: false },
} satisfies Record<string, PolicyUser>;
type Person = keyof typeof people;

const grant = (section: GrantFacts['section'], access: GrantFacts['access']): GrantFacts => ({
  section,
  access,
  validFrom: new Date('2026-01-01T00:00:00Z'),
  validUntil: null,
  revokedAt: null,
});

function factsOf(person: Person, closed: boolean): PlanFacts {
  const membership = (memberId: string, coLead: boolean, grants: GrantFacts[]) => ({
    memberId,
    coLead,
    status: 'current' as const,
    removed: false,
    grants,
  });
  const memberships: Partial<Record<Person, PlanFacts['membership']>> = {
    lead: membership('m-lead', false, []),
    coLead: membership('m-colead', true, []),
    contributor: membership('m-nora', false, [grant('actions', 'contribute'), grant('goals', 'read')]),
    reader: membership('m-sam', false, [
      grant('actions', 'read'),
      grant('goals', 'read'),
      grant('network', 'read'),
    ]),
  };
  return {
    planId: PLAN,
    organizationId: ORG,
    leadUserId: 'u-lead',
    clientUserId: 'u-client',
    closed,
    membership: memberships[person] ?? null,
  };
}

const mayUpdate = (person: Person, closed: boolean, subject: SectionSubject, row: object, field: string) =>
  defineAbilityFor(people[person], [factsOf(person, closed)], NOW).can(
    'update',
    asSubject(subject, { planId: PLAN, ...row }),
    field,
  );

const ownAction = { ownerMemberId: 'm-nora' };
const othersAction = { ownerMemberId: 'm-lead' };
const aMember = { id: 'm-x', hidden: false, status: 'current', removedAt: null };

/** [subject, row, field, who may change it while the plan is open] */
const table: Array<[SectionSubject, object, string, Person[]]> = [
  ['PlanRequest', {}, 'clientWords', ['lead', 'coLead', 'client']],
  ['PlanRequest', {}, 'clarifiedQuestion', ['lead', 'coLead']],
  ['Goal', {}, 'clientWords', ['lead', 'coLead', 'client']],
  ['Goal', {}, 'title', ['lead', 'coLead']],
  ['Goal', {}, 'status', ['lead', 'coLead']],
  ['Action', ownAction, 'status', ['lead', 'coLead', 'contributor']],
  ['Action', ownAction, 'note', ['lead', 'coLead', 'contributor']],
  ['Action', ownAction, 'title', ['lead', 'coLead']],
  ['Action', ownAction, 'ownerMemberId', ['lead', 'coLead']],
  ['Action', othersAction, 'status', ['lead', 'coLead']],
  ['Member', aMember, 'hidden', ['lead', 'coLead', 'client']],
  ['Member', aMember, 'relation', ['lead', 'coLead']],
  ['Agreement', {}, 'agreement', ['lead', 'coLead']],
  ['CrisisPlan', {}, 'whomToCall', ['lead', 'coLead']],
  ['Background', {}, 'diagnoses', ['lead', 'coLead']],
  ['Meeting', {}, 'decisions', ['lead', 'coLead']],
  ['Evaluation', {}, 'collaborationNotes', ['lead', 'coLead']],
];

describe('who may change which field', () => {
  for (const [subject, row, field, allowed] of table) {
    for (const person of Object.keys(people) as Person[]) {
      const may = allowed.includes(person);
      it(`${subject}.${field}${'ownerMemberId' in row ? ` (owner ${String(row.ownerMemberId)})` : ''}: ${person} ${may ? 'may' : 'may not'}`, () => {
        expect(mayUpdate(person, false, subject, row, field)).toBe(may);
      });
    }
    it(`${subject}.${field}: nobody once the plan is closed`, () => {
      for (const person of Object.keys(people) as Person[])
        expect(mayUpdate(person, true, subject, row, field), person).toBe(false);
    });
  }
});
