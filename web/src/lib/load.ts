import { ApiError } from '$lib/api';
import { error } from '@sveltejs/kit';

/**
 * Awaits a load through the API; a failure becomes the error page with its status (404 for a
 * plan that does not exist or is not shared, 503 when the server cannot be reached).
 */
export async function orError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (cause) {
    if (cause instanceof ApiError) error(cause.status >= 400 ? cause.status : 503, cause.title);
    throw cause;
  }
}
