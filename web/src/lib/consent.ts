import type { Grant, Member, PlanOverview } from '$lib/api';
import type { Section } from '$domain/sections';
import {
  grantRecipientRefusal,
  isLeadMember as isLeadOfPlan,
  mayCoLead,
  sectionsRefusedFor,
  type GrantRecipient,
  type GrantRecipientRefusal,
} from '$policies/index';

/**
 * A member as the consent screens need them. `secrecyBound` is not (yet) part of the API's member:
 * until it is, it is unknown (undefined), and the server's refusal tells us (see `learnNotSecrecyBound`).
 */
export type ConsentMember = Member & { secrecyBound?: boolean };

/** Why a member can or cannot be given access to anything, as the consent screens word it. */
export type Eligibility = 'ok' | 'lead' | 'co-lead' | 'informal' | 'no-account' | 'past';

/**
 * The plan's lead: the member whose account leads the plan (policies decide, by account, never by
 * name).
 */
export function isLeadMember(plan: PlanOverview, member: Member): boolean {
  return isLeadOfPlan({ leadUserId: plan.lead.userId }, member);
}

/** The member as the consent policies see them, from what the API tells this screen. */
function recipientOf(plan: PlanOverview, member: ConsentMember): GrantRecipient {
  return {
    kind: member.kind,
    // The API links professionals to professional accounts and informal supporters to circle ones.
    accountKind: member.userId ? (member.kind === 'informal' ? 'supporter' : 'professional') : null,
    status: member.status,
    removed: false,
    isLead: isLeadMember(plan, member),
    isCoLead:
      member.coLead &&
      member.status === 'current' &&
      mayCoLead(
        { organizationId: plan.lead.organization.id },
        { kind: member.kind, userId: member.userId, accountOrganizationId: member.organization?.id ?? null },
      ),
    secrecyBound: member.secrecyBound ?? null,
  };
}

/** The screen's word for each reason the consent policies give for refusing a member. */
const ELIGIBILITY: Record<Exclude<GrantRecipientRefusal, 'member-without-account'>, Eligibility> = {
  'unknown-member': 'past',
  'past-member': 'past',
  'lead-member': 'lead',
  'co-lead-member': 'co-lead',
};

/** Who may receive consent, as the server decides it (policies/consent.ts). */
export function eligibilityOf(plan: PlanOverview, member: ConsentMember): Eligibility {
  const refusal = grantRecipientRefusal(recipientOf(plan, member));
  if (refusal === null) return 'ok';
  if (refusal === 'member-without-account') return member.kind === 'informal' ? 'informal' : 'no-account';
  return ELIGIBILITY[refusal];
}

/** A section that may never go to this member (not bound by professional secrecy). */
export function isForbiddenFor(
  member: ConsentMember,
  section: Section,
  notBound: ReadonlySet<string>,
): boolean {
  const secrecyBound = notBound.has(member.id) ? false : (member.secrecyBound ?? null);
  // Unknown is not refused here for a professional: the server answers for a member whose flag
  // the screen does not know, and one without an account yet receives it once confirmed.
  if (secrecyBound === null && member.kind === 'professional') return false;
  return sectionsRefusedFor({ kind: member.kind, secrecyBound }, [section]).length > 0;
}

/** The consent of one member for one section: what holds now, what is planned, and what came before. */
export interface CellState {
  /** Grants that let the member see the section now. */
  active: Grant[];
  /** Grants that start later and were not withdrawn. */
  upcoming: Grant[];
  /** Every grant for this member and section, newest first. */
  all: Grant[];
}

export function cellState(
  grants: readonly Grant[],
  memberId: string,
  section: Section,
  now = new Date(),
): CellState {
  const all = grants
    .filter((g) => g.memberId === memberId && g.section === section)
    .sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
  return {
    active: all.filter((g) => g.active),
    upcoming: all.filter((g) => !g.active && !g.revocation && new Date(g.validFrom) > now),
    all,
  };
}

/** The grants to withdraw to stop sharing now: active and upcoming ones. */
export function withdrawable(state: CellState): Grant[] {
  return [...state.active, ...state.upcoming];
}

/**
 * The last moment a grant lets its member see the section: `validUntil` is the first moment it no
 * longer does (consent "until 30 June" ends at midnight, so 30 June is its last day).
 */
export function lastMoment(validUntil: string): string {
  return new Date(new Date(validUntil).getTime() - 1).toISOString();
}

/** The last moment of sharing, when every active grant has an end (the latest); null when one has none. */
export function sharedUntil(state: CellState): string | null {
  if (state.active.some((g) => g.validUntil === null)) return null;
  const ends = state.active.map((g) => g.validUntil ?? '').sort();
  const end = ends.at(-1);
  return end ? lastMoment(end) : null;
}

/** Since when the section is shared (the earliest active grant). */
export function sharedSince(state: CellState): string | null {
  const starts = state.active.map((g) => g.validFrom).sort();
  return starts[0] ?? null;
}

/** The end of a grant that was asked for "until" a day: the end of that day, where the user is. */
export function endOfDayIso(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + 1, 0, 0, 0).toISOString();
}
