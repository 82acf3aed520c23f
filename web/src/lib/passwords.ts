import { isApiError, problemSlug } from '$lib/api';
import { passphraseRefusal, type PassphrasePerson } from '$policies/passphrase';

/** Message keys (account.json) for the two fields of a new password. */
export interface NewPasswordErrors {
  password: string | null;
  repeat: string | null;
}

/**
 * Checks a new password with the same rule as the server (policies/passphrase.ts), so that the
 * reason is told in the person's language before anything is sent; the server still decides.
 */
export function newPasswordErrors(
  password: string,
  repeat: string,
  person: PassphrasePerson = {},
): NewPasswordErrors {
  if (!password) return { password: 'account.password.errors.required', repeat: null };
  const refusal = passphraseRefusal(password, person);
  if (refusal) return { password: `account.password.errors.${refusal}`, repeat: null };
  if (repeat !== password) return { password: null, repeat: 'account.password.errors.repeat' };
  return { password: null, repeat: null };
}

/**
 * The reason for the server's `weak-password` answer, in words. The server knows details of the
 * account that a public page does not (its name, its e-mail address): when our own check finds
 * nothing, that is what it refused.
 */
export function weakPasswordKey(
  error: unknown,
  password: string,
  person: PassphrasePerson = {},
): string | null {
  if (!isApiError(error, 422) || problemSlug(error) !== 'weak-password') return null;
  const refusal = passphraseRefusal(password, person) ?? 'like-personal-details';
  return `account.password.errors.${refusal}`;
}
