import { api, isApiError, type InvitationDetails } from '$lib/api';
import { applyLocale } from '$lib/i18n';
import type { PageLoad } from './$types';

/**
 * What the invitation is for. A link that does not work (wrong, expired, used, revoked) gets one
 * kind message: the page says so instead of an error page.
 */
export const load: PageLoad = async ({ params, parent }) => {
  const { me } = await parent();
  let invitation: InvitationDetails | null = null;
  let failure: unknown = null;
  try {
    invitation = await api.getInvitation(params.token);
    // The language the inviter chose for them, unless they are signed in with their own.
    if (!me) applyLocale(invitation.locale);
  } catch (error) {
    if (!isApiError(error, 400)) failure = error;
  }
  return { token: params.token, invitation, failure };
};
