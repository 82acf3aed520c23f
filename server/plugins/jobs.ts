import fp from 'fastify-plugin';
import PgBoss from 'pg-boss';
import type { DatabaseConnection } from '../../db/client.ts';
import { JOB_QUEUES, JOB_SCHEMA, jobQueueDatabase, type JobQueue } from '../../db/job-queue.ts';
import type { AppConfig } from '../config.ts';
import { runDailyDigest } from '../jobs/daily-digest.ts';
import { runDailyNotices } from '../jobs/daily-notices.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The background jobs (issue 14): `request` queues a run now, besides the daily schedule. */
    jobs: BackgroundJobs;
  }
}

export interface BackgroundJobs {
  /** Whether pg-boss runs in this process (`BACKGROUND_JOBS`). */
  readonly enabled: boolean;
  /** Queues a run of a job now; its id. Refused when jobs are off. */
  request(queue: JobQueue): Promise<string>;
}

/** When each job runs, Brussels time: the notices first, the digest once they are written. */
const SCHEDULES: Record<JobQueue, string> = {
  [JOB_QUEUES.dailyNotices]: '0 6 * * *',
  [JOB_QUEUES.dailyDigest]: '0 7 * * *',
};

/**
 * The background jobs on pg-boss, in Liaison's database (schema and queues made by the owner with
 * the migrations: db/job-queue.ts), started with the app and stopped when it closes, so that
 * `npm start` stays one command and a closed app leaves no timer behind. Each job's work is
 * idempotent (server/jobs/*): run twice, or again after a crash, it writes nothing twice.
 * The daily notices also run at every start, to catch up on a day the server was down.
 */
export default fp<{ config: AppConfig; connection: DatabaseConnection; now?: (() => Date) | undefined }>(
  async function jobsPlugin(app, { config, connection, now = () => new Date() }) {
    if (!config.BACKGROUND_JOBS) {
      app.decorate('jobs', {
        enabled: false,
        request: () => Promise.reject(new Error('Background jobs are off (BACKGROUND_JOBS=false).')),
      });
      return;
    }
    const boss = new PgBoss({
      db: jobQueueDatabase(connection.sql),
      schema: JOB_SCHEMA,
      migrate: false,
      supervise: true,
      schedule: true,
    });
    boss.on('error', (error: Error) => app.log.error({ err: error }, 'background jobs'));
    await boss.start();
    const work = async (queue: JobQueue, run: () => Promise<object>) => {
      await boss.work(queue, { pollingIntervalSeconds: 5 }, async () => {
        const result = await run();
        app.log.info({ job: queue, ...result }, 'background job done');
      });
      await boss.schedule(queue, SCHEDULES[queue], {}, { tz: 'Europe/Brussels' });
    };
    await work(JOB_QUEUES.dailyNotices, () => runDailyNotices(app.db, now()));
    await work(JOB_QUEUES.dailyDigest, () => runDailyDigest(app.db, app.mailer, config, now()));
    await boss.send(JOB_QUEUES.dailyNotices, {});
    app.decorate('jobs', {
      enabled: true,
      async request(queue: JobQueue) {
        const id = await boss.send(queue, {});
        if (!id) throw new Error(`the job ${queue} was not queued`);
        return id;
      },
    });
    app.addHook('onClose', async () => {
      // A job still running gets a few seconds to finish; one cut off is retried after the restart.
      await boss.stop({ graceful: true, timeout: 5_000, wait: true });
    });
  },
  { name: 'jobs', dependencies: ['mail'] },
);
