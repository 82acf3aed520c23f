import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';

// The real entry point (`npm start`) in a child process on its own data directory, and what a test
// needs to watch it and its embedded PostgreSQL from the outside.

export interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `node --import tsx server/main.ts`, as `npm start` does, on this data directory and port. */
export function startServer(dataDir: string, port: number, env: Record<string, string> = {}): Server {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      // The embedded default: never a database the environment of the test run names.
      DATABASE_URL: undefined,
      DATABASE_OWNER_URL: undefined,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<Response | undefined> {
  try {
    return await fetch(url, { headers, signal: AbortSignal.timeout(3000) });
  } catch {
    return undefined; // not listening (yet)
  }
}

/** Polls /api/health until it answers 200; returns the milliseconds it took. */
export async function waitUntilHealthy(base: string, server: Server, ms: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (server.child.exitCode !== null) throw new Error(`server exited:\n${server.output()}`);
    if ((await get(`${base}/api/health`))?.status === 200) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not healthy after ${ms} ms:\n${server.output()}`);
}

/** Parent pid, or undefined when the process is gone (a zombie counts as gone). */
export function parentOf(pid: number): number | undefined {
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
export function postgresProcessesOn(dataDir: string): string[] {
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

/** The postmaster's pid, from the first line of `postmaster.pid`. */
export async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/**
 * The owner's (superuser's) URL of the embedded PostgreSQL running on this data directory, as
 * db/embedded.ts builds it: the port from `postmaster.pid` (its fourth line), the password from
 * `postgres-password`. The port stays the same when the supervisor restarts PostgreSQL, and
 * changes with each start of Liaison.
 */
export async function ownerUrl(dataDir: string, database = 'liaison'): Promise<string> {
  const port = Number(
    (await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[3],
  );
  const password = (await readFile(path.join(dataDir, 'postgres-password'), 'utf8')).trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/**
 * After a suite: stops the server if it still runs (it must exit 0), kills whatever PostgreSQL is
 * left on the data directory, removes it, and returns what was left (the caller expects none).
 */
export async function stopAndClean(
  server: Server,
  dataDir: string,
): Promise<{ exitCode: number | null; left: string[] }> {
  let exitCode: number | null = 0;
  if (server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    exitCode = await server.exited;
  }
  // Nothing may be left running on the data directory, even when a test failed.
  const left = postgresProcessesOn(dataDir);
  if (left.length > 0) {
    try {
      process.kill(await postmasterPid(dataDir), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await rm(dataDir, { recursive: true, force: true });
  return { exitCode, left };
}
