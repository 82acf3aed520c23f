import type { PlanFacts, PlanRole, PolicyUser } from './ability.ts';
import {
  isSecrecyBoundSection,
  type ConsentMethod,
  type MemberKind,
  type MemberStatus,
  type Section,
} from '../domain/index.ts';

// Who may receive consent, and how consent is recorded (DESIGN.md, "Policies" and "Consent
// lifecycle"). The server refuses with these answers; the consent screens offer only what they allow.

/** A network member as the consent rules see them. */
export interface GrantRecipient {
  kind: MemberKind;
  /** Whether the member has a Liaison account, and of which kind. */
  accountKind: PolicyUser['kind'] | null;
  status: MemberStatus;
  removed: boolean;
  /** The plan's lead: they see the whole plan already. */
  isLead: boolean;
  /** A co-lead (current, of the lead's organisation): they see the whole plan already. */
  isCoLead: boolean;
  /** Bound by professional secrecy; null when unknown (no account). */
  secrecyBound: boolean | null;
}

/** Why a member cannot receive any consent; each is a stable problem type of the API. */
export type GrantRecipientRefusal =
  'unknown-member' | 'member-without-account' | 'past-member' | 'lead-member' | 'co-lead-member';

/**
 * Whether this member may be given access to sections of the plan: only current professionals
 * with a Liaison account, other than the lead and co-leads (who see everything already).
 * Informal supporters never (DESIGN.md: they take part without plan access here). Null: they may.
 */
export function grantRecipientRefusal(member: GrantRecipient): GrantRecipientRefusal | null {
  if (member.removed) return 'unknown-member';
  if (member.kind !== 'professional' || member.accountKind !== 'professional')
    return 'member-without-account';
  if (member.status !== 'current') return 'past-member';
  if (member.isLead) return 'lead-member';
  if (member.isCoLead) return 'co-lead-member';
  return null;
}

/**
 * The sections of `sections` this member may never receive: the secrecy-bound ones, unless the
 * member is bound by professional secrecy (DESIGN.md, "Sections").
 */
export function sectionsRefusedFor(
  member: Pick<GrantRecipient, 'secrecyBound'>,
  sections: readonly Section[],
): Section[] {
  return member.secrecyBound === true ? [] : sections.filter(isSecrecyBoundSection);
}

/**
 * How the user may record consent in this plan: the client gives it in the app; the lead records
 * what the client said (verbal) or signed (written) on the client's behalf.
 */
export function consentMethodsFor(role: PlanRole | null): readonly ConsentMethod[] {
  if (role === 'client') return ['in_app'];
  if (role === 'lead' || role === 'co_lead') return ['verbal', 'written'];
  return [];
}

/** How a withdrawal by this user is recorded: by the client in the app, else on their behalf. */
export function revocationMethodFor(role: PlanRole | null): ConsentMethod {
  return role === 'client' ? 'in_app' : 'verbal';
}

/**
 * Whether a read of this plan's content by this user goes to the access log: every read by anyone
 * but the plan's own client (DESIGN.md, "Audit").
 */
export function isReadLogged(user: PolicyUser, plan: PlanFacts): boolean {
  return user.kind !== 'client' || plan.clientUserId !== user.id;
}
