import { api } from '$lib/api';
import { orError } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
  const { plan } = await parent();
  const log = plan ? await orError(api.accessLogLines(plan.id, { limit: 50 })) : null;
  return { log };
};
