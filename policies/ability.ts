import {
  AbilityBuilder,
  createMongoAbility,
  subject,
  type ForcedSubject,
  type MongoAbility,
} from '@casl/ability';
import { isSecrecyBoundSection, MEETING_SHARED_FIELDS, SECTIONS, type Section } from '../domain/sections.ts';
import type { GrantAccess, MemberStatus, PLAN_ROLES, UserKind } from '../domain/vocabularies.ts';

/** What a user may do. `manage` is CASL's wildcard for every action. */
export type Action =
  | 'manage'
  | 'read'
  | 'create'
  | 'update'
  | 'delete'
  | 'close'
  | 'preview'
  | 'revoke'
  | 'contribute'
  | 'export'
  | 'print'
  | 'handover'
  | 'reopen';

/** The record kind of each plan section (DESIGN.md, "Sections"). */
export const SECTION_SUBJECTS = {
  network: 'Member',
  request: 'PlanRequest',
  goals: 'Goal',
  actions: 'Action',
  agreements: 'Agreement',
  crisis: 'CrisisPlan',
  background: 'Background',
  meetings: 'Meeting',
  evaluations: 'Evaluation',
  closure: 'Closure',
} as const satisfies Record<Section, string>;

export type SectionSubject = (typeof SECTION_SUBJECTS)[Section];
export type Subject =
  | SectionSubject
  | 'Plan'
  | 'MeetingNote'
  | 'EvaluationContribution'
  | 'ActionEntry'
  | 'Grant'
  | 'AccessLog'
  | 'Organization'
  | 'User'
  | 'Outbox'
  | 'OrganizationFigures'
  | 'RoleTemplate'
  | 'all';

/** A loaded record tagged with its subject type by `subject(...)`, checked against conditions. */
export type SubjectRecord = {
  [S in Exclude<Subject, 'all'>]: ForcedSubject<S> & Record<string, unknown>;
}[Exclude<Subject, 'all'>];

export type AppAbility = MongoAbility<[Action, Subject | SubjectRecord]>;

/** Tags a loaded record with its subject type, so that `can` checks it against rule conditions. */
export function asSubject<S extends Exclude<Subject, 'all'>>(
  type: S,
  record: Record<string, unknown>,
): SubjectRecord {
  return subject(type, { ...record }) as SubjectRecord;
}

/** The signed-in user as the policies need them: never read from the token. */
export interface PolicyUser {
  id: string;
  kind: UserKind;
  organizationId: string | null;
  secrecyBound: boolean;
}

/** A consent grant as recorded, with its revocation if any. */
export interface GrantFacts {
  section: Section;
  access: GrantAccess;
  validFrom: Date;
  validUntil: Date | null;
  revokedAt: Date | null;
}

/** What is known about one plan and the user's place in it, loaded per request. */
export interface PlanFacts {
  planId: string;
  organizationId: string;
  leadUserId: string;
  clientUserId: string | null;
  closed: boolean;
  /** The user's own member row in this plan, if any, with the grants made to it. */
  membership: {
    memberId: string;
    coLead: boolean;
    status: MemberStatus;
    removed: boolean;
    grants: GrantFacts[];
  } | null;
}

/** Every field of a plan's overview, as the policies name them. */
export const PLAN_FIELDS = [
  'id',
  'clientName',
  'phase',
  'lead',
  'closedAt',
  'startedOn',
  'nextEvaluationOn',
  'previousPlanId',
  'version',
  'clientPhone',
  'clientEmail',
  'clientAddress',
  'clientLanguage',
  'clientBirthDate',
  'clientVersion',
] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];

/**
 * The fields of a plan's overview that every partner with an active grant sees. The client's
 * birth date and the version of their registration details (`clientBirthDate`, `clientVersion`)
 * are in no partner's list: only the lead, co-leads and the client read their whole registration.
 */
export const PARTNER_PLAN_FIELDS = ['id', 'clientName', 'phase', 'lead', 'closedAt'] as const;
/**
 * How to reach and talk with the client — contact details, preferred language, need of an
 * interpreter: part of the `agreements` section (DESIGN.md: "everything else only per section").
 */
export const CLIENT_CONTACT_FIELDS = [
  'clientPhone',
  'clientEmail',
  'clientAddress',
  'clientLanguage',
] as const;

const PLAN_CONTENT_SUBJECTS = Object.values(SECTION_SUBJECTS);

type Builder = AbilityBuilder<AppAbility>;

