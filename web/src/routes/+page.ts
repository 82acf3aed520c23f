import { loginHref } from '$lib/navigation';
import { error, redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, url }) => {
  const { me, sessionError } = await parent();
  // The server could not be reached or failed: say so, don't pretend the user is signed out.
  if (sessionError) error(sessionError.status >= 400 ? sessionError.status : 503, sessionError.title);
  if (!me) redirect(307, loginHref(`${url.pathname}${url.search}`));
  return { me };
};
