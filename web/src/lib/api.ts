/**
 * The one client of the Liaison API (`/api`). Every page loads and saves through it.
 * Types come from the server's own zod schemas, so the two can't drift apart.
 */
import { browser } from '$app/environment';
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import type { LoginInput, LoginResponseSchema, Me, UpdateMeSchema } from '$schemas/auth';
import type { Problem } from '$schemas/common';
import type { z } from 'zod';
import { isLoginPath, nextParam } from './navigation';

export type { LoginInput, Me };
export type LoginResponse = z.infer<typeof LoginResponseSchema>;
export type UpdateMeInput = z.input<typeof UpdateMeSchema>;
export type FieldError = NonNullable<Problem['errors']>[number];

/** An answer of the API that is not a success, read from its RFC 9457 problem+json body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** The HTTP status; 0 when the server could not be reached at all. */
  readonly status: number;
  /** The problem's stable `type` URI. */
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** Field errors of a validation problem; `path` names the field (e.g. `email`). */
  readonly fieldErrors: readonly FieldError[];
  /** Seconds to wait before trying again, from the `Retry-After` header (429, 503). */
  readonly retryAfter: number | undefined;

  constructor(problem: {
    status: number;
    type: string;
    title: string;
    detail?: string | undefined;
    fieldErrors?: readonly FieldError[];
    retryAfter?: number | undefined;
  }) {
    super(problem.detail ?? problem.title);
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.fieldErrors = problem.fieldErrors ?? [];
    this.retryAfter = problem.retryAfter;
  }

  /** The server's message for one field, if it has one. */
  fieldError(path: string): string | undefined {
    return this.fieldErrors.find((error) => error.path === path)?.message;
  }
}

/**
 * What a 401 means for this call: for most calls the session has expired, so we go to the sign-in
 * page; the sign-in call, the sign-out call and the session probe handle a 401 themselves.
 */
type On401 = 'expire-session' | 'throw';

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  on401?: On401;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) =>
    isRecord(item) && typeof item['path'] === 'string' && typeof item['message'] === 'string'
      ? [{ path: item['path'], message: item['message'] }]
      : [],
  );
}

/** `Retry-After` is either seconds or an HTTP date (RFC 9110, 10.2.3). */
function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function readProblem(response: Response): Promise<ApiError> {
  let body: unknown = null;
  if (/[/+]json\b/.test(response.headers.get('content-type') ?? '')) {
    try {
      body = await response.json();
    } catch {
      body = null;
    }
  }
  const problem = isRecord(body) ? body : {};
  return new ApiError({
    status: response.status,
    type: typeof problem['type'] === 'string' ? problem['type'] : 'about:blank',
    title:
      typeof problem['title'] === 'string'
        ? problem['title']
        : response.statusText || `HTTP ${response.status}`,
    detail: typeof problem['detail'] === 'string' ? problem['detail'] : undefined,
    fieldErrors: readFieldErrors(problem['errors']),
    retryAfter: parseRetryAfter(response.headers.get('retry-after')),
  });
}

let expiring = false;

/** The session has ended: send the user to the sign-in page, to come back here afterwards. */
function expireSession(): void {
  if (!browser || expiring || isLoginPath(location.pathname)) return;
  expiring = true;
  const here = `${location.pathname}${location.search}${location.hash}`;
  // invalidateAll: the layout asks /api/me again, so nothing of the old session stays on screen.
  void goto(resolve(`/login?next=${nextParam(here)}`), { replaceState: true, invalidateAll: true }).finally(
    () => {
      expiring = false;
    },
  );
}

async function request<T>(path: `/${string}`, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, on401 = 'expire-session' } = options;
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response: Response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch (cause) {
    const error = new ApiError({ status: 0, type: 'about:blank', title: 'Network error' });
    error.cause = cause;
    throw error;
  }

  if (!response.ok) {
    const error = await readProblem(response);
    if (response.status === 401 && on401 === 'expire-session') expireSession();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch (cause) {
    const error = new ApiError({ status: response.status, type: 'about:blank', title: 'Invalid response' });
    error.cause = cause;
    throw error;
  }
}

/** Whether an error is the API's answer with this status. */
export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

export const api = {
  /** Signs in; the server sets the session cookie. A 401 means a wrong email or password. */
  login: (input: LoginInput) =>
    request<LoginResponse>('/auth/login', { method: 'POST', body: input, on401: 'throw' }),

  /** Signs out. A 401 means we were already signed out, which is fine for the caller. */
  logout: () => request<void>('/auth/logout', { method: 'POST', on401: 'throw' }),

  /** The signed-in user, their organisation and their packed rules. */
  getMe: () => request<Me>('/me'),

  /** Like `getMe`, but `null` when nobody is signed in (for the layout, which serves the sign-in page too). */
  getSession: async (): Promise<Me | null> => {
    try {
      return await request<Me>('/me', { on401: 'throw' });
    } catch (error) {
      if (isApiError(error, 401)) return null;
      throw error;
    }
  },

  /** Saves the user's own settings (their language). */
  updateMe: (input: UpdateMeInput) => request<Me>('/me', { method: 'PATCH', body: input }),
};
