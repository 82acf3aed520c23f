import { spawn } from 'node:child_process';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { JOB_QUEUES } from '../../../db/job-queue.ts';
import { notifications } from '../../../db/schema/index.ts';
import { createPlan } from '../../factories/plans.ts';
import { connectDatabase } from '../../../db/client.ts';
import { migrateDatabase } from '../../../db/migrate.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { createBlankDatabase } from '../../helpers/database.ts';

// pg-boss in the app (server/plugins/jobs.ts), in a file of its own so that the timers counted are
// this app's alone.

const NOW = new Date('2030-03-01T07:00:00Z');

describe('the background jobs on pg-boss', async () => {
  const { app, db, connection } = await buildTestApp({
    template: 'liaison_empty',
    config: { BACKGROUND_JOBS: true },
    now: () => NOW,
  });
  const karim = await createPlan(db, { plan: { nextEvaluationOn: '2030-03-03' } });

  /** Waits for a condition the queue brings about, checking every 100 ms, for at most 20 s. */
  async function eventually(check: () => Promise<boolean>): Promise<boolean> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  it('runs a job asked for on demand, with the app’s clock', async () => {
    expect(app.jobs.enabled).toBe(true);
    await app.jobs.request(JOB_QUEUES.dailyNotices);
    const arrived = await eventually(async () => {
      const rows = await db
        .select()
        .from(notifications)
        .where(
          and(eq(notifications.recipientUserId, karim.lead.id), eq(notifications.kind, 'evaluation_due')),
        );
      return rows.length === 1;
    });
    expect(arrived).toBe(true);
  });

  it('schedules the daily runs in Brussels time', async () => {
    const schedules = await connection.sql<{ name: string; cron: string; timezone: string }[]>`
      select name, cron, timezone from pgboss.schedule order by name`;
    expect(schedules.map((s) => ({ ...s }))).toEqual([
      { name: 'daily-digest', cron: '0 7 * * *', timezone: 'Europe/Brussels' },
      { name: 'daily-notices', cron: '0 6 * * *', timezone: 'Europe/Brussels' },
    ]);
  });

  it('leaves nothing running once the app and its connection are closed: the process ends by itself', async () => {
    const database = await createBlankDatabase();
    await database.connection.close();
    const owner = connectDatabase(database.url, { max: 1 });
    await migrateDatabase(owner.db);
    await owner.close();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/server/jobs/closing-child.ts', database.url],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // A leaked interval would keep it alive for ever; 30 s is far beyond a start and a close.
    const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(deadline);
    expect(output).toContain('closed');
    expect(code).toBe(0);
  });
});
