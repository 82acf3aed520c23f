import type { IconName } from '$lib/components/icons';
import type { Member, PlanOverview } from '$lib/api';
import { SECTIONS, type Section } from '$domain/sections';
import { writesWholePlan } from '$policies/ability';

/** The steps of the method, in order, and the sections each one holds (DESIGN.md, "The method"). */
export const METHOD_STEPS = [
  { id: 'request', sections: ['request', 'background'], icon: 'file' },
  { id: 'goals', sections: ['goals'], icon: 'target' },
  { id: 'approach', sections: ['actions'], icon: 'tasks' },
  { id: 'partners', sections: ['network', 'agreements', 'crisis'], icon: 'users' },
  { id: 'meetings', sections: ['meetings'], icon: 'chat' },
  { id: 'evaluation', sections: ['evaluations'], icon: 'star' },
  { id: 'closure', sections: ['closure'], icon: 'flag' },
] as const satisfies ReadonlyArray<{ id: string; sections: readonly Section[]; icon: IconName }>;

export type MethodStep = (typeof METHOD_STEPS)[number]['id'];

/** The sections in the order of the method, as people read a plan. */
/** Languages clients in Brussels often speak; content is stored as written, in any language. */
export const CLIENT_LANGUAGES = ['nl', 'fr', 'en', 'ar', 'tr', 'es', 'pt', 'pl', 'ro', 'ber'] as const;

export const SECTIONS_IN_METHOD_ORDER: readonly Section[] = METHOD_STEPS.flatMap((step) => step.sections);

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

// Every section has an icon and a place in the method.
if (SECTIONS_IN_METHOD_ORDER.length !== SECTIONS.length) throw new Error('a section is missing a step');

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
