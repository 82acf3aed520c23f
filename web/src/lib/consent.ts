import type { Grant, Member, PlanOverview } from '$lib/api';
import { isSecrecyBoundSection, type Section } from '$domain/sections';

/**
 * A member as the consent screens need them. `secrecyBound` is not (yet) part of the API's member:
 * until it is, it is unknown (undefined), and the server's refusal tells us (see `learnNotSecrecyBound`).
 */
export type ConsentMember = Member & { secrecyBound?: boolean };

/** Why a member can or cannot be given access to anything. */
export type Eligibility = 'ok' | 'lead' | 'co-lead' | 'informal' | 'no-account' | 'past';

/** Whether this member is the plan's lead (the API gives the lead's name and organisation). */
export function isLeadMember(plan: PlanOverview, member: Member): boolean {
  if (plan.membership && plan.myRole === 'lead') return member.id === plan.membership.id;
  return (
    member.userId !== null &&
    member.name === plan.lead.name &&
    member.organization?.name === plan.lead.organization.name
  );
}

/** Who may receive consent: current professionals with an account, other than the lead and co-leads. */
export function eligibilityOf(plan: PlanOverview, member: Member): Eligibility {
  if (member.kind === 'informal') return 'informal';
  if (isLeadMember(plan, member)) return 'lead';
  if (member.coLead && member.status === 'current') return 'co-lead';
  if (!member.userId) return 'no-account';
  if (member.status !== 'current') return 'past';
  return 'ok';
}

/** A section that may never go to this member (not bound by professional secrecy). */
export function isForbiddenFor(
  member: ConsentMember,
  section: Section,
  notBound: ReadonlySet<string>,
): boolean {
  if (!isSecrecyBoundSection(section)) return false;
  return member.secrecyBound === false || notBound.has(member.id);
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
