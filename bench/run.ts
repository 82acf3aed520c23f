import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import * as prettier from 'prettier';
import { APPLICATION_ROLE, ensureApplicationRole } from '../db/app-role.ts';
import { connectDatabase } from '../db/client.ts';
import { generateDemoOrganizations, loadDemoDirectory } from '../db/directory/demo-organizations.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { BENCH_DIR, CACHE_DIR, prepareDataset } from './dataset.ts';
import { clusterBytes, startCluster, type BenchCluster } from './cluster.ts';
import { checkPlans, logSize, setAutoExplain, type PlanWindow } from './explain.ts';
import { runFixed, runLoad, summarizeLatencies, type LoadResult, type RequestSpec } from './load.ts';
import {
  computeTargets,
  findComparison,
  toMarkdown,
  type BenchResults,
  type DirectoryLoad,
  type SideResult,
  type VariantResult,
} from './report.ts';
import { printProfile, summarizeProfiles } from './profile.ts';
import { heavyPlanCount, isSizeName, SIZES } from './sizes.ts';
import { readStatements, resetStatements, type StatementProfile } from './stats.ts';
import {
  buildVariants,
  createTokens,
  isAuditedKind,
  sampleWorkload,
  type Side,
  type Variant,
  type WorkloadCounters,
} from './workload.ts';

// `npm run bench [-- --size XS|S|L] [--quick] [--only S1,S4] [--fresh] [--no-cache] [--profile]`
//
// 1. A dataset: generated into a PostgreSQL of its own (cached per size under bench/node_modules/.cache).
// 2. That PostgreSQL started with pg_stat_statements and auto_explain preloaded.
// 3. The server in a child process (bench/server.ts: buildApp + the bench-only routes), in
//    production mode. A child, not this process: autocannon is CPU-bound JavaScript and must not
//    share the server's event loop; the server's memory and CPU are then its own, read from /proc.
// 4. Sessions and tokens for every sampled user; one request per scenario as a smoke test.
// 5. The query-plan probe (auto_explain on for a few requests per scenario).
// 6. Per scenario: warm-up; statements per request (a fixed number of requests); measured runs,
//    app and baseline interleaved; hello world at the start, middle and end.
// 7. p99 at 1 connection for every read; clean shutdown; the audit check; results.
// Before the server starts: the demo directory loaded into a scratch database (`directory`).

const ROOT = path.resolve(BENCH_DIR, '..');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');

interface Phases {
  warmup: number;
  duration: number;
  rounds: number;
  countAmount: number;
  oneConnection: number;
  probeAmount: number;
  hello: number;
}

const FULL: Phases = {
  warmup: 3,
  duration: 10,
  rounds: 2,
  countAmount: 300,
  oneConnection: 5,
  probeAmount: 20,
  hello: 10,
};
const QUICK: Phases = {
  warmup: 0,
  duration: 1.5,
  rounds: 1,
  countAmount: 40,
  oneConnection: 0.5,
  probeAmount: 5,
  hello: 1.5,
};
const CONNECTIONS = 50;
/** Loads of the demo directory; the median is reported. */
const DIRECTORY_RUNS = 3;

const runStarted = performance.now();
/** The code under test: other work lands while a run goes on, so every result names its commit. */
function codeVersion(): { commit: string; uncommitted: string[] } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommitted: git('status', '--porcelain', '--', 'server', 'db', 'policies')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(3)),
    };
  } catch {
    return { commit: 'unknown', uncommitted: [] };
  }
}

const log = (line: string) =>
  console.log(`${((performance.now() - runStarted) / 1000).toFixed(0).padStart(4)} s ${line}`);
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function startServer(
  databaseUrl: string,
  rawDatabaseUrl: string,
  profileDir: string | null,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      path.join(BENCH_DIR, 'server.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: databaseUrl,
        BENCH_RAW_DATABASE_URL: rawDatabaseUrl,
        JWT_SECRET: randomBytes(32).toString('base64url'),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { listening?: number }) =>
      message.listening
        ? resolve(message.listening)
        : reject(new Error('unexpected message from the server')),
    );
    child.once('exit', (code) => reject(new Error(`the server exited with code ${code} before listening`)));
  });
  return { child, port };
}

