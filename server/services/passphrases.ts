import { PASSPHRASE_MIN_LENGTH, passphraseRefusal } from '../../policies/passphrase.ts';
import { Unprocessable } from '../errors.ts';

const REFUSALS = {
  'too-short': `Choose a password of at least ${PASSPHRASE_MIN_LENGTH} characters: a few words you remember are good.`,
  common: 'This password is one many people use, so it is easy to guess. Choose another one.',
  'like-personal-details': 'Your password should not contain your name, sign-in name or e-mail address.',
} as const;

/** Refuses a new password the passphrase rule refuses (policies/passphrase.ts), saying why. */
export function assertPassphrase(
  password: string,
  person: { signInName?: string | null; email?: string | null; name?: string | null },
): void {
  const refusal = passphraseRefusal(password, person);
  if (refusal) throw new Unprocessable(`weak-password`, 'Choose another password', REFUSALS[refusal]);
}
