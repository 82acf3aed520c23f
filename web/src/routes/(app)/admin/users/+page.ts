import { api } from '$lib/api';
import { orError } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:users');
  const users = await orError(api.listUsers({ limit: 200 }));
  return { users };
};
