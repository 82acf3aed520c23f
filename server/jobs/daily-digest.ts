import { forNobody } from '../../db/scope.ts';
import type { Database } from '../../db/client.ts';
import { claimDigest, findDigestRecipients, markDigestSent } from '../../db/queries/notifications.ts';
import type { LinkConfig } from '../mail/links.ts';
import { publicUrlOf } from '../mail/links.ts';
import type { Mailer } from '../mail/mailer.ts';
import { digestMail } from '../mail/messages.ts';

/** What a digest run did. */
export interface DailyDigestRun {
  sent: number;
  /** Digests another run (or an earlier one) had claimed already. */
  skipped: number;
  failed: number;
}

/**
 * The daily e-mail digest at `now` (issue 14), through the configured mail (SMTP_URL or the
 * outbox): to each user with new unread notices and the digest on, the number of unread notices
 * and a link, never plan content. Each digest is claimed (committed) before it is sent, so a
 * second run, or a run after a crash, never sends it again: at most once per user and day. A send
 * that fails is logged by the caller's count and not retried that day; the notices stay in the inbox.
 */
export const runDailyDigest = forNobody(async function runDailyDigest(
  db: Database,
  mailer: Mailer,
  config: LinkConfig,
  now: Date,
): Promise<DailyDigestRun> {
  const urls = publicUrlOf(config);
  const run: DailyDigestRun = { sent: 0, skipped: 0, failed: 0 };
  for (const recipient of await findDigestRecipients(db, now)) {
    if (!(await claimDigest(db, recipient.userId, now))) {
      run.skipped += 1;
      continue;
    }
    try {
      await mailer.send(
        digestMail({
          to: recipient.email,
          locale: recipient.locale,
          recipientName: recipient.name,
          unread: recipient.unread,
          link: urls.to('/notifications'),
          settingsLink: urls.to('/account'),
        }),
      );
    } catch {
      run.failed += 1;
      continue;
    }
    await markDigestSent(db, recipient.userId, now);
    run.sent += 1;
  }
  return run;
});
