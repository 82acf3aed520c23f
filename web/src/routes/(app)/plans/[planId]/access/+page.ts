import { api } from '$lib/api';
import { orError } from '$lib/load';
import { membersOf } from '$lib/plan';
import type { PageLoad } from './$types';

/**
 * Access by letter: the client's (the default), or an informal supporter's with `?member=<id>`.
 * The supporter's state comes from the network the plan already holds.
 */
export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:client-access');
  const memberId = url.searchParams.get('member');
  if (memberId) {
    const { plan } = await parent();
    const member = membersOf(plan).find((m) => m.id === memberId && m.status === 'current') ?? null;
    return { memberId, member, clientAccess: null };
  }
  const clientAccess = await orError(api.getClientAccess(params.planId));
  return { memberId: null, member: null, clientAccess };
};
