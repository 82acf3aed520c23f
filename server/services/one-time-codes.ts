import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { AccessCodePurpose } from '../../domain/vocabularies.ts';

// The codes of access letters and the tokens of e-mailed links. Only their digest is stored: a
// database read never gives a working code.

/** Letters people do not confuse when they type from paper: no 0/O, 1/I/L, 2/Z, 5/S, 8/B. */
const CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
const CODE_LENGTH = 12;

/** How long each kind of code or link works (DESIGN.md, "Accounts"; issue 12). */
export const CODE_LIFETIME_MS: Record<AccessCodePurpose, number> = {
  activation: 14 * 24 * 3600 * 1000,
  invitation: 7 * 24 * 3600 * 1000,
  password_reset: 3600 * 1000,
};

/** Wrong codes typed for one letter before it is blocked (the lead prints a new one). */
export const MAX_WRONG_CODES_PER_LETTER = 20;

/** A new activation code, grouped for reading: `K7QM-4RTA-9XPW` (about 56 bits). */
export function newActivationCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return [0, 4, 8].map((start) => chars.slice(start, start + 4).join('')).join('-');
}

/** A code as typed, compared without case, spaces or dashes. */
function normalizeActivationCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/** A new token for an e-mailed link (256 bits, base64url). */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a code or token: its SHA-256, bound to its purpose. */
export function digestOf(purpose: AccessCodePurpose, code: string): string {
  const normalized = purpose === 'activation' ? normalizeActivationCode(code) : code;
  return createHash('sha256').update(`${purpose}:${normalized}`).digest('hex');
}

/** A sign-in name from a first name: `karim-4821`, ASCII letters only, easy to type. */
export function candidateSignInName(firstName: string): string {
  const base =
    firstName
      .normalize('NFKD')
      .replace(/[^\p{Letter}]/gu, '')
      .replace(/[^a-zA-Z]/g, '')
      .toLowerCase()
      .slice(0, 16) || 'liaison';
  return `${base}-${randomInt(1000, 10000)}`;
}
