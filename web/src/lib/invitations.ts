import { isApiError, problemSlug } from '$lib/api';

// Inviting someone by e-mail, from the network or from add and share: the same checks and the same
// refusals told at their field, in the person's language.

/** Something simple on purpose: the server decides; this only catches typing slips early. */
export const looksLikeEmail = (text: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);

/** A refusal of the invitation that belongs to one of its fields: the field and its message key. */
export interface InvitationFieldRefusal {
  field: 'email' | 'statedProfession';
  key: 'invite.errors.hasAdmin' | 'invite.errors.accountExists' | 'invite.errors.email';
}

/**
 * Which field a refused invitation is about, if any: the organisation confirms secrecy itself (its
 * admin), the address has an account already (`emailTakenMeansAccount`: not when the invitation
 * links an existing member), or the server did not take the address.
 */
export function invitationFieldRefusal(
  error: unknown,
  emailTakenMeansAccount: boolean,
): InvitationFieldRefusal | null {
  if (!isApiError(error)) return null;
  if (problemSlug(error) === 'organization-has-admin')
    return { field: 'statedProfession', key: 'invite.errors.hasAdmin' };
  if (error.status === 409 && emailTakenMeansAccount)
    return { field: 'email', key: 'invite.errors.accountExists' };
  if (error.status === 400 && error.fieldError('email') !== undefined)
    return { field: 'email', key: 'invite.errors.email' };
  return null;
}
