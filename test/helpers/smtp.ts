import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll } from 'vitest';

// A real SMTP server inside the test process (the `smtp-server` package), for tests that check what
// Liaison sends. Usage, at the top of a test file or `describe`:
//
//   const smtp = await startSmtpServer();
//   const { app } = await buildTestApp({ config: { SMTP_URL: smtp.url } });
//   … do what sends the e-mail …
//   const mail = await smtp.waitForMail((m) => m.to.includes('jonas@factory.example'));
//   expect(mail.subject).toMatch(/invited you/); const link = mail.links[0];
//
// The server is closed after the file (afterAll), or earlier with `close()`.

/** One message as the server received it, parsed. */
export interface ReceivedMail {
  /** The recipients of the SMTP envelope (RCPT TO), lower case. */
  to: string[];
  /** The `From` header as written (`Liaison <no-reply@…>`). */
  from: string;
  subject: string;
  /** The text/plain part, decoded. */
  text: string;
  /** The text/html part, decoded; null when there is none. */
  html: string | null;
  /** Every http(s) address in the plain text, in order (the links people are asked to open). */
  links: string[];
  /** Every header, names in lower case (`auto-submitted`, …), values unfolded but not decoded. */
  headers: Map<string, string>;
  /** The message as it came over the wire. */
  raw: string;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`: the value for `SMTP_URL`. */
  url: string;
  /** Every message received so far, in order of arrival. */
  readonly messages: readonly ReceivedMail[];
  /**
   * The first message, received before or after the call, that `predicate` accepts (any message
   * without one); rejects after `timeoutMs` naming what did arrive.
   */
  waitForMail(predicate?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Stops the server; also done after the test file. */
  close(): Promise<void>;
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((address) => address.text).join(', ');
}

async function parse(raw: Buffer, recipients: string[]): Promise<ReceivedMail> {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
  const text = parsed.text ?? '';
  const headers = new Map<string, string>();
  for (const { key, line } of parsed.headerLines)
    headers.set(
      key,
      line
        .slice(line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    );
  return {
    to: recipients,
    from: addressText(parsed.from),
    subject: parsed.subject ?? '',
    text,
    html: typeof parsed.html === 'string' ? parsed.html : null,
    links: [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((match) => match[0]),
    headers,
    raw: raw.toString('utf8'),
  };
}

/** Starts an SMTP server on a free port of 127.0.0.1 (no TLS, no authentication). */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<(mail: ReceivedMail) => void>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
        parse(Buffer.concat(chunks), recipients).then(
          (mail) => {
            messages.push(mail);
            for (const waiter of [...waiters]) waiter(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
    }));
  afterAll(close);

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitForMail(predicate = () => true, timeoutMs = 5_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const waiter = (mail: ReceivedMail) => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = messages.map((mail) => `"${mail.subject}" to ${mail.to.join(', ')}`).join('; ');
          reject(new Error(`no matching e-mail within ${timeoutMs} ms (received: ${seen || 'none'})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close,
  };
}
