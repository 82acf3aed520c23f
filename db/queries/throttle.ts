import { and, gt, inArray, max, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { loginThrottle } from '../schema/index.ts';

/** How one key counts failures and how long it makes the next attempt wait. */
export interface CountedKey {
  key: string;
  /** Failures in a window before any wait. */
  freeFailures: number;
  /** A window starts with the first failure; once it is over, the next failure starts a new count. */
  windowMs: number;
  /** The wait after the `freeFailures`-th failure; it doubles with every further one... */
  firstDelayMs: number;
  /** ...up to this. */
  maxDelayMs: number;
}

/** Past this exponent the doubled delay is beyond any cap (and `power` would overflow). */
const MAX_DOUBLINGS = 40;

/** When the latest of these keys lets the next attempt in, if that is after `now`. */
export async function findBlockedUntil(db: Executor, keys: string[], now: Date): Promise<Date | null> {
  if (keys.length === 0) return null;
  const [row] = await db
    .select({ until: max(loginThrottle.blockedUntil) })
    .from(loginThrottle)
    .where(and(inArray(loginThrottle.key, keys), gt(loginThrottle.blockedUntil, now)));
  return row?.until ? new Date(row.until) : null;
}

/**
 * Counts one failure for each key, in one statement (an atomic upsert per key, so that attempts on
 * several instances count together), and deletes a few rows nobody needs any more: their window
 * started before `forgetBefore` and their wait is over. Returns when the latest of the keys lets
 * the next attempt in (null: no wait).
 */
export async function recordThrottleFailures(
  db: Executor,
  keys: CountedKey[],
  now: Date,
  forgetBefore: Date,
): Promise<Date | null> {
  if (keys.length === 0) return null;
  const at = sql`${now.toISOString()}::timestamptz`;
  const upserts = keys.map((counted, i) => sql`${sql.raw(`k${i}`)} as (${upsertFailure(counted, at)})`);
  const latest = sql.join(
    keys.map((_, i) => sql.raw(`select blocked_until from k${i}`)),
    sql.raw(' union all '),
  );
  const [row] = await db.execute<{ until_ms: number | null }>(sql`
    with ${sql.join(upserts, sql`, `)},
    forgotten as (
      delete from login_throttle where key in (
        select key from login_throttle
         where window_start < ${forgetBefore.toISOString()}::timestamptz
           and (blocked_until is null or blocked_until <= ${at})
           and key not in (${sql.join(
             keys.map((k) => sql`${k.key}`),
             sql`, `,
           )})
         limit 100)
    )
    select (extract(epoch from max(blocked_until)) * 1000)::float8 as until_ms from (${latest}) latest`);
  return row?.until_ms == null ? null : new Date(row.until_ms);
}

/** Forgets the failures of these keys (a success clears its account and address pair). */
export async function clearThrottleKeys(db: Executor, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.delete(loginThrottle).where(inArray(loginThrottle.key, keys));
}

/** One failure for one key: a new count once the window is over, a doubled wait past the free ones. */
function upsertFailure(counted: CountedKey, at: SQL): SQL {
  const windowOver = sql`t.window_start <= ${at} - ${counted.windowMs}::float8 * interval '1 millisecond'`;
  const failures = sql`(case when ${windowOver} then 1 else t.failures + 1 end)`;
  const waitAfter = (count: SQL) => sql`case when ${count} >= ${counted.freeFailures}::int
      then ${at} + least(${counted.maxDelayMs}::float8,
        ${counted.firstDelayMs}::float8 * power(2, least(${count} - ${counted.freeFailures}::int, ${MAX_DOUBLINGS}::int)))
        * interval '1 millisecond' end`;
  return sql`insert into login_throttle as t (key, failures, window_start, blocked_until)
    values (${counted.key}, 1, ${at}, ${waitAfter(sql`1`)})
    on conflict (key) do update set
      failures = ${failures},
      window_start = case when ${windowOver} then ${at} else t.window_start end,
      blocked_until = greatest(t.blocked_until, ${waitAfter(failures)})
    returning blocked_until`;
}
