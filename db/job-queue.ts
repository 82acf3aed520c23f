import PgBoss from 'pg-boss';
import type postgres from 'postgres';

// Background jobs run on pg-boss (issue 14), in Liaison's own database, in a schema of their own.
// pg-boss creates and migrates that schema, and each queue is a partition table: both are DDL, so
// they are done here, by the owner, with the migrations; the application role then only reads and
// writes pg-boss's rows (db/app-role.ts), and the server starts pg-boss with `migrate: false`.

/** The schema pg-boss keeps its tables in. */
export const JOB_SCHEMA = 'pgboss';

/** Liaison's queues; pg-boss's own (cron) queue is made here too, by the owner. */
export const JOB_QUEUES = {
  dailyNotices: 'daily-notices',
  dailyDigest: 'daily-digest',
} as const;
export type JobQueue = (typeof JOB_QUEUES)[keyof typeof JOB_QUEUES];
const PG_BOSS_CRON_QUEUE = '__pgboss__send-it';

/**
 * A parameter as `pg` would send it, which pg-boss expects: undefined as null, a plain object as
 * its JSON text (postgres.js would refuse both).
 */
function asParameter(value: unknown): postgres.ParameterOrJSON<never> {
  if (value === undefined || value === null) return null;
  if (
    typeof value === 'object' &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array) &&
    !Array.isArray(value)
  )
    return JSON.stringify(value);
  return value as postgres.ParameterOrJSON<never>;
}

/**
 * pg-boss's statements through our own postgres.js pool, instead of a second pool of `pg`: one
 * driver, one set of connections. Statements without parameters may hold several commands, some
 * a whole transaction (`BEGIN; … COMMIT;`: its schema, its maintenance): they go by the simple
 * protocol on a connection of their own, which postgres.js requires for a BEGIN.
 */
export function jobQueueDatabase(sql: postgres.Sql): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (values && values.length > 0)
        return { rows: [...(await sql.unsafe(text, values.map(asParameter)))] };
      const reserved = await sql.reserve();
      try {
        const result = await reserved.unsafe(text).simple();
        return { rows: [...result] };
      } finally {
        reserved.release();
      }
    },
  };
}

/**
 * Creates pg-boss's schema, or migrates it to this pg-boss's version, and Liaison's queues, as the
 * owner (run with the migrations; idempotent). No timers are left running.
 */
export async function ensureJobQueueSchema(sql: postgres.Sql): Promise<void> {
  const boss = new PgBoss({
    db: jobQueueDatabase(sql),
    schema: JOB_SCHEMA,
    migrate: true,
    supervise: false,
    schedule: false,
  });
  await boss.start();
  try {
    for (const name of [...Object.values(JOB_QUEUES), PG_BOSS_CRON_QUEUE])
      await boss.createQueue(name, { name, retryLimit: 3, retryDelay: 60, expireInSeconds: 15 * 60 });
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
}
