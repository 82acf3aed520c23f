import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { AppConfig } from '../config.ts';

/** One e-mail to one person, as the builders of messages.ts make it: plain text and an HTML alternative. */
export interface OutgoingMail {
  /** The recipient's address (one address, no display name). */
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends e-mail: over SMTP when `SMTP_URL` is set, else into the outbox (`DATA_DIR/outbox`). */
export interface Mailer {
  /** The directory messages are written to; null when they go out over SMTP (or in a test double). */
  readonly outboxDir: string | null;
  /** Sends one message; resolves once the SMTP server accepted it or the file is in the outbox. */
  send(message: OutgoingMail): Promise<void>;
  /** Closes the SMTP connection, if any. */
  close(): Promise<void>;
}

export type MailerConfig = Pick<AppConfig, 'SMTP_URL' | 'MAIL_FROM' | 'DATA_DIR'>;

/** Where the outbox of a data directory is. */
function outboxDirOf(dataDir: string): string {
  return path.resolve(dataDir, 'outbox');
}

/**
 * The file name of a message written at `at`: the ISO time (so that names sort by time) and a random
 * part; domain/schemas/outbox.ts (OUTBOX_ID_PATTERN) accepts exactly these names and no others.
 */
export function outboxFileName(at: Date): string {
  return `${at.toISOString().replace(/[:.]/g, '-')}-${randomBytes(6).toString('hex')}.eml`;
}

/** When a message of the outbox was written, from its file name (ISO 8601). */
export function outboxDateOf(fileName: string): string {
  const [, day, hours, minutes, seconds, millis] =
    /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/.exec(fileName) ?? [];
  if (!millis) throw new Error(`not an outbox file name: ${fileName}`);
  return `${day}T${hours}:${minutes}:${seconds}.${millis}Z`;
}

// An automatic message: out-of-office replies and the like should not answer it (RFC 3834).
const HEADERS = { 'Auto-Submitted': 'auto-generated' };

function mailOptions(message: OutgoingMail): SendMailOptions {
  return {
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: HEADERS,
  };
}

function smtpMailer(url: string, from: string): Mailer {
  // Short timeouts: a request that sends mail should fail in seconds, not hang for minutes.
  const transport = nodemailer.createTransport(
    { url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
    { from },
  );
  return {
    outboxDir: null,
    async send(message) {
      await transport.sendMail(mailOptions(message));
    },
    async close() {
      transport.close();
    },
  };
}

function outboxMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true }, { from });
  return {
    outboxDir: dir,
    async send(message) {
      const info = await transport.sendMail(mailOptions(message));
      if (!Buffer.isBuffer(info.message)) throw new Error('the stream transport gave no buffer');
      // The messages carry sign-in links: only the server's user may read them.
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const name = outboxFileName(new Date());
      // Written whole, then renamed: a reader never sees half a message (the list ignores dot files).
      const temporary = path.join(dir, `.${name}.tmp`);
      try {
        await writeFile(temporary, info.message, { mode: 0o600, flag: 'wx' });
        await rename(temporary, path.join(dir, name));
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async close() {
      transport.close();
    },
  };
}

/**
 * The mailer of the configuration: SMTP over `SMTP_URL`, or, without it (the embedded default and
 * the offline demo), one `.eml` file per message in `DATA_DIR/outbox`. `From` is `MAIL_FROM`.
 */
export function createMailer(config: MailerConfig): Mailer {
  return config.SMTP_URL
    ? smtpMailer(config.SMTP_URL, config.MAIL_FROM)
    : outboxMailer(outboxDirOf(config.DATA_DIR), config.MAIL_FROM);
}
