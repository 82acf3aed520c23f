import { api } from '$lib/api';
import { orError } from '$lib/load';
import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

/** The admin's own organisation's directory entry, with its version (for If-Match). */
export const load: PageLoad = async ({ parent, depends }) => {
  depends('app:organization');
  const { me } = await parent();
  if (me.user.kind !== 'admin' || !me.organization) error(403, 'Only organisation admins edit the entry.');
  const organization = await orError(api.getOrganization(me.organization.id));
  return { organization };
};
