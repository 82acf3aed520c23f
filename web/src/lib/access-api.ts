/**
 * The calls of access by letter (issue 12): the client's access, letters, activation. They belong
 * in `api.ts`, the one client of `/api`, and move there once its other open changes are in; until
 * then this file answers with the same `ApiError`, so that pages treat failures the same way.
 */
import { browser } from '$app/environment';
import { goto } from '$app/navigation';
import type { AccessLetterSchema, ClientAccessSchema, SignedInSchema } from '$domain/schemas/accounts';
import type { Locale } from '$domain/vocabularies';
import type { z } from 'zod';
import { ApiError } from './api';
import { loginHref } from './navigation';

export type ClientAccess = z.infer<typeof ClientAccessSchema>;
export type AccessLetter = z.infer<typeof AccessLetterSchema>;
export type SignedIn = z.infer<typeof SignedInSchema>;

function retryAfterOf(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function problemOf(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = await response.json();
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // No problem+json body: the status says enough.
  }
  const text = (key: string) => (typeof body[key] === 'string' ? body[key] : undefined);
  const errors = Array.isArray(body['errors']) ? (body['errors'] as unknown[]) : [];
  return new ApiError({
    status: response.status,
    type: text('type') ?? 'about:blank',
    title: text('title') ?? `HTTP ${response.status}`,
    detail: text('detail'),
    fieldErrors: errors.flatMap((item) => {
      const error = item as Record<string, unknown> | null;
      return typeof error?.['path'] === 'string' && typeof error['message'] === 'string'
        ? [{ path: error['path'], message: error['message'] }]
        : [];
    }),
    retryAfter: retryAfterOf(response.headers.get('retry-after')),
  });
}

/** `signedIn`: a 401 means the session ended, so the user goes to sign in and comes back here. */
async function send<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: `/${string}`,
  options: { body?: unknown; signedIn?: boolean } = {},
): Promise<T> {
  const { body, signedIn = true } = options;
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    const error = new ApiError({ status: 0, type: 'about:blank', title: 'Network error' });
    error.cause = cause;
    throw error;
  }
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 401 && signedIn && browser)
      // loginHref() returns a resolved path; without type information the rule can't see that.
      // eslint-disable-next-line svelte/no-navigation-without-resolve
      void goto(loginHref(`${location.pathname}${location.search}`), { invalidateAll: true });
    throw error;
  }
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

const plan = (planId: string) => `/plans/${encodeURIComponent(planId)}` as const;

export const accessApi = {
  /** The client's account and their last letter (lead and co-leads). */
  getClientAccess: (planId: string) => send<ClientAccess>('GET', `${plan(planId)}/client-access`),

  /** A new letter for the client: the code is in this answer only. Ends an earlier code, password and sessions. */
  issueClientLetter: (planId: string, locale?: Locale) =>
    send<AccessLetter>('POST', `${plan(planId)}/client-access`, { body: locale ? { locale } : {} }),

  /** Ends the client's open letter (a lost letter). */
  revokeClientLetter: (planId: string) => send<void>('DELETE', `${plan(planId)}/client-access/letter`),

  /** A letter for an informal supporter of the network. */
  issueSupporterLetter: (planId: string, memberId: string, locale?: Locale) =>
    send<AccessLetter>('POST', `${plan(planId)}/members/${encodeURIComponent(memberId)}/access-letter`, {
      body: locale ? { locale } : {},
    }),

  /** Activates an account with the sign-in name and code of a letter; signs the person in. */
  activate: (input: { signInName: string; code: string; password: string }) =>
    send<SignedIn>('POST', '/activate', { body: input, signedIn: false }),
};
