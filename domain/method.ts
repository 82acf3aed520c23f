import { SECTIONS, type Section } from './sections.ts';
import { PHASES, type Phase } from './vocabularies.ts';

/**
 * The steps of the method, in order (DESIGN.md, "The method"): one name per step, shared by the
 * stepper, the plan's sections and the phase a plan is in (issue 15: they had different names).
 * Each step holds its sections and belongs to the phase in which its work is done; working with the
 * partners spans two steps (choosing them, consulting them), so the phase `active` has two.
 */
export const METHOD_STEPS = [
  { id: 'registration', phase: 'registration', sections: [] },
  { id: 'request', phase: 'request', sections: ['request', 'background'] },
  { id: 'goals', phase: 'goals', sections: ['goals'] },
  { id: 'approach', phase: 'approach', sections: ['actions'] },
  { id: 'partners', phase: 'active', sections: ['network', 'agreements', 'crisis'] },
  { id: 'meetings', phase: 'active', sections: ['meetings'] },
  { id: 'evaluation', phase: 'evaluation', sections: ['evaluations'] },
  { id: 'closure', phase: 'closed', sections: ['closure'] },
] as const satisfies ReadonlyArray<{ id: string; phase: Phase; sections: readonly Section[] }>;

export type MethodStep = (typeof METHOD_STEPS)[number]['id'];

/** The step where the work of a phase starts. */
export function firstStepOf(phase: Phase): MethodStep {
  const step = METHOD_STEPS.find((candidate) => candidate.phase === phase);
  if (!step) throw new Error(`no step for the phase ${phase}`);
  return step.id;
}

/** The step's number as shown, from 1. */
export const stepNumber = (id: MethodStep): number => METHOD_STEPS.findIndex((step) => step.id === id) + 1;

/** The sections in the order of the method, as people read a plan. */
export const SECTIONS_IN_METHOD_ORDER: readonly Section[] = METHOD_STEPS.flatMap((step) => step.sections);

// Every section has its place in the method, and every phase its step.
if (SECTIONS_IN_METHOD_ORDER.length !== SECTIONS.length) throw new Error('a section is missing a step');
for (const phase of PHASES) firstStepOf(phase);

/** The step that holds a section. */
export function stepOfSection(section: Section): MethodStep {
  const step = METHOD_STEPS.find((candidate) => (candidate.sections as readonly Section[]).includes(section));
  if (!step) throw new Error(`no step holds the section ${section}`);
  return step.id;
}
