import type { AppConfig } from '../config.ts';

export type LinkConfig = Pick<AppConfig, 'PUBLIC_URL' | 'HOST' | 'PORT'>;

/** Absolute links to pages of the web app, for e-mails and access letters. */
export interface PublicUrls {
  /** The base, without a trailing slash: `https://liaison.example` or `http://127.0.0.1:3000`. */
  base: string;
  /** Any page: `to('/plans', { tab: 'goals' })` → `${base}/plans?tab=goals`. */
  to(pathname: `/${string}`, query?: Record<string, string>): string;
  /** `${base}/invitation/<token>` */
  invitation(token: string): string;
  /** `${base}/reset-password/<token>` */
  passwordReset(token: string): string;
  /** `${base}/activate?…`, e.g. `activation({ login, code })`. */
  activation(query?: Record<string, string>): string;
}

/** The host part of a listening address as a URL wants it. */
function hostForUrl(host: string): string {
  // Listening on every address: links still need one that people reach, and this one is local.
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The base of links in e-mails: `PUBLIC_URL`, else the address the server listens on. */
function publicBaseOf(config: LinkConfig): string {
  return config.PUBLIC_URL ?? `http://${hostForUrl(config.HOST)}:${config.PORT}`;
}

/** Builds absolute links from the configuration (`PUBLIC_URL`, else `http://HOST:PORT`). */
export function publicUrlOf(config: LinkConfig): PublicUrls {
  const base = publicBaseOf(config);
  const to = (pathname: `/${string}`, query: Record<string, string> = {}) => {
    const search = new URLSearchParams(query).toString();
    return `${base}${pathname}${search ? `?${search}` : ''}`;
  };
  return {
    base,
    to,
    invitation: (token) => to(`/invitation/${encodeURIComponent(token)}`),
    passwordReset: (token) => to(`/reset-password/${encodeURIComponent(token)}`),
    activation: (query = {}) => to('/activate', query),
  };
}
