import { sql, type SQL } from 'drizzle-orm';
import type { FigurePeriod } from '../../domain/schemas/figures.ts';
import type { Executor } from '../client.ts';

// An organisation's registration figures, counted in PostgreSQL: only counts (and one average)
// leave the database, never a name, an id or a word of plan content. The organisation's plans are
// those it leads (`plans.organization_id`). Periods are calendar periods in Europe/Brussels.

/** The figures counted per bucket, and the snapshot of phases. */
export type CountedFigure =
  'registrations' | 'languages' | 'goalsByLifeDomain' | 'consents' | 'meetings' | 'closures' | 'phases';

export interface FigureCount {
  figure: CountedFigure;
  category: string;
  /** The period's key (`2026-03`, `2026-Q1`, `2026`); the `to` date for the phase snapshot. */
  bucket: string;
  count: number;
}

export interface RawFigures {
  counts: FigureCount[];
  /** Plans closed in the range, and their average duration in days (null when none). */
  closed: { plans: number; averageDays: number | null };
}

const BUCKET_FORMATS: Record<FigurePeriod, string> = {
  month: 'YYYY-MM',
  quarter: 'YYYY-"Q"Q',
  year: 'YYYY',
};

/** Whether the organisation exists (figures of one that does not are a 404). */
export async function organizationExists(db: Executor, organizationId: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from organizations where id = ${organizationId}`);
  return rows.length === 1;
}

/**
 * Counts an organisation's figures between two calendar days (both included, Brussels time),
 * grouped by `period`: one statement for the counts, one for the average duration of the plans
 * closed in the range (days from their start to the day they were closed).
 */
export async function countFigures(
  db: Executor,
  params: { organizationId: string; period: FigurePeriod; from: string; to: string },
): Promise<RawFigures> {
  const { organizationId, period, from, to } = params;
  const format = BUCKET_FORMATS[period];
  // Moments of the range: from the start of `from` to the start of the day after `to`, in Brussels.
  const start = sql`(${from}::date)::timestamp at time zone 'Europe/Brussels'`;
  const end = sql`(${to}::date + 1)::timestamp at time zone 'Europe/Brussels'`;
  const inRange = (moment: SQL) => sql`${moment} >= ${start} and ${moment} < ${end}`;
  const momentBucket = (moment: SQL) =>
    sql`to_char(date_trunc(${period}, ${moment} at time zone 'Europe/Brussels'), ${format})`;
  const dayBucket = (day: SQL) => sql`to_char(date_trunc(${period}, ${day}::timestamp), ${format})`;

  // The plans' ids as one array, so that every table below is read through its plan_id index
  // (`plan_id = any(…)`), never scanned whole: a hash join over all goals or grants of every
  // organisation grows with the database, not with the organisation.
  const rows = await db.execute<{
    figure: CountedFigure;
    category: string;
    bucket: string;
    count: number;
  }>(sql`
    with own_plans as (
      select id, client_id, phase, started_on, closed_at
        from plans
       where organization_id = ${organizationId}
    ), own as (
      select coalesce(array_agg(id), '{}') as ids from own_plans
    ), registered as (
      select ${dayBucket(sql`p.started_on`)} as bucket,
             (select c.preferred_language from clients c where c.id = p.client_id) as language
        from own_plans p
       where p.started_on between ${from}::date and ${to}::date
    )
    select 'registrations' as figure, 'registered' as category, bucket, count(*)::int as count
      from registered group by bucket
    union all
    select 'languages', coalesce(nullif(split_part(lower(language), '-', 1), ''), 'unknown'), bucket, count(*)::int
      from registered
     group by 2, 3
    union all
    select 'goalsByLifeDomain', g.life_domain::text, ${momentBucket(sql`g.created_at`)}, count(*)::int
      from goals g
     where g.plan_id = any((select ids from own)::uuid[]) and ${inRange(sql`g.created_at`)}
     group by 2, 3
    union all
    select 'consents', 'given', ${momentBucket(sql`g.recorded_at`)}, count(*)::int
      from grants g
     where g.plan_id = any((select ids from own)::uuid[]) and ${inRange(sql`g.recorded_at`)}
     group by 3
    union all
    -- Withdrawn by the client (or recorded so by the lead): revocations with a method. Grants ended
    -- by closing the plan or by a member leaving it have none, and are not a withdrawal of consent.
    select 'consents', 'withdrawn', ${momentBucket(sql`r.revoked_at`)}, count(*)::int
      from grant_revocations r
     where r.plan_id = any((select ids from own)::uuid[]) and r.method is not null and ${inRange(sql`r.revoked_at`)}
     group by 3
    union all
    select 'meetings', 'held', ${momentBucket(sql`m.held_at`)}, count(*)::int
      from meetings m
     where m.plan_id = any((select ids from own)::uuid[]) and ${inRange(sql`m.held_at`)} and m.held_at <= now()
     group by 3
    union all
    -- Closures by the kind of reason the lead chose from the list, never by their words. Every
    -- closed plan has its closure row (written together); 'unknown' would name one that has not.
    select 'closures', coalesce(c.reason_kind::text, 'unknown'), ${momentBucket(sql`p.closed_at`)}, count(*)::int
      from own_plans p
      left join closures c on c.plan_id = p.id
     where ${inRange(sql`p.closed_at`)}
     group by 2, 3
    union all
    -- Phases are not kept over time: the snapshot at the end of the range is the plan's phase now,
    -- 'closed' when it was closed by then, and 'unknown' for a plan closed later (open at the end
    -- of the range, in a phase no longer known).
    select 'phases',
           case when p.closed_at is null then p.phase::text
                when p.closed_at < ${end} then 'closed'
                else 'unknown' end,
           ${to}, count(*)::int
      from own_plans p
     where p.started_on <= ${to}::date
     group by 2
  `);

  const [average] = await db.execute<{ plans: number; average_days: string | null }>(sql`
    select count(*)::int as plans,
           round(avg((p.closed_at at time zone 'Europe/Brussels')::date - p.started_on), 1)::text as average_days
      from plans p
     where p.organization_id = ${organizationId} and ${inRange(sql`p.closed_at`)}
  `);
  return {
    counts: rows.map((row) => ({ ...row })),
    closed: {
      plans: average?.plans ?? 0,
      averageDays: average?.average_days == null ? null : Number(average.average_days),
    },
  };
}
