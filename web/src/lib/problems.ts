import { isApiError, problemSlug } from '$lib/api';

/** Problems the API names by a stable type and that have their own message in every language. */
const KNOWN_SLUGS = new Set([
  'phase-needs-clarified-question',
  'phase-needs-goal',
  'phase-needs-action',
  'phase-step',
  'not-secrecy-bound',
  'past-member',
  'member-without-account',
  'lead-member',
  'invalid-period',
  'unknown-member',
  'unknown-goal',
  'co-lead',
  'ended-on-current',
  'self-disable',
  'organization-mismatch',
  'unknown-user',
  'not-a-professional',
  'unknown-organization',
]);

/** How a failure is told to the user: a message key, and the server's own words when we have no better. */
export interface ProblemView {
  key: string;
  values?: Record<string, string | number>;
  /** The server's detail (in English), shown only when no message of our own fits. */
  detail?: string | undefined;
  /** Someone else changed it: offer to reload. */
  stale: boolean;
}

/** The message for a failed call. */
export function describeProblem(error: unknown): ProblemView {
  if (!isApiError(error)) return { key: 'problem.unknown', stale: false };
  const slug = problemSlug(error);
  if (error.status === 0) return { key: 'problem.network', stale: false };
  if (error.status === 412 || error.status === 428) return { key: 'problem.stale', stale: true };
  if (KNOWN_SLUGS.has(slug)) return { key: `problem.slug.${slug}`, stale: false };
  switch (error.status) {
    case 400:
      return { key: 'problem.invalid', detail: error.fieldErrors[0]?.message ?? error.detail, stale: false };
    case 403:
      return { key: 'problem.forbidden', stale: false };
    case 404:
      return { key: 'problem.notFound', stale: false };
    case 409:
      return { key: 'problem.conflict', detail: error.detail, stale: false };
    case 422:
      return { key: 'problem.invalid', detail: error.detail, stale: false };
    case 429:
      return { key: 'problem.tooMany', stale: false };
    default:
      return { key: 'problem.server', stale: false };
  }
}
