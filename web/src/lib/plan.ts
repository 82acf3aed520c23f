import type { IconName } from '$lib/components/icons';
import type { Member, PlanOverview } from '$lib/api';
import type { Section } from '$domain/sections';
import { writesWholePlan } from '$policies/ability';
import type { MethodStep } from '$domain/method';

export {
  firstStepOf,
  METHOD_STEPS,
  SECTIONS_IN_METHOD_ORDER,
  stepNumber,
  stepOfSection,
  type MethodStep,
} from '$domain/method';

/** The icon of each step of the method. */
export const STEP_ICONS: Record<MethodStep, IconName> = {
  registration: 'user',
  request: 'file',
  goals: 'target',
  approach: 'tasks',
  partners: 'users',
  meetings: 'chat',
  evaluation: 'star',
  closure: 'flag',
};

/** Languages clients in Brussels often speak; content is stored as written, in any language. */
export const CLIENT_LANGUAGES = ['nl', 'fr', 'en', 'ar', 'tr', 'es', 'pt', 'pl', 'ro', 'ber'] as const;

export const SECTION_ICONS: Record<Section, IconName> = {
  network: 'network',
  request: 'file',
  goals: 'target',
  actions: 'tasks',
  agreements: 'link',
  crisis: 'lifebuoy',
  background: 'book',
  meetings: 'chat',
  evaluations: 'star',
  closure: 'flag',
};

/** The members of a plan the user may see (empty when the network is not shared with them). */
export function membersOf(plan: PlanOverview): Member[] {
  return plan.sections.network.withheld ? [] : plan.sections.network.content;
}

/** A member's name, with their organisation when they have one. */
export function memberLabel(member: Member): string {
  return member.organization ? `${member.name} (${member.organization.name})` : member.name;
}

/** Whether the user leads this plan (lead or co-lead) and it is still open. */
export function canEditPlan(plan: PlanOverview): boolean {
  return writesWholePlan(plan.myRole, plan.closedAt !== null);
}
