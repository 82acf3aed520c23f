import { api } from '$lib/api';
import { orError } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, depends }) => {
  depends('app:grants');
  const grants = await orError(api.listGrants(params.planId));
  return { grants: grants.items };
};
