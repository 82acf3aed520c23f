import { api } from '$lib/api';
import { orError } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, depends }) => {
  depends('app:grants');
  const { plan } = await parent();
  const grants = plan ? await orError(api.listGrants(plan.id)) : { items: [] };
  return { grants: grants.items };
};
