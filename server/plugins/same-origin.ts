import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from '../errors.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A request another site made a browser send. */
class CrossSite extends HttpProblem {
  constructor() {
    super(
      403,
      'cross-site',
      'Cross-site request refused',
      'This request came from another site. Open Liaison itself and try again there.',
    );
  }
}

/** The first value of a header that may be repeated. */
function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Whether `Origin` names the host the request was sent to (`request.host`: X-Forwarded-Host only
 * when TRUST_PROXY says the proxy is trusted). The port a scheme implies is compared as absent.
 */
function isSameHost(origin: string, request: FastifyRequest): boolean {
  try {
    const from = new URL(origin);
    if (from.protocol !== 'http:' && from.protocol !== 'https:') return false;
    return from.host === new URL(`${from.protocol}//${request.host}`).host;
  } catch {
    return false;
  }
}

/**
 * What a browser says about where a request comes from: `Sec-Fetch-Site` (same-origin, or `none`
 * for what the person typed) and `Origin` (this very host). A request that says neither (curl, an
 * API client) is not from a browser page and passes.
 */
export function isCrossSite(request: FastifyRequest): boolean {
  const site = headerOf(request, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = headerOf(request, 'origin');
  return origin !== undefined && !isSameHost(origin, request);
}

/**
 * Cross-site request forgery, refused (issue 16, finding 9): a state-changing request a browser
 * sends on its own, i.e. without an `Authorization` header (a page of another site cannot add one
 * without CORS, which Liaison does not allow), must come from Liaison's own pages. That covers
 * every write authenticated by the session cookie, and the public POSTs that set that cookie
 * (sign-in, activation, accepting an invitation: login CSRF). The SameSite=Strict cookie is the
 * first wall; this is the second, for browsers and subdomains where SameSite falls short.
 */
export default fp(
  async function sameOriginPlugin(app) {
    app.addHook('onRequest', async (request) => {
      if (!STATE_CHANGING.has(request.method)) return;
      if (request.headers.authorization !== undefined) return;
      if (isCrossSite(request)) throw new CrossSite();
    });
  },
  { name: 'same-origin' },
);
