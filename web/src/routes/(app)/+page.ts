import { resolve } from '$app/paths';
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

/** Home is where each kind of user works: their plans, their own plan, or their organisation's users. */
export const load: PageLoad = async ({ parent }) => {
  const { me } = await parent();
  if (me.user.kind === 'client') redirect(307, resolve('/my'));
  if (me.user.kind === 'admin') redirect(307, resolve('/admin/users'));
  redirect(307, resolve('/plans'));
};
