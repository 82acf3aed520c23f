import { api } from '$lib/api';
import { orError } from '$lib/load';
import type { LayoutLoad } from './$types';

/** The plan as the user may see it; every change in its pages invalidates `app:plan`. */
export const load: LayoutLoad = async ({ params, depends }) => {
  depends('app:plan');
  const plan = await orError(api.getPlan(params.planId));
  return { plan };
};
