import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../db/client.ts';
import { createDatabase } from '../../db/embedded.ts';
import { verifyAuditChains } from '../../db/queries/audit.ts';
import { buildApp } from '../../server/app.ts';
import { injectAs, login, testConfig } from '../helpers/app.ts';
import { createBlankDatabase, databaseUrl } from '../helpers/database.ts';

/** Runs one of the npm scripts' entry points as `npm run` does, on the given environment. */
function run(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string; ms: number }>((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: process.cwd(),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

/** Every table's rows, as one sorted text per table (row order is not part of the data). */
async function contents(url: string): Promise<Record<string, string>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ name: string }[]>`
      select format('%I.%I', schemaname, tablename) as name from pg_tables
      where schemaname = 'public' order by 1`;
    const result: Record<string, string> = {};
    for (const { name } of tables) {
      const [row] = await sql.unsafe<{ rows: string | null }[]>(
        `select string_agg(t::text, E'\\n' order by t::text) as rows from ${name} t`,
      );
      result[name] = row?.rows ?? '';
    }
    return result;
  } finally {
    await sql.end();
  }
}

describe('npm run db:backup and db:restore', async () => {
  // The demo database, with audited reads and changes written through the API.
  const name = `backup_${randomUUID().replaceAll('-', '')}`;
  await createDatabase(inject('maintenanceUrl'), name, 'liaison_demo');
  const sourceUrl = databaseUrl(name);
  const connection = connectDatabase(sourceUrl, { max: 2 });
  const app = await buildApp({ config: testConfig(), connection, logger: false });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'liaison-backup-'));
  const target = await createBlankDatabase();
  afterAll(async () => {
    await app.close();
    await connection.close();
    await target.connection.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('restores into a fresh database the same rows, with every audit chain intact', async () => {
    const lea = await login(app, 'lea.lead@demo.example');
    const paul = await login(app, 'paul.partner@demo.example');
    const plans = (await injectAs(app, lea, { method: 'GET', url: '/api/plans' })).json<{
      items: { id: string }[];
    }>().items;
    expect(plans.length).toBeGreaterThan(1);
    for (const plan of plans) {
      expect((await injectAs(app, lea, { method: 'GET', url: `/api/plans/${plan.id}` })).statusCode).toBe(
        200,
      );
      await injectAs(app, paul, { method: 'GET', url: `/api/plans/${plan.id}` });
      const goal = await injectAs(app, lea, {
        method: 'POST',
        url: `/api/plans/${plan.id}/goals`,
        payload: { lifeDomain: 'health', title: 'Élan: weer gaan wandelen\tmet "Nora"\\ na de middag' },
      });
      expect([201, 403]).toContain(goal.statusCode); // a closed plan refuses, and logs the refusal
    }
    const before = await verifyAuditChains(connection.db);
    expect(before.problems).toEqual([]);
    expect(before.checked).toBeGreaterThan(plans.length * 2);

    const backup = await run('db/backup-cli.ts', [], { DATABASE_URL: sourceUrl, DATA_DIR: dataDir });
    expect(backup.code, backup.output).toBe(0);
    const [file] = await readdir(path.join(dataDir, 'backups'));
    expect(file).toMatch(/^liaison-\d{4}-\d\d-\d\dT[\d-]+Z\.dump$/);
    const dump = path.join(dataDir, 'backups', file ?? '');

    const restore = await run('db/restore-cli.ts', [dump], { DATABASE_URL: target.url, DATA_DIR: dataDir });
    expect(restore.code, restore.output).toBe(0);
    expect(restore.output).toContain(`Audit log intact: ${before.checked} events checked`);
    console.log(`demo database: backup ${backup.ms} ms, restore ${restore.ms} ms (node start included)`);

    const after = await verifyAuditChains(target.connection.db);
    expect(after).toEqual(before);
    expect(await contents(target.url)).toEqual(await contents(sourceUrl));

    // The restored copy is a working Liaison database: the chain goes on from where it stopped.
    const restoredConnection = connectDatabase(target.url, { max: 2 });
    const restoredApp = await buildApp({
      config: testConfig(),
      connection: restoredConnection,
      logger: false,
    });
    try {
      const token = await login(restoredApp, 'lea.lead@demo.example');
      const read = await injectAs(restoredApp, token, { method: 'GET', url: `/api/plans/${plans[0]?.id}` });
      expect(read.statusCode).toBe(200);
      expect((await verifyAuditChains(restoredConnection.db)).problems).toEqual([]);
    } finally {
      await restoredApp.close();
      await restoredConnection.close();
    }

    // A database that holds data is never overwritten by accident; --force replaces it.
    const refused = await run('db/restore-cli.ts', [dump], { DATABASE_URL: target.url, DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('The database is not empty: nothing restored');
    await target.connection.close();
    const forced = await run('db/restore-cli.ts', [dump, '--force'], {
      DATABASE_URL: target.url,
      DATA_DIR: dataDir,
    });
    expect(forced.code, forced.output).toBe(0);
    expect(await contents(target.url)).toEqual(await contents(sourceUrl));
  }, 120_000);

  it('refuses a file that is not a Liaison backup, changing nothing', async () => {
    const blank = await createBlankDatabase();
    try {
      const result = await run('db/restore-cli.ts', [path.join(process.cwd(), 'package.json')], {
        DATABASE_URL: blank.url,
        DATA_DIR: dataDir,
      });
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/Restore failed/);
      const sql = postgres(blank.url, { max: 1, onnotice: () => {} });
      const [row] = await sql<
        { n: number }[]
      >`select count(*)::int as n from pg_tables where schemaname = 'public'`;
      await sql.end();
      expect(row?.n).toBe(0);
    } finally {
      await blank.connection.close();
    }
  }, 60_000);
});
