import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from '../../policies/data/common-passwords.ts';
import {
  PASSPHRASE_MIN_LENGTH,
  passphraseRefusal,
  type PassphrasePerson,
  type PassphraseRefusal,
} from '../../policies/passphrase.ts';

// The passphrase rule (issue 12): at least 10 characters, not a common password, not the person's
// own sign-in name, e-mail or name.

const anna: PassphrasePerson = {
  signInName: 'anna.peeters',
  email: 'anna.p@example.be',
  name: 'Anna Peeters',
};
const nobody: PassphrasePerson = {};

const cases: [string, string, PassphrasePerson, PassphraseRefusal | null][] = [
  ['empty', '', nobody, 'too-short'],
  ['9 characters', 'zonnebloe', nobody, 'too-short'],
  ['9 code points with an emoji (10 UTF-16 units)', 'zonnebl🌻m', nobody, 'too-short'],
  ['10 code points with emoji', '🌻🌻zonnebl🌻m', nobody, null],
  ['10 characters with accents', 'één café à', nobody, null],
  [
    'a decomposed accent counts once: 11 code points, 9 after NFC',
    'cafe\u0301cafe\u0301a',
    nobody,
    'too-short',
  ],
  ['10 characters with decomposed accents', 'cafe\u0301cafe\u0301ab', nobody, null],
  ['common (published list)', '1234567890', nobody, 'common'],
  ['common, case-insensitive', 'QwertyUiop', nobody, 'common'],
  ['common (published list, longer)', 'password123', nobody, 'common'],
  ['common Dutch (supplement)', 'Wachtwoord1', nobody, 'common'],
  ['common French (supplement)', 'motdepasse1', nobody, 'common'],
  ['common AZERTY row', 'azertyuiop', nobody, 'common'],
  ['common phrase', 'iloveyou12', nobody, 'common'],
  ['a common password inside a longer one is fine', 'azertyuiop-groene-fiets', nobody, null],
  ['equal to the sign-in name', 'anna.peeters', { signInName: 'Anna.Peeters' }, 'like-personal-details'],
  ['contains the sign-in name', 'ANNA.PEETERS!!', anna, 'like-personal-details'],
  ['contains the e-mail local part', 'x-anna.p-2026', anna, 'like-personal-details'],
  ['contains the name without spaces', 'annapeeters26', anna, 'like-personal-details'],
  ['contains the name', 'ik ben Anna Peeters', anna, 'like-personal-details'],
  ['contains a word of the name', 'peeters-fiets', anna, 'like-personal-details'],
  ['short details are not compared', 'Jo en de zee!', { name: 'Jo Li', signInName: 'jol' }, null],
  ['missing or null details', 'mijn groene fiets', { signInName: null, email: null, name: null }, null],
  ['accepted', 'mijn groene fiets', anna, null],
  ['accepted, French', 'le chat dort au soleil', anna, null],
];

describe('passphraseRefusal', () => {
  it.each(cases)('%s', (_label, password, person, expected) => {
    expect(passphraseRefusal(password, person)).toBe(expected);
  });

  it('asks for at least 10 characters', () => {
    expect(PASSPHRASE_MIN_LENGTH).toBe(10);
  });

  it('keeps only lower-case entries of at least 10 characters in its list', () => {
    expect(COMMON_PASSWORDS.length).toBeGreaterThan(1000);
    for (const entry of COMMON_PASSWORDS) {
      expect([...entry].length).toBeGreaterThanOrEqual(PASSPHRASE_MIN_LENGTH);
      expect(entry).toBe(entry.toLowerCase());
    }
  });

  it('refuses every entry of its list', () => {
    const accepted = COMMON_PASSWORDS.filter((entry) => passphraseRefusal(entry, nobody) !== 'common');
    expect(accepted).toEqual([]);
  });
});
