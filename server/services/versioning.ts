import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequest, PreconditionFailed, PreconditionRequired } from '../errors.ts';

/** The ETag of a row: its version, as a strong validator. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Sends a row's version as its ETag, so that the next write can send it back in If-Match. */
export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', etagOf(version));
}

/**
 * The version a write expects, from `If-Match`: 428 when the header is missing (nothing is
 * written without it), 400 when it is not one of our ETags.
 */
export function requireIfMatch(request: FastifyRequest): number {
  const header = request.headers['if-match'];
  if (header === undefined || header === '') throw new PreconditionRequired();
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(String(header).trim());
  if (!match?.[1]) throw new BadRequest('If-Match must be the ETag you received, for example "3".');
  return Number(match[1]);
}

/** Throws 412 when the stored version is not the expected one. */
export function assertVersion(expected: number, actual: number): void {
  if (expected !== actual) throw new PreconditionFailed();
}
