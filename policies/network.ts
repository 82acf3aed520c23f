import type { MemberKind } from '../domain/index.ts';
import type { PlanFacts, PlanRole, PolicyUser } from './ability.ts';

// Who may hold which place in a plan's network (DESIGN.md, "Lead" and "Consent follows the role").

/** A network member, or someone about to become one, as these rules see them. */
export interface NetworkCandidate {
  kind: MemberKind;
  /** Their Liaison account, if any. */
  userId: string | null;
  /** The organisation of their account (not the one named on the member row). */
  accountOrganizationId: string | null;
}

/**
 * Whether this person may co-lead the plan: a professional with a Liaison account in the lead's
 * organisation (co-leads read and write every section, like the lead).
 */
export function mayCoLead(plan: Pick<PlanFacts, 'organizationId'>, member: NetworkCandidate): boolean {
  return (
    member.kind === 'professional' &&
    member.userId !== null &&
    member.accountOrganizationId === plan.organizationId
  );
}

/**
 * Whether this member is the plan's lead, who stays a current member of its network as long as
 * they lead it: they cannot be removed nor become past.
 */
export function isLeadMember(
  plan: Pick<PlanFacts, 'leadUserId'>,
  member: Pick<NetworkCandidate, 'userId'>,
): boolean {
  return member.userId !== null && member.userId === plan.leadUserId;
}

/**
 * Whether the user may look up the people of an organisation who have a Liaison account, to link
 * one of them into a network: professionals (who lead plans). Names and organisations only, never
 * anything from a plan (issue 13: suggestions never come from other clients' plans).
 */
export function mayLookUpPeople(user: Pick<PolicyUser, 'kind'>): boolean {
  return user.kind === 'professional';
}

/**
 * Whether a change of a member's visibility must be refused (DESIGN.md, "Network visibility"):
 * the client hides and shows the people of their network; a member the client hid is shown again
 * only by the client, or by the lead recording the client's decision the way consent is recorded.
 * Hiding is never refused here (it only withholds).
 */
export function visibilityChangeRefusal(
  role: PlanRole | null,
  member: { hidden: boolean; hiddenByClient: boolean },
  hidden: boolean,
  recordsClientDecision: boolean,
): 'client-decides-visibility' | null {
  if (role === 'client' || hidden || !member.hidden || !member.hiddenByClient) return null;
  return recordsClientDecision ? null : 'client-decides-visibility';
}
