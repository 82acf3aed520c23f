import { describe, expect, it } from 'vitest';
import { elideFrench, frenchFirstOfMonth } from '../../domain/french.ts';

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

  it('writes the first of a month as « 1er », and other days as numbers (web dates and printed plans)', () => {
    const long = (date: string) =>
      new Intl.DateTimeFormat('fr-BE', { dateStyle: 'long', timeZone: 'UTC' }).format(
        new Date(`${date}T00:00:00Z`),
      );
    expect(frenchFirstOfMonth(long('2026-12-01'))).toBe('1er décembre 2026');
    expect(frenchFirstOfMonth(long('2026-12-11'))).toBe('11 décembre 2026');
    expect(frenchFirstOfMonth(long('2026-12-01').replaceAll(' ', '\u00a0'))).toBe(
      '1er\u00a0décembre\u00a02026',
    );
    expect(frenchFirstOfMonth('1 mars')).toBe('1er mars');
  });
});
