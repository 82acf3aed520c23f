import { resolve } from '$app/paths';
import type { ResolvedPathname } from '$app/types';

// A base that can never be this site, so that anything resolving elsewhere is caught.
const PROBE_ORIGIN = 'https://liaison.invalid';

/** Whether a pathname is the sign-in page. */
export function isLoginPath(pathname: string): boolean {
  return pathname === resolve('/login');
}

/**
 * Where to go after signing in. Only a path on this site is accepted (no `//host`, no `https://…`,
 * no tricks with backslashes or tabs): anything else goes home, so `next` can't be an open redirect.
 */
export function safeNext(raw: string | null | undefined): ResolvedPathname {
  const home = resolve('/');
  if (!raw || !raw.startsWith('/')) return home;
  let url: URL;
  try {
    url = new URL(raw, PROBE_ORIGIN);
  } catch {
    return home;
  }
  if (url.origin !== PROBE_ORIGIN || isLoginPath(url.pathname)) return home;
  // Checked above: a pathname (with its search and hash) on this origin.
  return `${url.pathname}${url.search}${url.hash}` as ResolvedPathname;
}

/** The `next` parameter for a path to come back to. Slashes stay readable: `?next=/plans`. */
export function nextParam(path: string): string {
  return encodeURIComponent(safeNext(path)).replace(/%2F/gi, '/');
}

/** The sign-in page, with the path to come back to afterwards (`/login?next=/plans`). */
export function loginHref(next: string): ResolvedPathname {
  return resolve(`/login?next=${nextParam(next)}`);
}

/** `a=1&b=2` from the values that are set (trimmed), for a page's own search parameters. */
export function searchString(params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    const trimmed = value?.trim();
    if (trimmed) search.set(key, trimmed);
  }
  return search.toString();
}
