import { api } from '$lib/api';
import { orError } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, depends }) => {
  depends('app:grants');
  const [grants, decisions] = await Promise.all([
    orError(api.listGrants(params.planId)),
    orError(api.listVisibilityDecisions(params.planId)),
  ]);
  return { grants: grants.items, decisions };
};
