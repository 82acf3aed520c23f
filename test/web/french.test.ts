import { describe, expect, it } from 'vitest';
import { createFormatters, elideFrench } from '../../web/src/lib/format.ts';

// Issue 15: "de Atelier Horizon" for "d'Atelier Horizon", "le 1 décembre" for "le 1er décembre".
describe('French as it is written', () => {
  it('elides « de » and « que » before a name that starts with a vowel or a mute h', () => {
    expect(elideFrench('Quelqu’un de Atelier Horizon')).toBe('Quelqu’un d’Atelier Horizon');
    expect(elideFrench('Le plan de Inès Martin, de Hélène et de Éric')).toBe(
      'Le plan d’Inès Martin, d’Hélène et d’Éric',
    );
    expect(elideFrench('Plus que Ousmane')).toBe('Plus qu’Ousmane');
  });

  it('leaves consonants, a Y, lower-case words and other words as they are', () => {
    for (const text of [
      'Le réseau de Karim',
      'La sœur de Yasmina',
      'Le plan de aucun',
      'Le tableau de Liaison',
      'Le monde entier',
    ])
      expect(elideFrench(text)).toBe(text);
  });

  it('writes the first of a month as « 1er », and other days as numbers', () => {
    const fr = createFormatters('fr');
    expect(fr.date('2026-12-01')).toBe('1er décembre 2026');
    expect(fr.date('2026-12-11')).toBe('11 décembre 2026');
    expect(fr.dayMonth('2026-03-01', new Date('2026-06-01T00:00:00Z'))).toBe('1er mars');
    expect(createFormatters('nl').date('2026-12-01')).toBe('1 december 2026');
  });
});