/**
 * Whether a grant lets its member see its section right now: not revoked, within its validity
 * period (DESIGN.md, "Consent lifecycle"). Membership and plan state are checked by the caller.
 */
export function isGrantActive(grant: GrantFacts, now: Date): boolean {
  if (grant.revokedAt !== null && grant.revokedAt <= now) return false;
  if (grant.validFrom > now) return false;
  return grant.validUntil === null || grant.validUntil > now;
}

/**
 * The sections a partner may read now, each with whether they may contribute, under DESIGN.md:
 * an active grant, a current (not removed) membership, an open plan, and secrecy-bound sections
 * only for secrecy-bound users.
 */
export function activeSectionsForPartner(
  user: PolicyUser,
  plan: PlanFacts,
  now: Date,
): Map<Section, GrantAccess> {
  const sections = new Map<Section, GrantAccess>();
  const membership = plan.membership;
  if (!readsAsPartner(user) || plan.closed || !membership) return sections;
  if (membership.status !== 'current' || membership.removed) return sections;
  for (const grant of membership.grants) {
    if (!isGrantActive(grant, now)) continue;
    if (isSecrecyBoundSection(grant.section) && !isBoundBySecrecy(user)) continue;
    if (sections.get(grant.section) !== 'contribute') sections.set(grant.section, grant.access);
  }
  return sections;
}

/** Accounts that read a plan through grants: professionals, and informal supporters' circle accounts. */
function readsAsPartner(user: PolicyUser): boolean {
  return user.kind === 'professional' || user.kind === 'supporter';
}

/**
 * Whether the user may receive secrecy-bound sections: a professional whose flag is confirmed.
 * An informal supporter never is, whatever their row says (DESIGN.md, "Accounts").
 */
export function isBoundBySecrecy(user: PolicyUser): boolean {
  return user.kind === 'professional' && user.secrecyBound;
}

/**
 * The condition on ids gathered over plans: the id itself when there is one (a request about one
 * plan, the usual case), so that its SQL is `plan_id = $1` — a parameter PostgreSQL plans once for
 * every value — and `$in` (an array parameter, planned anew for each value) only for several.
 */
function oneOf(ids: string[]): string | { $in: string[] } {
  return ids.length === 1 ? ids[0]! : { $in: ids };
}

/** Plans grouped by the user's role, so that one rule with `$in` covers many plans. */
interface PlanGroup {
  all: string[];
  open: string[];
}

/**
 * Continuity (DESIGN.md, "Continuity"): the lead alone hands an open plan over to a colleague (a
 * co-lead does not give the role away); the lead and co-leads open a closed plan again, or register
 * its returning client anew with a link to it.
 */
function defineContinuityRules({ can }: Builder, leadsOpen: string[], leadsClosed: string[]): void {
  if (leadsOpen.length > 0) can('handover', 'Plan', { id: oneOf(leadsOpen) });
  if (leadsClosed.length > 0) can('reopen', 'Plan', { id: oneOf(leadsClosed) });
}

/**
 * The sections whose content the user may read in this plan now: all of them for the lead,
 * co-leads and the client; for a partner, those under an active grant (DESIGN.md, "Partner").
 */
export function readableSections(user: PolicyUser, plan: PlanFacts, now = new Date()): Section[] {
  const role = roleInPlan(user, plan);
  if (role === 'lead' || role === 'co_lead' || role === 'client') return [...SECTIONS];
  if (role === 'partner')
    return SECTIONS.filter((section) => activeSectionsForPartner(user, plan, now).has(section));
  return [];
}

/**
 * What the lead, co-leads and the client read: every section, consent, the access log, previews,
 * and the whole plan as an export (the client's own data, GDPR articles 15 and 20; the lead
 * downloads it on the client's behalf), also once the plan is closed.
 */
function defineWholePlanReadRules({ can }: Builder, planIds: string[]): void {
  if (planIds.length === 0) return;
  const planId = oneOf(planIds);
  can('read', PLAN_CONTENT_SUBJECTS, { planId });
  can(['read', 'preview', 'export'], 'Plan', { id: planId });
  can('read', ['MeetingNote', 'ActionEntry', 'Grant', 'AccessLog'], { planId });
}

