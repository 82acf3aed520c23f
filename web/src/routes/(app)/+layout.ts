import { loginHref } from '$lib/navigation';
import { error, redirect } from '@sveltejs/kit';
import type { LayoutLoad } from './$types';

/** Every page in here needs a signed-in user; anyone else goes to sign-in and comes back. */
export const load: LayoutLoad = async ({ parent, url }) => {
  const { me, sessionError } = await parent();
  // The server could not be reached or failed: say so, don't pretend the user is signed out.
  if (sessionError) error(sessionError.status >= 400 ? sessionError.status : 503, sessionError.title);
  if (!me) redirect(307, loginHref(`${url.pathname}${url.search}`));
  return { me };
};
