import { describe, expect, it } from 'vitest';
import { expandSearchWords, termKey } from '../../db/directory/thesaurus/index.ts';
import { WELFARE_TERMS } from '../../db/directory/thesaurus/welfare-terms.ts';
import { searchWords } from '../../db/queries/organizations.ts';

describe('the thesaurus of the directory', () => {
  it('holds at least 150 concepts, each with Dutch, French and English terms', () => {
    expect(WELFARE_TERMS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(WELFARE_TERMS.map((c) => c.id)).size).toBe(WELFARE_TERMS.length);
    for (const concept of WELFARE_TERMS) {
      for (const language of ['nl', 'fr', 'en'] as const) {
        expect(concept[language].length, `${concept.id}.${language}`).toBeGreaterThan(0);
        for (const term of concept[language]) expect(termKey(term), `${concept.id}: "${term}"`).not.toBe('');
      }
    }
  });

  it('puts no term in two concepts', () => {
    const holder = new Map<string, string>();
    const twice: string[] = [];
    for (const concept of WELFARE_TERMS) {
      for (const key of new Set([...concept.nl, ...concept.fr, ...concept.en].map(termKey))) {
        const other = holder.get(key);
        if (other) twice.push(`"${key}": ${other} and ${concept.id}`);
        holder.set(key, concept.id);
      }
    }
    expect(twice).toEqual([]);
  });

  it('covers the words of the issue and of the field', () => {
    const conceptOf = (word: string) => expandSearchWords(searchWords(word)).flatMap((g) => g.concepts);
    const same: Array<[string, ...string[]]> = [
      ['housing', 'wonen', 'huisvesting', 'logement'],
      ['homeless', 'dakloos', 'daklozen', 'thuislozen', 'sans-abri', 'SDF', 'sans domicile fixe'],
      ['loneliness', 'eenzaamheid', 'vereenzaming', 'solitude', 'isolement'],
      ['psychiatrist', 'psychiater', 'psychiatre', 'psychiatrie'],
      ['debt', 'schulden', 'dettes', 'surendettement'],
      ['job coach', 'jobcoaching', 'jobcoach', "accompagnement à l'emploi", 'beschutte werkplaats', 'ETA'],
      ['social worker', 'maatschappelijk werker', 'assistant social', 'assistante sociale'],
      ['OCMW', 'CPAS'],
      ['ziekenfonds', 'mutualité', 'mutuelle'],
    ];
    for (const [first, ...others] of same) {
      const concepts = conceptOf(first);
      expect(concepts, first).toHaveLength(1);
      for (const other of others) expect(conceptOf(other), other).toEqual(concepts);
    }
  });

  it('groups the longest run of words that is a term, and leaves other words as typed', () => {
    const groups = expandSearchWords(searchWords("accompagnement à l'emploi Anderlecht"));
    expect(groups.map((g) => [g.words.join(' '), g.concepts])).toEqual([
      ['accompagnement à l emploi', ['job_coaching']],
      ['Anderlecht', []],
    ]);
    expect(groups[0]?.nl).toContain('jobcoaching');
    expect(groups[0]?.fr).toContain('entreprise de travail adapté');
    // A plural the thesaurus does not list is found through the singular.
    expect(expandSearchWords(['mediatheken']).flatMap((g) => g.concepts)).toEqual([]);
    expect(expandSearchWords(['psychiatres']).flatMap((g) => g.concepts)).toEqual(['psychiatry']);
    expect(expandSearchWords(['dagcentrums']).flatMap((g) => g.concepts)).toEqual(['day_centre']);
  });
});
