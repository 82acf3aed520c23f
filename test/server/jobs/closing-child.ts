/**
 * Runs in a child process: builds the app with its background jobs on, lets pg-boss start and
 * work, closes the app and the connection, and then only returns. A timer or socket left behind
 * keeps the process alive: the parent sees it not exit.
 *
 * Usage: node --import tsx test/server/jobs/closing-child.ts <database url>
 */
import { connectDatabase } from '../../../db/client.ts';
import { JOB_QUEUES } from '../../../db/job-queue.ts';
import { buildApp } from '../../../server/app.ts';
import { loadConfig } from '../../../server/config.ts';

const [url] = process.argv.slice(2);
if (!url) throw new Error('usage: closing-child.ts <database url>');
const connection = connectDatabase(url, { max: 4 });
const app = await buildApp({
  config: {
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BACKGROUND_JOBS: 'true' }),
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
  },
  connection,
  logger: false,
});
await app.ready();
await app.jobs.request(JOB_QUEUES.dailyNotices);
await app.close();
await connection.close();
console.log('closed');
