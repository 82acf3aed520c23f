import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PHASES } from '../../domain/vocabularies.ts';
import { PLAN_PDF_TEXTS } from '../../server/exports/plan-pdf-texts.ts';
import { firstStepOf, METHOD_STEPS } from '../../domain/method.ts';

// Issue 15: "the 7 phases and the 7 numbered sections have different names". One name per step of
// the method: the stepper, the plan's sections, the phase badge and the printed plan say the same.

const LOCALES = ['nl', 'fr', 'en'] as const;
const messages = (locale: string, area: string) =>
  JSON.parse(
    readFileSync(new URL(`../../web/src/lib/i18n/${locale}/${area}.json`, import.meta.url), 'utf8'),
  ) as {
    step: Record<string, { title: string; intro: string }>;
    phase: Record<string, string>;
  };

describe('the steps of the method', () => {
  it('follow DESIGN.md in order, each phase starting at its own step', () => {
    expect(METHOD_STEPS.map((step) => step.id)).toEqual([
      'registration',
      'request',
      'goals',
      'approach',
      'partners',
      'meetings',
      'evaluation',
      'closure',
    ]);
    // The phases come in the order of their steps, and none is left without one.
    const phasesInStepOrder = [...new Set(METHOD_STEPS.map((step) => step.phase))];
    expect(phasesInStepOrder).toEqual([...PHASES]);
    expect(PHASES.map(firstStepOf)).toEqual([
      'registration',
      'request',
      'goals',
      'approach',
      'partners',
      'evaluation',
      'closure',
    ]);
  });

  for (const locale of LOCALES) {
    it(`carry one name each in ${locale}: a phase is named as its step, on the page and on paper`, () => {
      const { step } = messages(locale, 'plan');
      const { phase } = messages(locale, 'common');
      const titles = METHOD_STEPS.map((s) => step[s.id]?.title);
      expect(new Set(titles).size).toBe(METHOD_STEPS.length);
      for (const title of titles) expect(title).toMatch(/\S/);
      for (const p of PHASES) {
        const steps = METHOD_STEPS.filter((s) => s.phase === p);
        // A phase of one step carries that step's name; the phase of two names both of them.
        if (steps.length === 1) expect(phase[p]).toBe(step[steps[0]?.id ?? '']?.title);
        else expect(steps.length).toBe(2);
      }
      expect(PLAN_PDF_TEXTS[locale].phase).toEqual(phase);
    });
  }
});
