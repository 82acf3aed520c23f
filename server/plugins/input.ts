import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { BadRequest, UnsupportedMediaType } from '../errors.ts';

// What reaches a schema, a service or a statement is Unicode text without U+0000 (PostgreSQL
// stores neither NUL nor lone surrogates, and bytes that are not UTF-8 must not become U+FFFD).
// Checked here once for every route, on the text as received: the JSON body as it is parsed,
// every query string and path parameter before validation.

const NOT_TEXT = 'must be Unicode text without NUL characters';

/** Whether a string is Unicode (no lone surrogate) without U+0000. */
function isCleanText(text: string): boolean {
  return !text.includes('\u0000') && !/\p{Cs}/u.test(text);
}

/** Whether every key and string of a parsed JSON value is clean text (iterative: depth is the sender's). */
function isCleanJson(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (!isCleanText(next)) return false;
    } else if (Array.isArray(next)) {
      for (const item of next as unknown[]) pending.push(item);
    } else if (next !== null && typeof next === 'object') {
      for (const [key, item] of Object.entries(next)) {
        if (!isCleanText(key)) return false;
        pending.push(item);
      }
    }
  }
  return true;
}

/** Whether a raw query string is valid percent-encoded UTF-8 whose every part is clean text. */
function isCleanQuery(query: string): boolean {
  for (const part of query.split('&')) {
    let decoded: string;
    try {
      // Strict: a malformed escape or bytes that are not UTF-8 throw (URLSearchParams would say U+FFFD).
      decoded = decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return false;
    }
    if (!isCleanText(decoded)) return false;
  }
  return true;
}

/** The `charset` parameter of a Content-Type, lower case, without quotes; null when there is none. */
function charsetOf(contentType: string | undefined): string | null {
  for (const parameter of (contentType ?? '').split(';').slice(1)) {
    const [name = '', value = ''] = parameter.split('=', 2).map((s) => s.trim());
    if (name.toLowerCase() === 'charset') return value.replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return null;
}

/** JSON is UTF-8 (RFC 8259 §8.1); US-ASCII is a subset of it. */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Input as text, for the whole app: JSON bodies are decoded as strict UTF-8 (415 for another
 * declared charset, 400 for bytes that are not UTF-8) and refused with 400 when a key or string
 * holds U+0000 or a lone surrogate; query strings and path parameters under /api likewise, before
 * validation.
 */
export default fp(
  async function inputPlugin(app) {
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      const charset = charsetOf(request.headers['content-type']);
      if (charset !== null && !UTF8_CHARSETS.has(charset))
        return done(new UnsupportedMediaType('Send JSON as UTF-8 (charset=utf-8).'), undefined);
      let text: string;
      try {
        text = utf8.decode(body as Buffer);
      } catch {
        return done(new BadRequest(`The body is not UTF-8: it ${NOT_TEXT}; nothing was changed.`), undefined);
      }
      // Fastify's own JSON parser (prototype-poisoning checks, its 400s), on the decoded text; it is synchronous.
      void parseJson(request, text, (error, value) => {
        if (error) return done(error, undefined);
        if (!isCleanJson(value))
          return done(new BadRequest(`Every text field ${NOT_TEXT}; nothing was changed.`), undefined);
        done(null, value);
      });
    });

    app.addHook('preValidation', async (request: FastifyRequest) => {
      const url = request.raw.url ?? '';
      // The web app's pages read their own query in the browser: what they are served never depends on it.
      if (!/^\/api(?:[/?]|$)/.test(url)) return;
      const start = url.indexOf('?');
      if (start !== -1 && !isCleanQuery(url.slice(start + 1)))
        throw new BadRequest(`The query is not valid: it ${NOT_TEXT}, percent-encoded as UTF-8.`);
      const params = (request.params ?? {}) as Record<string, unknown>;
      if (Object.values(params).some((value) => typeof value === 'string' && !isCleanText(value)))
        throw new BadRequest(`The address is not valid: it ${NOT_TEXT}.`);
    });
  },
  { name: 'input', dependencies: ['errors'] },
);
