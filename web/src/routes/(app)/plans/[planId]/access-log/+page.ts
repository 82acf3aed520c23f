import { api } from '$lib/api';
import { orError } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
  const log = await orError(api.accessLogLines(params.planId, { limit: 50 }));
  return { log };
};
