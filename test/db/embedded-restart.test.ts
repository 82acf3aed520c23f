import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../db/embedded.ts';
import { DEMO_PASSWORD } from '../helpers/app.ts';
import {
  get,
  parentOf,
  postgresProcessesOn,
  postmasterPid,
  stopAndClean,
  startServer,
  waitUntilHealthy,
  type Server,
} from '../helpers/server-process.ts';

describe('the embedded PostgreSQL after a crash', () => {
  let dataDir: string;
  let port: number;
  let base: string;
  let server: Server;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'liaison-restart-'));
    port = await findFreePort();
    base = `http://127.0.0.1:${port}`;
    server = startServer(dataDir, port);
    const ms = await waitUntilHealthy(base, server, 90_000); // first start: initdb, migrations, demo data
    console.log(`first start: healthy after ${ms} ms`);
  }, 120_000);

  afterAll(async () => {
    const { exitCode, left } = await stopAndClean(server, dataDir);
    expect(exitCode).toBe(0);
    expect(left).toEqual([]);
  }, 60_000);

  it('comes back after kill -9 of node: the orphaned PostgreSQL is stopped, then started again', async () => {
    const orphan = await postmasterPid(dataDir);
    expect(parentOf(orphan)).toBe(server.child.pid);
    server.child.kill('SIGKILL');
    await server.exited;
    // The cause of the finding: PostgreSQL, in its own process group, outlives node.
    expect(parentOf(orphan)).toBeDefined();

    server = startServer(dataDir, port);
    const ms = await waitUntilHealthy(base, server, 30_000);
    console.log(`restart after kill -9 of node: healthy after ${ms} ms`);
    expect(server.output()).toContain('that an earlier Liaison left running');
    expect(parentOf(orphan)).toBeUndefined();
    const postmaster = await postmasterPid(dataDir);
    expect(parentOf(postmaster)).toBe(server.child.pid);
    expect(await readFile(path.join(dataDir, 'liaison.pid'), 'utf8')).toBe(`${server.child.pid}\n`);
  }, 60_000);

  it('refuses a second Liaison on the same data directory, and leaves the first running', async () => {
    const second = startServer(dataDir, await findFreePort());
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      `Liaison is already running with this data directory (pid ${server.child.pid})`,
    );
    expect((await get(`${base}/api/health`))?.status).toBe(200);
  }, 60_000);

  it('restarts a dead postmaster by itself: 503 meanwhile, then 200 again, and node never exits', async () => {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'lea.lead@demo.example', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    const plans = (await (await fetch(`${base}/api/plans`, { headers: auth })).json()) as {
      items: { id: string }[];
    };
    const planId = plans.items[0]?.id;
    expect(planId).toBeDefined();

    const dead = await postmasterPid(dataDir);
    process.kill(dead, 'SIGKILL');
    const killed = Date.now();

    const seen: string[] = [];
    let healthyAfter: number | undefined;
    while (Date.now() - killed < 30_000) {
      const response = await get(`${base}/api/health`);
      expect(response, 'the server must keep answering').toBeDefined();
      if (!response) break;
      // Right after the kill, the dead server's backends may still answer a query or two.
      if (response.status === 200 && seen.length > 0) {
        healthyAfter = Date.now() - killed;
        break;
      }
      if (response.status !== 200) {
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        seen.push(((await response.json()) as { database: string }).database);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    console.log(
      `recovery after kill -9 of the postmaster: healthy after ${healthyAfter} ms (${seen.length} × 503)`,
    );
    expect(seen).toContain('restarting');
    expect(healthyAfter).toBeDefined();

    // The pool reconnects by itself: a plan read with the session from before the crash.
    const plan = await get(`${base}/api/plans/${planId}`, auth);
    expect(plan?.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
    const postmaster = await postmasterPid(dataDir);
    expect(postmaster).not.toBe(dead);
    expect(parentOf(postmaster)).toBe(server.child.pid);
  }, 60_000);

  it('still stops PostgreSQL cleanly on SIGTERM after a restart', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(postgresProcessesOn(dataDir)).toEqual([]);
  }, 30_000);
});