/** Lead and co-leads: every section of the plan; read-only once the plan is closed. */
function defineLeadRules(builder: Builder, plans: PlanGroup): void {
  const { can } = builder;
  defineWholePlanReadRules(builder, plans.all);
  if (plans.open.length > 0) {
    const planId = oneOf(plans.open);
    can(['create', 'update', 'delete'], PLAN_CONTENT_SUBJECTS, { planId });
    can('create', 'MeetingNote', { planId });
    // Printing for a member is a share on the client's behalf: only while their grants can hold.
    can(['update', 'close', 'print'], 'Plan', { id: planId });
    can(['create', 'revoke'], 'Grant', { planId });
  }
}

/**
 * The client: reads every section of their own plan; writes their own words, consent and
 * member visibility; reads who looked at their plan.
 */
function defineClientRules(builder: Builder, plans: PlanGroup): void {
  const { can } = builder;
  defineWholePlanReadRules(builder, plans.all);
  if (plans.open.length > 0) {
    const planId = oneOf(plans.open);
    can('update', ['PlanRequest', 'Goal'], ['clientWords'], { planId });
    can(['create', 'revoke'], 'Grant', { planId });
    can('update', 'Member', ['hidden'], { planId });
  }
}

/**
 * The client's own rating and words in an evaluation: added and changed by the client alone, while
 * the plan is open (a contribution is read as part of its evaluation).
 */
function defineClientContributionRules({ can }: Builder, plans: PlanGroup): void {
  if (plans.open.length === 0) return;
  // The client writes without a member row: theirs are the contributions with none.
  can(['create', 'update'], 'EvaluationContribution', { planId: oneOf(plans.open), authorMemberId: null });
}

/** A partner's readable plans and sections, gathered over plans so that each is one `$in` rule. */
interface PartnerReads {
  plans: string[];
  plansWithContacts: string[];
  ownMemberIds: string[];
  sections: Map<Section, string[]>;
}

const noPartnerReads = (): PartnerReads => ({
  plans: [],
  plansWithContacts: [],
  ownMemberIds: [],
  sections: new Map(),
});

/**
 * A partner in one plan: the plan's basic facts and their own membership under any active grant,
 * and each section only under an active grant for it (gathered in `reads`). Contributions are
 * rules of their own, about the partner's own member row.
 */
function gatherPartnerRules(
  { can }: Builder,
  reads: PartnerReads,
  user: PolicyUser,
  plan: PlanFacts,
  now: Date,
): void {
  const sections = activeSectionsForPartner(user, plan, now);
  if (sections.size === 0 || !plan.membership) return;
  const planId = plan.planId;
  const memberId = plan.membership.memberId;
  (sections.has('agreements') ? reads.plansWithContacts : reads.plans).push(planId);
  reads.ownMemberIds.push(memberId);
  for (const [section, access] of sections) {
    const planIds = reads.sections.get(section) ?? [];
    planIds.push(planId);
    reads.sections.set(section, planIds);
    if (access !== 'contribute') continue;
    if (section === 'actions')
      // Their status and a note for the action's thread (an entry appended, never an edit).
      can('update', 'Action', ['status', 'note'], { planId, ownerMemberId: memberId });
    if (section === 'meetings')
      can('create', 'MeetingNote', { planId, participantMemberIds: { $all: [memberId] } });
    if (section === 'evaluations')
      can(['create', 'update'], 'EvaluationContribution', { planId, authorMemberId: memberId });
  }
}

/**
 * The partner's read rules, one per kind of record: hidden and past members stay invisible; a
 * meeting's discussion notes (its `notes`, the notes added to it) only for a partner bound by
 * professional secrecy (DESIGN.md, "Sections").
 */
function definePartnerReadRules({ can }: Builder, reads: PartnerReads, user: PolicyUser): void {
  if (reads.plans.length > 0) can('read', 'Plan', [...PARTNER_PLAN_FIELDS], { id: oneOf(reads.plans) });
  if (reads.plansWithContacts.length > 0)
    can('read', 'Plan', [...PARTNER_PLAN_FIELDS, ...CLIENT_CONTACT_FIELDS], {
      id: oneOf(reads.plansWithContacts),
    });
  // A member id names one row of one plan: the partner's own rows, in the plans they are shared.
  if (reads.ownMemberIds.length > 0) can('read', 'Member', { id: oneOf(reads.ownMemberIds) });
  for (const [section, planIds] of reads.sections) {
    const planId = oneOf(planIds);
    if (section === 'network') {
      can('read', 'Member', { planId, hidden: false, status: 'current', removedAt: null });
    } else if (section === 'meetings' && !isBoundBySecrecy(user)) {
      can('read', 'Meeting', [...MEETING_SHARED_FIELDS], { planId });
    } else {
      can('read', SECTION_SUBJECTS[section], { planId });
    }
    if (section === 'meetings' && isBoundBySecrecy(user)) can('read', 'MeetingNote', { planId });
    // An action's thread goes with the action: whoever reads the action reads its notes.
    if (section === 'actions') can('read', 'ActionEntry', { planId });
  }
}

