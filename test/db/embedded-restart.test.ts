import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../db/embedded.ts';
import { DEMO_PASSWORD } from '../helpers/app.ts';

// `npm start` as a user runs it: the real entry point in a child process, its own data directory.
interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startServer(dataDir: string, port: number): Server {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Response | undefined> {
  try {
    return await fetch(url, { headers, signal: AbortSignal.timeout(3000) });
  } catch {
    return undefined; // not listening (yet)
  }
}

async function waitUntilHealthy(base: string, server: Server, ms: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (server.child.exitCode !== null) throw new Error(`server exited:\n${server.output()}`);
    if ((await get(`${base}/api/health`))?.status === 200) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not healthy after ${ms} ms:\n${server.output()}`);
}

/** Parent pid, or undefined when the process is gone (a zombie counts as gone). */
function parentOf(pid: number): number | undefined {
  try {
    const [ppid, stat] = execFileSync('ps', ['-o', 'ppid=,stat=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .split(/\s+/);
    return stat?.startsWith('Z') ? undefined : Number(ppid);
  } catch {
    return undefined;
  }
}

/** Every PostgreSQL process (postmaster and backends) still working on this data directory. */
function postgresProcessesOn(dataDir: string): string[] {
  const postmasters = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(`${dataDir}/postgres`) && !line.includes(' ps '));
  const lines = execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,args='], { encoding: 'utf8' }).split('\n');
  const pids = postmasters.map((line) => line.trim().split(/\s+/)[0]);
  const children = lines.filter((line) => {
    const [, ppid, stat] = line.trim().split(/\s+/);
    return pids.includes(ppid ?? '') && !stat?.startsWith('Z');
  });
  return [...postmasters, ...children];
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

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
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
    // Nothing may be left running on the data directory, even when a test above failed.
    const left = postgresProcessesOn(dataDir);
    if (left.length > 0) {
      try {
        process.kill(await postmasterPid(dataDir), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await rm(dataDir, { recursive: true, force: true });
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
