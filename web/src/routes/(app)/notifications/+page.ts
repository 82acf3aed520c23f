import { api } from '$lib/api';
import { orError } from '$lib/load';
import type { PageLoad } from './$types';

const PAGE_SIZE = 25;

/** The signed-in user's notices, newest first; `?cursor=` pages back in time. */
export const load: PageLoad = async ({ url, depends }) => {
  depends('app:notifications');
  const cursor = url.searchParams.get('cursor') || undefined;
  const list = await orError(api.listNotifications({ limit: PAGE_SIZE, cursor }));
  return { list, cursor: cursor ?? null };
};
