import type { FastifyReply } from 'fastify';
import { BadRequest, PreconditionFailed, PreconditionRequired } from '../errors.ts';

/** Sends a row's version as its ETag (a strong validator), so that the next write can send it back in If-Match. */
export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', `"${version}"`);
}

/**
 * The version a write expects, from the `If-Match` header: 428 when it is missing (nothing is
 * written without it), 400 when it is not one of our ETags.
 */
export function parseIfMatch(header: string | string[] | undefined): number {
  if (header === undefined || header === '') throw new PreconditionRequired();
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(String(header).trim());
  if (!match?.[1]) throw new BadRequest('If-Match must be the ETag you received, for example "3".');
  return Number(match[1]);
}

/** Throws 412 when the stored version is not the expected one. */
export function assertVersion(expected: number, actual: number): void {
  if (expected !== actual) throw new PreconditionFailed();
}

/** The version in `If-Match`, which must equal the stored one (428, 400, 412 otherwise). */
export function requireVersion(header: string | string[] | undefined, stored: number): number {
  const expected = parseIfMatch(header);
  assertVersion(expected, stored);
  return expected;
}
