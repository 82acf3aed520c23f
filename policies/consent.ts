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

/** The accounts that read a plan through grants (DESIGN.md, "Accounts"). */
const ACCOUNT_KINDS_FOR: Record<MemberKind, PolicyUser['kind']> = {
  professional: 'professional',
  informal: 'supporter',
};

/**
 * Whether this member may be given access to sections of the plan: current professionals and
 * informal supporters other than the lead and co-leads (who see everything already). A member
 * without an account yet may receive consent: it takes effect once their account exists
 * (DESIGN.md, "Accounts"). A member linked to an account of another kind (a client's, an
 * admin's) never. Null: they may.
 */
export function grantRecipientRefusal(member: GrantRecipient): GrantRecipientRefusal | null {
  if (member.removed) return 'unknown-member';
  if (member.accountKind !== null && member.accountKind !== ACCOUNT_KINDS_FOR[member.kind])
    return 'member-without-account';
  if (member.status !== 'current') return 'past-member';
  if (member.isLead) return 'lead-member';
  if (member.isCoLead) return 'co-lead-member';
  return null;
}

/**
 * The sections of `sections` this member may never receive: the secrecy-bound ones, for an
 * informal supporter always, for a professional whose account is not bound by professional
 * secrecy. For a professional without an account yet they may be recorded: they take effect only
 * once the flag is confirmed (the ability checks it on every read).
 */
export function sectionsRefusedFor(
  member: Pick<GrantRecipient, 'kind' | 'secrecyBound'>,
  sections: readonly Section[],
): Section[] {
  const mayReceive = member.kind === 'professional' && member.secrecyBound !== false;
  return mayReceive ? [] : sections.filter(isSecrecyBoundSection);
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