/** The application role on the bench database (db/app-role.ts), and its URL. */
async function applicationRoleUrl(ownerUrl: string): Promise<string> {
  const password = randomBytes(24).toString('base64url');
  const owner = connectDatabase(ownerUrl, { max: 1 });
  try {
    await ensureApplicationRole(owner.db, { password });
  } finally {
    await owner.close();
  }
  const url = new URL(ownerUrl);
  url.username = APPLICATION_ROLE;
  url.password = password;
  return url.toString();
}

/**
 * The demo directory (4,000 organisations, whatever the size) generated and inserted by
 * `loadDemoDirectory` into a fresh, migrated scratch database of the bench cluster, a few times;
 * dropped afterwards. A test asserted this once (< 5 s) and failed on a loaded machine: here it is
 * a number next to the machine's load, with a target.
 */
async function measureDirectoryLoad(cluster: BenchCluster, admin: postgres.Sql): Promise<DirectoryLoad> {
  const name = 'liaison_directory_probe';
  await admin.unsafe(`drop database if exists ${name}`);
  await admin.unsafe(`create database ${name}`);
  const connection = connectDatabase(cluster.url(name), { max: 2 });
  try {
    await migrateDatabase(connection.db);
    const generateStarted = performance.now();
    const organizations = generateDemoOrganizations().length;
    const generateSeconds = (performance.now() - generateStarted) / 1000;
    const runs: number[] = [];
    for (let run = 0; run < DIRECTORY_RUNS; run += 1) {
      if (run > 0) await connection.db.execute(sql`delete from organizations`);
      const started = performance.now();
      const inserted = await loadDemoDirectory(connection.db);
      runs.push((performance.now() - started) / 1000);
      if (inserted !== organizations)
        throw new Error(`the demo directory inserted ${inserted} organisations, not ${organizations}`);
    }
    const sorted = [...runs].sort((a, b) => a - b);
    return { organizations, generateSeconds, runs, seconds: sorted[Math.floor(sorted.length / 2)] ?? NaN };
  } finally {
    await connection.close();
    await admin.unsafe(`drop database if exists ${name}`);
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

function mergeRuns(runs: LoadResult[], samples: number[][]): SideResult {
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const responses = runs.reduce((sum, run) => sum + run.responses, 0);
  const failures: Record<string, number> = {};
  for (const run of runs)
    for (const [key, value] of Object.entries(run.failures)) failures[key] = (failures[key] ?? 0) + value;
  return {
    runs: runs.length,
    seconds,
    responses,
    rps: responses / seconds,
    latency: summarizeLatencies(samples.flat()),
    failures,
    serverCpuMsPerRequest:
      runs.reduce((sum, run) => sum + run.serverCpuMsPerRequest * run.responses, 0) / (responses || 1),
    rssPeakMb: Math.max(...runs.map((run) => run.rssPeakMb)),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'L' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
    },
  });
  const sizeName = values.size ?? 'L';
  if (!isSizeName(sizeName)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  const size = SIZES[sizeName];
  const phases = values.quick ? QUICK : FULL;
  const only = values.only ? new Set(values.only.split(',')) : null;
  const started = runStarted;
  const loadStart = os.loadavg();
  const code = codeVersion();
  log(`Liaison benchmark: ${sizeName}${values.quick ? ' (quick)' : ''}`);

  // ---------------------------------------------------------------- dataset and database
  const dataset = await prepareDataset(size, { fresh: values.fresh, cache: !values['no-cache'], log });
  let cluster: BenchCluster | null = null;
  let server: ChildProcess | null = null;
  let admin: postgres.Sql | null = null;
  let db: postgres.Sql | null = null;
  const cleanup = async () => {
    if (server) await stopServer(server);
    await admin?.end({ timeout: 2 });
    await db?.end({ timeout: 2 });
    await cluster?.stop();
    await dataset.dispose();
  };
  process.once('SIGINT', () => {
    log('Interrupted: stopping the server and PostgreSQL…');
    void cleanup().finally(() => process.exit(130));
  });

  try {
    cluster = await startCluster(dataset.dataDir, 'serve');
    admin = postgres(cluster.url('postgres'), { max: 1, onnotice: () => {} });
    db = postgres(cluster.url(), { max: 2, onnotice: () => {} });
    await admin`create extension if not exists pg_stat_statements`;
    const [{ version: pgVersion }] = (await admin`select version()`) as unknown as [{ version: string }];
    const tableRows = Object.fromEntries(
      (
        await db<Array<{ table: string; rows: number }>>`
          select relname as table, reltuples::float8 as rows from pg_class
           where relnamespace = 'public'::regnamespace and relkind = 'r'`
      ).map((row) => [row.table, Number(row.rows)]),
    );

    // ---------------------------------------------------------------- demo directory load
    let directoryLoad: DirectoryLoad | null = null;
    if (!only || only.has('directory')) {
      directoryLoad = await measureDirectoryLoad(cluster, admin);
      log(
        `  demo directory: ${directoryLoad.organizations} organisations loaded in ${directoryLoad.seconds.toFixed(2)} s ` +
          `(median of ${directoryLoad.runs.map((run) => run.toFixed(2)).join(', ')} s; generating them ${directoryLoad.generateSeconds.toFixed(2)} s)`,
      );
    }

    // ---------------------------------------------------------------- server, users, tokens
    const profileDir = values.profile ? path.join(CACHE_DIR, 'profiles') : null;
    if (profileDir) await mkdir(profileDir, { recursive: true });
    // The app serves as the embedded default does: as the application role, under row-level
    // security; the raw baseline reads as the owner, with neither.
    const started_ = await startServer(await applicationRoleUrl(cluster.url()), cluster.url(), profileDir);
    server = started_.child;
    const serverPid = server.pid ?? 0;
    const baseUrl = `http://127.0.0.1:${started_.port}`;
    log(`  server listening on ${baseUrl} (pid ${serverPid}, NODE_ENV=production, LOG_LEVEL=warn)`);

    const workload = await sampleWorkload(db, size);
    const tokens = await createTokens(db, baseUrl, workload.userIds);
    log(
      `  workload: ${workload.s1.length} partner/plan pairs, ${workload.s2.length} plan lists (+ the heavy one, ` +
        `${workload.heavy.visible} plans), ${workload.s3.length} clients, ${workload.s4.length} actions, ` +
        `${workload.s5.length} searches; ${tokens.size} sessions`,
    );

    const counters: WorkloadCounters = { preconditionFailed: 0, refreshes: 0, refreshFailures: 0 };
    const answeredAudited = { count: 0 };
    const record = (kind: string, status: number, n = 1) => {
      if (isAuditedKind(kind) && status >= 200 && status < 300) answeredAudited.count += n;
    };
    const variants = buildVariants(workload, tokens, baseUrl, counters, record).filter(
      (variant) => !only || only.has(variant.id) || only.has(variant.scenario),
    );
    const [{ n: auditBefore }] = (await db`select count(*)::float8 as n from audit_events`) as unknown as [
      { n: number },
    ];

    const load = async (
      variant: Variant,
      side: Side,
      options: { connections: number; duration?: number; amount?: number },
    ) => {
      const result = await runLoad({
        baseUrl,
        serverPid,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 1 }),
        next: () => variant.next(side),
      });
      if (side === 'app')
        for (const [kind, statuses] of Object.entries(result.byKind))
          for (const [status, n] of Object.entries(statuses)) record(kind, Number(status), n);
      return result;
    };

    const fixed = async (variant: Variant, side: Side, options: { concurrency: number; amount: number }) => {
      const result = await runFixed({ baseUrl, ...options, next: () => variant.next(side) });
      if (side === 'app')
        for (const [kind, statuses] of Object.entries(result.byKind))
          for (const [status, n] of Object.entries(statuses)) record(kind, Number(status), n);
      return result;
    };

    /**
     * Waits until the server has no statement running: requests cut off at the end of a timed run
     * are still being answered, and must neither count in the next run's statements nor slow it.
     */
    const waitIdle = async () => {
      const pool = admin;
      if (!pool) return;
      let quiet = 0;
      for (let i = 0; i < 1200 && quiet < 3; i += 1) {
        const [{ n }] = (await pool`
          select count(*)::int as n from pg_stat_activity
           where datname = 'liaison' and state <> 'idle' and backend_type = 'client backend'`) as unknown as [
          { n: number },
        ];
        quiet = n === 0 ? quiet + 1 : 0;
        await sleep(50);
      }
    };

    // ---------------------------------------------------------------- smoke test
    for (const variant of variants) {
      for (const side of ['app', 'raw'] as const) {
        const spec: RequestSpec = variant.next(side);
        const response = await fetch(`${baseUrl}${spec.path}`, {
          method: spec.method,
          headers: { ...spec.headers, ...(spec.body ? { 'content-type': 'application/json' } : {}) },
          ...(spec.body ? { body: spec.body } : {}),
        });
        const body = await response.text();
        spec.onResponse?.(response.status, Object.fromEntries(response.headers.entries()));
        if (side === 'app') record(spec.kind, response.status);
        if (!response.ok)
          throw new Error(
            `${variant.id} (${side}) ${spec.method} ${spec.path}: ${response.status} ${body.slice(0, 500)}`,
          );
      }
    }
    log(`  smoke test: every scenario answers 2xx (app and baseline)`);

    // The pool opens its connections lazily: open them all before anything is counted.
    if (phases.warmup === 0 && variants[0]) {
      await load(variants[0], 'app', { connections: CONNECTIONS, duration: 1 });
      await load(variants[0], 'raw', { connections: CONNECTIONS, duration: 1 });
    }

    // ---------------------------------------------------------------- query plans
    const windows: PlanWindow[] = [];
    await setAutoExplain(admin, true);
    try {
      for (const variant of variants) {
        for (const side of ['app', 'raw'] as const) {
          await waitIdle();
          const from = await logSize(cluster.logFile);
          await fixed(variant, side, { concurrency: 1, amount: phases.probeAmount });
          await sleep(100);
          windows.push({ variant: variant.id, side, from, to: await logSize(cluster.logFile) });
        }
      }
    } finally {
      await setAutoExplain(admin, false);
    }
    await sleep(500);
    const last = windows.at(-1);
    if (last) last.to = await logSize(cluster.logFile);
    const planCheck = await checkPlans(cluster.logFile, windows, tableRows);
    log(
      `  query plans: ${planCheck.plansSeen} plans, ${planCheck.seqScansOnLargeTables.length} sequential scans on large tables in the app's statements` +
        (planCheck.seqScansOnLargeTables.length > 0
          ? ` (${[...new Set(planCheck.seqScansOnLargeTables.map((s) => `${s.variant}/${s.side}: ${s.table}`))].join(', ')})`
          : ''),
    );

    // ---------------------------------------------------------------- hello world
    const helloVariant: Variant = {
      id: 'hello',
      scenario: 'S1',
      title: 'hello world',
      read: true,
      next: () => ({ kind: 'hello', method: 'GET', path: '/bench/hello' }),
    };
    const helloRuns: LoadResult[] = [];
    const helloSamples: number[][] = [];
    const measureHello = async () => {
      await waitIdle();
      const run = await load(helloVariant, 'raw', { connections: CONNECTIONS, duration: phases.hello });
      helloRuns.push(run);
      helloSamples.push(run.samples);
      log(`  hello world: ${run.rps.toFixed(0)} req/s, p99 ${run.latency.p99.toFixed(1)} ms`);
    };
    if (phases.warmup > 0)
      await load(helloVariant, 'raw', { connections: CONNECTIONS, duration: phases.warmup });
    await measureHello();

    // ---------------------------------------------------------------- scenarios
    const measured: Array<Omit<VariantResult, 'helloRatio'>> = [];
    for (const [index, variant] of variants.entries()) {
      if (phases.warmup > 0) {
        await load(variant, 'app', { connections: CONNECTIONS, duration: phases.warmup });
        await load(variant, 'raw', { connections: CONNECTIONS, duration: phases.warmup });
      }
      const statements = {} as Record<Side, StatementProfile>;
      for (const side of ['app', 'raw'] as const) {
        await waitIdle();
        await resetStatements(admin);
        const amount = variant.id.startsWith('S2-heavy')
          ? Math.ceil(phases.countAmount / 3)
          : phases.countAmount;
        const refreshesBefore = counters.refreshes;
        const run = await fixed(variant, side, { concurrency: 10, amount });
        if (Object.keys(run.failures).length > 0)
          log(
            `  ${variant.id} (${side}): answers other than 2xx while counting statements: ${JSON.stringify(run.failures)}`,
          );
        await sleep(300); // ETag refreshes in flight
        statements[side] = await readStatements(
          admin,
          run.responses + (counters.refreshes - refreshesBefore),
        );
      }
      const runs: Record<Side, LoadResult[]> = { app: [], raw: [] };
      const samples: Record<Side, number[][]> = { app: [], raw: [] };
      const order: Side[] = [];
      for (let round = 0; round < phases.rounds; round += 1)
        order.push(...((round % 2 === 0 ? ['app', 'raw'] : ['raw', 'app']) as Side[]));
      for (const side of order) {
        await waitIdle();
        const run = await load(variant, side, { connections: CONNECTIONS, duration: phases.duration });
        runs[side].push(run);
        samples[side].push(run.samples);
      }
      const app = mergeRuns(runs.app, samples.app);
      const raw = mergeRuns(runs.raw, samples.raw);
      measured.push({
        id: variant.id,
        scenario: variant.scenario,
        title: variant.title,
        read: variant.read,
        app,
        raw,
        ratio: app.rps / raw.rps,
        p99Ratio: app.latency.p99 / raw.latency.p99,
        statements,
      });
      log(
        `  ${variant.id.padEnd(14)} app ${app.rps.toFixed(0).padStart(6)} req/s p99 ${app.latency.p99.toFixed(1).padStart(6)} ms | ` +
          `baseline ${raw.rps.toFixed(0).padStart(6)} req/s p99 ${raw.latency.p99.toFixed(1).padStart(6)} ms | ` +
          `${(app.rps / raw.rps).toFixed(2)}× | SQL/req ${statements.app.perRequest} (${statements.raw.perRequest})` +
          (Object.keys(app.failures).length > 0 ? ` | app non-2xx ${JSON.stringify(app.failures)}` : ''),
      );
      if (index === Math.floor(variants.length / 2) && !values.quick) await measureHello();
    }
    await measureHello();
    const hello = mergeRuns(helloRuns, helloSamples);

    // ---------------------------------------------------------------- one connection
    const oneConnection = new Map<string, VariantResult['oneConnection']>();
    for (const variant of variants.filter((v) => v.read)) {
      const result = {} as NonNullable<VariantResult['oneConnection']>;
      for (const side of ['app', 'raw'] as const) {
        await waitIdle();
        const run = await load(variant, side, { connections: 1, duration: phases.oneConnection });
        result[side] = { rps: run.rps, p50: run.latency.p50, p99: run.latency.p99 };
      }
      oneConnection.set(variant.id, result);
      log(
        `  ${variant.id.padEnd(14)} 1 connection: p99 ${result.app.p99.toFixed(1)} ms (baseline ${result.raw.p99.toFixed(1)} ms)`,
      );
    }

    // ---------------------------------------------------------------- clean shutdown, audit
    await waitIdle();
    await stopServer(server);
    server = null;
    const [{ n: auditAfter }] = (await db`select count(*)::float8 as n from audit_events`) as unknown as [
      { n: number },
    ];
    const written = auditAfter - auditBefore;
    const s1Statements = measured.find((v) => v.id === 'S1')?.statements.app;
    const auditNote =
      s1Statements &&
      s1Statements.byCategory.audit > 0 &&
      Math.abs(s1Statements.auditRowsPerRequest - 1) < 0.05
        ? 'Each audited request inserts its own event and commits it before it is answered (measured: one audit INSERT ' +
          'per S1 request, in its own transaction), so a crash loses no event of an answered request, only requests in flight.'
        : `Audit events are not inserted one per request (${s1Statements?.auditRowsPerRequest ?? '?'} rows inserted per S1 ` +
          'request): a crash can lose the events not yet flushed; this run checked only the clean shutdown.';

    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      ramGb: os.totalmem() / 1024 ** 3,
      node: process.version,
      postgres: pgVersion.split(' on ')[0] ?? pgVersion,
      platform: `${os.type()} ${os.release()}`,
      loadAverage: { start: loadStart, end: os.loadavg() },
    };
    const date = new Date().toISOString().slice(0, 10);
    const results: BenchResults = {
      date,
      size: sizeName,
      code,
      quick: values.quick ?? false,
      machine,
      dataset: {
        rows: tableRows,
        generationSeconds: dataset.generation.seconds,
        generatedNow: dataset.generated,
        cachedRunsBefore: dataset.runsBefore,
        bytes: await clusterBytes(dataset.dataDir),
        heavyPlans: heavyPlanCount(size),
      },
      config: {
        connections: CONNECTIONS,
        durationSeconds: phases.duration,
        rounds: phases.rounds,
        warmupSeconds: phases.warmup,
        oneConnectionSeconds: phases.oneConnection,
        dbPoolSize: 10,
        server: 'child process, node --import tsx bench/server.ts, NODE_ENV=production, LOG_LEVEL=warn',
        postgresSettings: cluster.settings,
      },
      hello: { runs: helloRuns.map((run) => Math.round(run.rps)), rps: hello.rps, p99: hello.latency.p99 },
      variants: measured.map((v) => ({
        ...v,
        helloRatio: v.app.rps / hello.rps,
        ...(oneConnection.has(v.id) ? { oneConnection: oneConnection.get(v.id) } : {}),
      })),
      planCheck,
      audit: {
        before: auditBefore,
        after: auditAfter,
        written,
        answeredAudited: answeredAudited.count,
        lost: Math.max(0, answeredAudited.count - written),
        note: auditNote,
      },
      s4: counters,
      directoryLoad,
      targets: [],
      comparedWith: null,
      totalSeconds: 0,
    };
    const comparison = sizeName === 'XS' ? null : await findComparison(RESULTS_DIR, 'XS');
    results.comparedWith = comparison
      ? `${comparison.size} of ${comparison.date}${comparison.quick ? ' (quick)' : ''}`
      : null;
    results.targets = computeTargets(results, comparison);
    results.totalSeconds = Math.round((performance.now() - started) / 1000);

    // ---------------------------------------------------------------- output
    await mkdir(RESULTS_DIR, { recursive: true });
    const suffix = `${values.quick ? '-quick' : ''}${only ? '-partial' : ''}`;
    const jsonFile = path.join(RESULTS_DIR, `${date}-${sizeName}${suffix}.json`);
    const prettierConfig = (await prettier.resolveConfig(path.join(BENCH_DIR, 'RESULTS.md'))) ?? {};
    await writeFile(
      jsonFile,
      await prettier.format(JSON.stringify(results), { ...prettierConfig, parser: 'json' }),
    );
    const markdown = await prettier.format(toMarkdown(results), { ...prettierConfig, parser: 'markdown' });
    if (!values.quick && !only) await writeFile(path.join(BENCH_DIR, 'RESULTS.md'), markdown);
    console.log(`\n${markdown}`);
    log(
      `Results: ${path.relative(process.cwd(), jsonFile)}${!values.quick && !only ? ' and bench/RESULTS.md' : ''}`,
    );
    if (profileDir)
      for (const summary of await summarizeProfiles(profileDir, ROOT)) printProfile(summary, log);
    log(`Done in ${results.totalSeconds} s.`);
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
