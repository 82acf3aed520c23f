import { describe, expect, it } from 'vitest';
import { linesOf, splitPhones } from '../../web/src/lib/phones.ts';

// The client's crisis plan and agreements are free text written by the lead: each phone number in
// them becomes a link to call, and each sentence a line of its own.

describe('phone numbers in a text', () => {
  it('finds Belgian and international numbers, and 112', () => {
    const parts = splitPhones(
      'Léa +32 2 555 01 12. Yasmina 0470/55.09.87, la nuit 02-555-03-00. En danger : 112.',
    );
    expect(parts.filter((p) => p.tel).map((p) => p.tel)).toEqual([
      '+3225550112',
      '0470550987',
      '025550300',
      '112',
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(
      'Léa +32 2 555 01 12. Yasmina 0470/55.09.87, la nuit 02-555-03-00. En danger : 112.',
    );
  });

  it('leaves dates, times, amounts and house numbers alone', () => {
    const text = 'Le 01.02.2026 de 9 à 17 h, 1.200 €, rue Haute 112b, 1120 Bruxelles, 18h–9h.';
    expect(splitPhones(text)).toEqual([{ text }]);
  });
});

describe('lines of a text', () => {
  it('puts each sentence and each list item on a line of its own, without the list marks', () => {
    expect(linesOf('1. Léa plant het bezoek.\n2. Nora kijkt. Dan beslist Karim.\n- Samuel belt')).toEqual([
      'Léa plant het bezoek.',
      'Nora kijkt.',
      'Dan beslist Karim.',
      'Samuel belt',
    ]);
    expect(linesOf('')).toEqual([]);
  });
});
