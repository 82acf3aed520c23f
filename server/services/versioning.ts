import type { FastifyReply } from 'fastify';
import { BadRequest, PreconditionFailed, PreconditionRequired } from '../errors.ts';

/** A row's version as its entity tag (a strong validator), as sent in ETag and expected in If-Match. */
export const etagOf = (version: number) => `"${version}"`;

/** Sends a row's version as its ETag, so that the next write can send it back in If-Match. */
export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', etagOf(version));
}

/** One entity-tag of a list (RFC 9110 §8.8.3: `W/`? DQUOTE *etagc DQUOTE), and the comma after it. */
const ENTITY_TAG = /[ \t]*((?:W\/)?"[\x21\x23-\x7e\x80-\xff]*")[ \t]*(?:,|$)/y;

/**
 * The condition of an `If-Match` header (RFC 9110 §13.1.1): `*`, or the entity tags it lists.
 * 428 when it is missing (nothing is written without it), 400 when it is neither.
 */
export function parseIfMatch(header: string | string[] | undefined): '*' | string[] {
  const value = (Array.isArray(header) ? header.join(', ') : (header ?? '')).trim();
  if (value === '') throw new PreconditionRequired();
  if (value === '*') return '*';
  const tags: string[] = [];
  ENTITY_TAG.lastIndex = 0;
  while (ENTITY_TAG.lastIndex < value.length) {
    const match = ENTITY_TAG.exec(value);
    if (!match?.[1]) throw new BadRequest('If-Match must be the ETag you received, for example "3".');
    tags.push(match[1]);
  }
  return tags;
}

/**
 * The version a write expects: the stored one when `If-Match` is `*` or lists its ETag (428 when
 * the header is missing, 400 when it is not entity tags, 412 when none of them is the current one).
 * Weak tags of our versions are taken too, as before: a proxy may have weakened the ETag.
 */
export function requireVersion(header: string | string[] | undefined, stored: number): number {
  const condition = parseIfMatch(header);
  if (condition !== '*' && !condition.some((tag) => tag.replace(/^W\//, '') === etagOf(stored)))
    throw new PreconditionFailed();
  return stored;
}
