import { resolve } from '$app/paths';
import { redirect } from '@sveltejs/kit';
import { api } from '$lib/api';
import { orError } from '$lib/load';
import type { LayoutLoad } from './$types';

/**
 * The client's own plan: the open one if there is one, else the latest. These pages speak to a
 * client ("ask your support worker"): anyone else goes to their own start page.
 */
export const load: LayoutLoad = async ({ depends, parent }) => {
  const { me } = await parent();
  if (me.user.kind !== 'client') redirect(307, resolve('/'));
  depends('app:plan');
  const plans = await orError(api.listPlans({ limit: 100 }));
  const own = plans.items.filter((p) => p.myRole === 'client');
  const chosen = own.find((p) => p.closedAt === null) ?? own[0] ?? null;
  const plan = chosen ? await orError(api.getPlan(chosen.id)) : null;
  return { plan };
};