/** Every professional may search the directory and open plans for their clients. */
function defineProfessionalRules({ can }: Builder, user: PolicyUser): void {
  can('read', 'Organization');
  if (user.organizationId) can('create', 'Plan', { organizationId: user.organizationId });
}

/** Organisation admins manage their users and directory entry, and never read plan content. */
function defineAdminRules({ can }: Builder, user: PolicyUser): void {
  can('read', 'Organization');
  // The offline demo's outbox (no SMTP_URL): every e-mail, sign-in links included.
  can('read', 'Outbox');
  if (!user.organizationId) return;
  can('update', 'Organization', { id: user.organizationId });
  // Counts only, never a client's name (small counts are suppressed by the figures service).
  can('read', 'OrganizationFigures', { organizationId: user.organizationId });
  can(['read', 'create', 'update'], 'User', { organizationId: user.organizationId });
  // What the organisation's leads propose to share with each kind of partner (issue 15).
  can(['read', 'create', 'update', 'delete'], 'RoleTemplate', { organizationId: user.organizationId });
}

/**
 * Builds the ability of one user for one request, from the facts of the plans that request
 * touches (deny by default: a plan that is not in `plans` grants nothing).
 */
export function defineAbilityFor(
  user: PolicyUser,
  plans: readonly PlanFacts[] = [],
  now = new Date(),
): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  switch (user.kind) {
    case 'admin':
      defineAdminRules(builder, user);
      return builder.build();
    case 'professional':
      defineProfessionalRules(builder, user);
      break;
    case 'client':
    case 'supporter':
      break;
    default:
      throw new Error(`Unknown user kind: ${String(user.kind satisfies never)}`);
  }
  const lead: PlanGroup = { all: [], open: [] };
  const client: PlanGroup = { all: [], open: [] };
  const partner = noPartnerReads();
  const handsOver: string[] = [];
  const reopens: string[] = [];
  for (const plan of plans) {
    const role = roleInPlan(user, plan);
    if (role === 'lead' || role === 'co_lead' || role === 'client') {
      const group = role === 'client' ? client : lead;
      group.all.push(plan.planId);
      if (!plan.closed) group.open.push(plan.planId);
      if (role === 'lead' && !plan.closed) handsOver.push(plan.planId);
      if (role !== 'client' && plan.closed) reopens.push(plan.planId);
    } else if (role === 'partner') {
      gatherPartnerRules(builder, partner, user, plan, now);
    }
  }
  defineLeadRules(builder, lead);
  defineContinuityRules(builder, handsOver, reopens);
  defineClientRules(builder, client);
  defineClientContributionRules(builder, client);
  definePartnerReadRules(builder, partner, user);
  return builder.build();
}

/** The part a user plays in one plan: the list is domain/'s PLAN_ROLES, which the API reports. */
export type PlanRole = (typeof PLAN_ROLES)[number];

/**
 * The user's role in a plan, from the facts alone: the lead, a co-lead, the client, or a
 * member who may be a partner (their grants decide what they see). Null: no place in the plan.
 */
export function roleInPlan(user: PolicyUser, plan: PlanFacts): PlanRole | null {
  if (user.kind === 'professional' && plan.leadUserId === user.id) return 'lead';
  if (user.kind === 'client' && plan.clientUserId === user.id) return 'client';
  if (isCoLead(user, plan)) return 'co_lead';
  if (readsAsPartner(user) && plan.membership) return 'partner';
  return null;
}

/**
 * Whether a role writes every section of a plan now: the lead and co-leads, while the plan is open
 * (a closed plan is read-only). The web app asks this to offer editing; the server's ability says
 * the same through its rules.
 */
export function writesWholePlan(role: PlanRole | null, closed: boolean): boolean {
  return (role === 'lead' || role === 'co_lead') && !closed;
}

/** Co-leads are current members of the lead's organisation marked co-lead (DESIGN.md, "Lead"). */
function isCoLead(user: PolicyUser, plan: PlanFacts): boolean {
  const membership = plan.membership;
  return (
    user.kind === 'professional' &&
    membership !== null &&
    membership.coLead &&
    membership.status === 'current' &&
    !membership.removed &&
    user.organizationId === plan.organizationId
  );
}
