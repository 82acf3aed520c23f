import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import type { z } from 'zod';
import {
  OUTBOX_ID_PATTERN,
  type OutboxEntrySchema,
  type OutboxListSchema,
  type OutboxMessageSchema,
} from '../../domain/schemas/outbox.ts';
import { Forbidden, NotFound } from '../errors.ts';
import { outboxDateOf, type Mailer } from '../mail/mailer.ts';
import type { UserContext } from './context.ts';

// The outbox of the offline demo: without SMTP_URL every e-mail is a file in DATA_DIR/outbox, and an
// admin reads them here. Only names the mailer writes are read (OUTBOX_ID_PATTERN), never a path.

type OutboxEntry = z.infer<typeof OutboxEntrySchema>;

/** Admins only (policies/ability.ts): the outbox holds every e-mail, sign-in links included. */
function assertMayReadOutbox(ctx: UserContext): void {
  if (!ctx.ability.can('read', 'Outbox')) throw new Forbidden('Only an admin reads the outbox.');
}

function addressesOf(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((address) => address.text).join(', ');
}

async function readMessage(dir: string, id: string) {
  let source: Buffer;
  try {
    source = await readFile(path.join(dir, id));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = await simpleParser(source, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
  });
  return {
    entry: { id, to: addressesOf(parsed.to), subject: parsed.subject ?? '', date: outboxDateOf(id) },
    text: parsed.text ?? '',
  };
}

/** The messages' names, newest first (names start with the time they were written). */
async function messageNames(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => OUTBOX_ID_PATTERN.test(name)).sort((a, b) => (a < b ? 1 : -1));
  } catch (error) {
    // Nothing was sent yet: the outbox is made with the first message.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** One page of the outbox, newest first; `{ enabled: false }` when e-mail goes out over SMTP. */
export async function listOutbox(
  ctx: UserContext,
  mailer: Mailer,
  page: { limit: number; cursor?: string | undefined },
): Promise<z.infer<typeof OutboxListSchema>> {
  assertMayReadOutbox(ctx);
  const dir = mailer.outboxDir;
  if (!dir) return { enabled: false, items: [], nextCursor: null };
  const { cursor } = page;
  const names = (await messageNames(dir)).filter((name) => cursor === undefined || name < cursor);
  const pageNames = names.slice(0, page.limit);
  const read = await Promise.all(pageNames.map((name) => readMessage(dir, name)));
  const items = read.flatMap((message): OutboxEntry[] => (message ? [message.entry] : []));
  return {
    enabled: true,
    items,
    nextCursor: names.length > page.limit ? (pageNames.at(-1) ?? null) : null,
  };
}

/** One message of the outbox, as plain text; 404 when there is none by that name (or no outbox). */
export async function readOutboxMessage(
  ctx: UserContext,
  mailer: Mailer,
  id: string,
): Promise<z.infer<typeof OutboxMessageSchema>> {
  assertMayReadOutbox(ctx);
  const dir = mailer.outboxDir;
  // The schema checked the name already; checked again here, as this is what keeps reads inside the outbox.
  if (!dir || !OUTBOX_ID_PATTERN.test(id)) throw new NotFound();
  const message = await readMessage(dir, id);
  if (!message) throw new NotFound();
  return { ...message.entry, text: message.text };
}
