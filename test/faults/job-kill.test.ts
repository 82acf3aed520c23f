import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../db/embedded.ts';
import {
  ownerUrl,
  startServer,
  stopAndClean,
  waitUntilHealthy,
  type Server,
} from '../helpers/server-process.ts';

// Issue 14: a kill -9 of the server while a background job runs loses no notice and sends no
// e-mail twice. The real entry point (`npm start`, embedded PostgreSQL, pg-boss) sends the daily
// digest to an SMTP server of this test that takes a second per message, so that the run is long
// enough to be killed in the middle; then it starts again and the digest runs again.

/** An SMTP server that accepts each message after `delayMs`, recording its recipients. */
async function slowSmtpServer(delayMs: number) {
  const received: string[][] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        setTimeout(() => {
          received.push(session.envelope.rcptTo.map((r) => r.address.toLowerCase()));
          callback();
        }, delayMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('a kill -9 during a job run', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'liaison-job-kill-'));
  const port = await findFreePort();
  const base = `http://127.0.0.1:${port}`;
  const smtp = await slowSmtpServer(1000);
  const env = { SMTP_URL: smtp.url, PUBLIC_URL: base };
  let server: Server = startServer(dataDir, port, env);
  afterAll(async () => {
    const { left } = await stopAndClean(server, dataDir);
    await smtp.close();
    expect(left).toEqual([]);
  }, 60_000);

  const owner = async () => postgres(await ownerUrl(dataDir), { max: 1, onnotice: () => {} });
  const waitFor = async (check: () => Promise<boolean>, ms: number, what: string) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${what} did not happen within ${ms} ms:\n${server.output()}`);
  };

  it('loses no notice and sends no digest twice', { timeout: 240_000 }, async () => {
    await waitUntilHealthy(base, server, 90_000);
    let db = await owner();
    // The daily notices ran at start; every user with an address gets a notice of their own (a
    // client's message to a lead would do the same), so that the digest has many to send.
    await waitFor(
      async () => (await db`select count(*)::int as n from notifications`)[0]!.n > 0,
      30_000,
      'the notices at start',
    );
    await db`
      insert into notifications (recipient_user_id, kind, plan_id, dedupe_key)
      select u.id, 'evaluation_due', p.id, 'job-kill:' || u.id
        from users u cross join (select id from plans order by id limit 1) p
       where u.email is not null`;
    const noticesBefore = (await db`select count(*)::int as n from notifications`)[0]!.n as number;
    const recipients = (
      await db`
      select count(distinct u.id)::int as n from users u join notifications n on n.recipient_user_id = u.id
       where u.email is not null and u.email_digest and not u.disabled and n.read_at is null`
    )[0]!.n as number;
    expect(recipients).toBeGreaterThanOrEqual(5);

    // The digest on demand, as the schedule would queue it; killed once two e-mails went out.
    await db`insert into pgboss.job (name, data) values ('daily-digest', '{}')`;
    await waitFor(async () => smtp.received.length >= 2, 60_000, 'two digests');
    server.child.kill('SIGKILL');
    await server.exited;
    const sentBeforeKill = smtp.received.length;
    expect(sentBeforeKill).toBeLessThan(recipients);
    await db.end();

    server = startServer(dataDir, port, env);
    await waitUntilHealthy(base, server, 90_000);
    db = await owner();
    await db`insert into pgboss.job (name, data) values ('daily-digest', '{}')`;
    // Every digest claimed is either sent or was the one in flight when the server died.
    await waitFor(
      async () => {
        const [row] = await db`select count(*)::int as claimed from digest_deliveries`;
        return row!.claimed === recipients && smtp.received.length >= recipients - 1;
      },
      90_000,
      'the digests after the restart',
    );
    // A third run sends nothing more.
    await db`insert into pgboss.job (name, data) values ('daily-digest', '{}')`;
    await waitFor(
      async () =>
        (
          await db`select count(*)::int as n from pgboss.job where name = 'daily-digest' and state = 'completed'`
        )[0]!.n >= 2,
      60_000,
      'the third run',
    );

    const perRecipient = new Map<string, number>();
    for (const to of smtp.received.flat()) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    const twice = [...perRecipient].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    // At most one digest is unaccounted for: the one being sent at the kill (claimed, never marked
    // sent). The SMTP server may still have accepted it after the sender died, which the sender
    // cannot know: every other recipient got exactly one, that one at most one.
    const unsent = await db<{ email: string }[]>`
      select lower(u.email) as email from digest_deliveries d join users u on u.id = d.user_id
       where d.sent_at is null`;
    expect(unsent.length).toBeLessThanOrEqual(1);
    const due = await db<
      { email: string }[]
    >`select lower(email) as email from digest_deliveries d join users u on u.id = d.user_id`;
    expect(due).toHaveLength(recipients);
    for (const { email } of due)
      if (!unsent.some((row) => row.email === email)) expect(perRecipient.get(email), email).toBe(1);
    expect(smtp.received.length).toBeGreaterThanOrEqual(recipients - unsent.length);
    expect(smtp.received.length).toBeLessThanOrEqual(recipients);
    // No notice lost, none written twice: the daily notices ran again at the restart.
    const noticesAfter = (await db`select count(*)::int as n from notifications`)[0]!.n;
    expect(noticesAfter).toBe(noticesBefore);
    console.info(
      `job kill: ${recipients} digests due, ${sentBeforeKill} sent before the kill, ${smtp.received.length} in all, ${unsent.length} unconfirmed in flight, 0 twice; ${noticesAfter} notices before and after`,
    );
    await db.end();
  });
});
