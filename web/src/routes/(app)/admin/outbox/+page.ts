import { api, isApiError, type OutboxMessage } from '$lib/api';
import { orError } from '$lib/load';
import type { PageLoad } from './$types';

const PAGE_SIZE = 50;

/** One message, or null when the address names none (it was removed, or the name is wrong). */
async function messageOf(id: string | null): Promise<OutboxMessage | null> {
  if (!id) return null;
  try {
    return await api.getOutboxMessage(id);
  } catch (error) {
    if (isApiError(error, 404) || isApiError(error, 400)) return null;
    throw error;
  }
}

/** The outbox page: `?cursor=` pages back in time, `?message=` opens one message. */
export const load: PageLoad = async ({ url, depends }) => {
  depends('app:outbox');
  const cursor = url.searchParams.get('cursor') || undefined;
  const messageId = url.searchParams.get('message');
  const [outbox, message] = await orError(
    Promise.all([api.listOutbox({ limit: PAGE_SIZE, cursor }), messageOf(messageId)]),
  );
  return { outbox, message, messageId, cursor: cursor ?? null };
};
