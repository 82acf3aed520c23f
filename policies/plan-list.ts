import { AbilityBuilder, createMongoAbility, type ForcedSubject, type MongoAbility } from '@casl/ability';
import { isBoundBySecrecy, type PolicyUser } from './ability.ts';
// Vocabularies through the index, which keeps re-exporting them wherever they live (they are only
// read inside functions, so the index importing this file back is harmless).
import { isSecrecyBoundSection, SECTIONS, type Section } from './index.ts';

/**
 * One row of the relation a plan list is filtered on, for one user: one row per plan × the user's
 * own member row in it (or none) × a grant made to that member (or none), with the grant's
 * revocation. Plan fields are set on every row; member fields are null when the user has no
 * member row in the plan, grant fields when the member has no grant. `db/queries/plan-access.ts`
 * builds the same relation in SQL, field for field, so that the rules below filter it there.
 */
export interface PlanAccessRow {
  planId: string;
  leadUserId: string;
  clientUserId: string | null;
  /** The lead's organisation: co-leads belong to it. */
  planOrganizationId: string;
  planClosed: boolean;
  memberUserId: string | null;
  memberStatus: 'current' | 'past' | null;
  memberRemoved: boolean | null;
  memberCoLead: boolean | null;
  grantSection: Section | null;
  grantValidFrom: Date | null;
  grantValidUntil: Date | null;
  /** When the grant was revoked; null while it is not. */
  grantRevokedAt: Date | null;
}

/** The fields of `PlanAccessRow`, which the SQL relation provides as columns. */
export const PLAN_ACCESS_FIELDS = [
  'planId',
  'leadUserId',
  'clientUserId',
  'planOrganizationId',
  'planClosed',
  'memberUserId',
  'memberStatus',
  'memberRemoved',
  'memberCoLead',
  'grantSection',
  'grantValidFrom',
  'grantValidUntil',
  'grantRevokedAt',
] as const satisfies ReadonlyArray<keyof PlanAccessRow>;
export type PlanAccessField = (typeof PLAN_ACCESS_FIELDS)[number];

/** A relation row tagged with its subject type, to check with `can`. */
export type PlanAccessRecord = ForcedSubject<'PlanAccess'> & PlanAccessRow;

/**
 * What a plan list may show: `read` on `PlanAccess` rows. A plan is listed when at least one of
 * its rows is readable. Kept apart from `AppAbility`, whose subjects are records the user reads.
 */
export type PlanListAbility = MongoAbility<['read', 'PlanAccess' | PlanAccessRecord]>;

type Builder = AbilityBuilder<PlanListAbility>;

/** The lead reads every plan they lead, open or closed. */
function defineLeadListRules({ can }: Builder, user: PolicyUser): void {
  can('read', 'PlanAccess', { leadUserId: user.id });
}

/**
 * Co-leads: a current, not removed member row marked co-lead, of a user in the lead's
 * organisation (the plan's). Like the lead, they read closed plans too.
 */
function defineCoLeadListRules({ can }: Builder, user: PolicyUser): void {
  if (user.organizationId === null) return;
  can('read', 'PlanAccess', {
    memberUserId: user.id,
    memberCoLead: true,
    memberStatus: 'current',
    memberRemoved: false,
    planOrganizationId: user.organizationId,
  });
}

/** The client reads their own plan. */
function defineClientListRules({ can }: Builder, user: PolicyUser): void {
  can('read', 'PlanAccess', { clientUserId: user.id });
}

/**
 * A partner: a grant of their current, not removed member row in an open plan, active at `now`
 * (not revoked by then, started, not ended), on a section they may be shown (secrecy-bound
 * sections only to secrecy-bound users). The two nullable dates make four rules, which CASL ORs.
 */
function definePartnerListRules({ can }: Builder, user: PolicyUser, now: Date): void {
  const sections = SECTIONS.filter((section) => isBoundBySecrecy(user) || !isSecrecyBoundSection(section));
  for (const grantValidUntil of [null, { $gt: now }])
    for (const grantRevokedAt of [null, { $gt: now }])
      can('read', 'PlanAccess', {
        memberUserId: user.id,
        memberStatus: 'current',
        memberRemoved: false,
        planClosed: false,
        grantSection: { $in: sections },
        grantValidFrom: { $lte: now },
        grantValidUntil,
        grantRevokedAt,
      });
}

/**
 * The plans in one user's list at `now`, as rules on `PlanAccess` rows: the plans they lead,
 * co-lead or are the client of, and those shared with them as a partner under an active grant.
 * The same decision as `defineAbilityFor(user, [facts], now).can('read', Plan)` (DESIGN.md,
 * "Policies"), written on columns so that the list is filtered in SQL before paging.
 * Admins: no rule (they never read plan content).
 */
export function definePlanListAbility(user: PolicyUser, now: Date): PlanListAbility {
  const builder = new AbilityBuilder<PlanListAbility>(createMongoAbility);
  switch (user.kind) {
    case 'admin':
      break;
    case 'client':
      defineClientListRules(builder, user);
      break;
    case 'professional':
      defineLeadListRules(builder, user);
      defineCoLeadListRules(builder, user);
      definePartnerListRules(builder, user, now);
      break;
    case 'supporter':
      definePartnerListRules(builder, user, now);
      break;
    default:
      throw new Error(`Unknown user kind: ${String(user.kind satisfies never)}`);
  }
  return builder.build();
}

/**
 * The plans a search of client names covers: only those the user leads or co-leads (a partner
 * or a client never searches other people's names). A subset of `definePlanListAbility`.
 */
export function definePlanSearchAbility(user: PolicyUser): PlanListAbility {
  const builder = new AbilityBuilder<PlanListAbility>(createMongoAbility);
  switch (user.kind) {
    case 'admin':
    case 'client':
    case 'supporter':
      break;
    case 'professional':
      defineLeadListRules(builder, user);
      defineCoLeadListRules(builder, user);
      break;
    default:
      throw new Error(`Unknown user kind: ${String(user.kind satisfies never)}`);
  }
  return builder.build();
}
