import { COMMON_PASSWORDS } from './data/common-passwords.ts';

// The passphrase rule (issue 12): long enough, not a well-known password, not the person's own details.
// Deliberately no composition rules (digits, capitals, symbols): length is what makes a password hard to
// guess, and a rule that a client can be told in one sentence is one they can follow.

/** The fewest characters (Unicode code points) a password may have. */
export const PASSPHRASE_MIN_LENGTH = 10;

/** Why a password is refused: too short, a well-known password, or too close to the person's details. */
export type PassphraseRefusal = 'too-short' | 'common' | 'like-personal-details';

/** The details of the account that a password may not repeat; any of them may be missing. */
export interface PassphrasePerson {
  signInName?: string | null;
  email?: string | null;
  name?: string | null;
}

/** Details shorter than this are not compared: "Jo" would refuse too many good passwords. */
const MIN_DETAIL_LENGTH = 4;

let commonPasswords: ReadonlySet<string> | null = null;

function normalize(value: string): string {
  return value.normalize('NFC').toLowerCase();
}

/** Code points after NFC, so that an accent typed as a separate mark counts once, as it is seen. */
function lengthOf(value: string): number {
  return [...value.normalize('NFC')].length;
}

function isCommon(password: string): boolean {
  commonPasswords ??= new Set(COMMON_PASSWORDS.map(normalize));
  return commonPasswords.has(normalize(password));
}

/**
 * The details a password may not contain, lower case: the sign-in name, the e-mail address's local
 * part, the name (with and without its spaces) and each word of the name; only those of at least
 * 4 characters.
 */
function personalDetails(person: PassphrasePerson): string[] {
  const details: string[] = [];
  if (person.signInName) details.push(person.signInName);
  if (person.email) details.push(person.email.split('@')[0] ?? '');
  if (person.name) {
    const words = person.name.trim().split(/\s+/);
    details.push(person.name.trim(), words.join(''), ...words);
  }
  return details.map(normalize).filter((detail) => lengthOf(detail) >= MIN_DETAIL_LENGTH);
}

/**
 * Why a new password is refused, or `null` when it is accepted. Checked in this order:
 * - `too-short`: fewer than {@link PASSPHRASE_MIN_LENGTH} Unicode code points, counted after NFC
 *   normalization (an emoji counts once, so does an accented letter);
 * - `common`: in the list of common passwords (`policies/data/common-passwords.ts`), compared
 *   case-insensitively and as a whole (no stripping of digits or punctuation);
 * - `like-personal-details`: equal to or containing, case-insensitively, the sign-in name, the local
 *   part of the e-mail address, the name or a word of the name (each only when it has at least
 *   4 characters).
 *
 * Pure: used by the server before it stores a password and by the web app to explain a refusal
 * before the form is sent.
 */
export function passphraseRefusal(password: string, person: PassphrasePerson): PassphraseRefusal | null {
  if (lengthOf(password) < PASSPHRASE_MIN_LENGTH) return 'too-short';
  if (isCommon(password)) return 'common';
  const lowered = normalize(password);
  if (personalDetails(person).some((detail) => lowered.includes(detail))) return 'like-personal-details';
  return null;
}
