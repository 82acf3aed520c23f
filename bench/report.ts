import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PlanCheck } from './explain.ts';
import type { LoadResult } from './load.ts';
import type { StatementProfile } from './stats.ts';

// The results: one JSON file per run under bench/results, a markdown table (printed, and written
// to bench/RESULTS.md by full runs), and where every target of issue 7 stands.

export interface SideResult {
  runs: number;
  seconds: number;
  responses: number;
  rps: number;
  latency: LoadResult['latency'];
  failures: Record<string, number>;
  serverCpuMsPerRequest: number;
  rssPeakMb: number;
}

export interface OneConnection {
  rps: number;
  p50: number;
  p99: number;
}

export interface VariantResult {
  id: string;
  scenario: string;
  title: string;
  read: boolean;
  app: SideResult;
  raw: SideResult;
  /** app req/s ÷ baseline req/s */
  ratio: number;
  /** app p99 ÷ baseline p99 at 50 connections */
  p99Ratio: number;
  /** app req/s ÷ hello-world req/s */
  helloRatio: number;
  statements: { app: StatementProfile; raw: StatementProfile };
  oneConnection?: { app: OneConnection; raw: OneConnection };
}

export interface Target {
  target: string;
  value: string;
  limit: string;
  status: 'PASS' | 'MISS' | 'n/a';
}

/** The demo directory loaded into an empty database (`loadDemoDirectory`), timed. */
export interface DirectoryLoad {
  organizations: number;
  /** Generating the rows alone, in seconds. */
  generateSeconds: number;
  /** Generating and inserting, each run, in seconds. */
  runs: number[];
  /** The median of the runs. */
  seconds: number;
}

export interface BenchResults {
  date: string;
  size: string;
  /** The commit the server ran, and files of server/, db/, policies/ that differed from it. */
  code: { commit: string; uncommitted: string[] };
  quick: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    ramGb: number;
    node: string;
    postgres: string;
    platform: string;
    loadAverage: { start: number[]; end: number[] };
  };
  dataset: {
    rows: Record<string, number>;
    generationSeconds: number;
    generatedNow: boolean;
    cachedRunsBefore: number;
    bytes: number;
    heavyPlans: number;
  };
  config: {
    connections: number;
    durationSeconds: number;
    rounds: number;
    warmupSeconds: number;
    oneConnectionSeconds: number;
    dbPoolSize: number;
    server: string;
    postgresSettings: Record<string, string>;
  };
  hello: { runs: number[]; rps: number; p99: number };
  variants: VariantResult[];
  planCheck: PlanCheck;
  audit: {
    before: number;
    after: number;
    written: number;
    answeredAudited: number;
    lost: number;
    note: string;
  };
  s4: { preconditionFailed: number; refreshes: number; refreshFailures: number };
  /** Null when `--only` left it out (and in results of runs before it was measured). */
  directoryLoad?: DirectoryLoad | null;
  targets: Target[];
  comparedWith: string | null;
  totalSeconds: number;
}

const f = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '–';
const x = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');

function target(name: string, value: number, limit: number, kind: '≥' | '≤', show = x): Target {
  const ok = kind === '≥' ? value >= limit : value <= limit;
  return {
    target: name,
    value: show(value),
    limit: `${kind} ${show(limit)}`,
    status: Number.isFinite(value) ? (ok ? 'PASS' : 'MISS') : 'n/a',
  };
}

const ms = (value: number) => `${f(value, 1)} ms`;
const count = (value: number) => f(value, 2);

/** The newest result of another size to compare scaling with (a full run rather than a quick one). */
export async function findComparison(resultsDir: string, size: string): Promise<BenchResults | null> {
  let files: string[];
  try {
    files = (await readdir(resultsDir)).filter((file) => file.endsWith('.json')).sort();
  } catch {
    return null;
  }
  const candidates = files.filter((file) => file.includes(`-${size}`));
  const full = candidates.filter((file) => !file.includes('quick'));
  const chosen = (full.length > 0 ? full : candidates).at(-1);
  if (!chosen) return null;
  return JSON.parse(await readFile(path.join(resultsDir, chosen), 'utf8')) as BenchResults;
}

export function computeTargets(results: BenchResults, small: BenchResults | null): Target[] {
  const targets: Target[] = [];
  const v = (id: string) => results.variants.find((variant) => variant.id === id);
  const ratioTargets: Array<[string, number]> = [
    ['S1', 0.7],
    ['S2', 0.8],
    ['S2-deep', 0.8],
    ['S3', 0.8],
    ['S3-deep', 0.8],
    ['S4', 0.7],
    ['S5', 0.85],
    ['S6', 0.7],
  ];
  for (const [id, limit] of ratioTargets) {
    const variant = v(id);
    if (variant) targets.push(target(`${id} req/s vs its baseline`, variant.ratio, limit, '≥'));
  }
  const s1 = v('S1');
  if (s1)
    targets.push(
      target(
        'S1 SQL statements per request besides the audit event',
        s1.statements.app.besidesAudit,
        3,
        '≤',
        count,
      ),
    );
  for (const variant of results.variants)
    targets.push(target(`${variant.id} p99 at 50 connections vs the baseline's`, variant.p99Ratio, 1.5, '≤'));
  for (const variant of results.variants.filter((item) => item.read && item.oneConnection))
    targets.push(
      target(`${variant.id} p99 at 1 connection`, variant.oneConnection?.app.p99 ?? NaN, 10, '≤', ms),
    );
  const heavy = v('S2-heavy');
  const normal = v('S2');
  if (heavy && normal)
    targets.push(
      target("heavy professional's S2 vs a normal one's (req/s)", heavy.app.rps / normal.app.rps, 0.8, '≥'),
    );
  const heavyDeep = v('S2-heavy-deep');
  const normalDeep = v('S2-deep');
  if (heavyDeep && normalDeep)
    targets.push(
      target(
        "heavy professional's deep S2 page vs a normal one's (req/s)",
        heavyDeep.app.rps / normalDeep.app.rps,
        0.8,
        '≥',
      ),
    );
  if (small && small.size !== results.size) {
    for (const variant of results.variants) {
      const before = small.variants.find((item) => item.id === variant.id);
      if (!before) continue;
      // Absolute req/s of two runs on a shared machine are noise: each is taken relative to its
      // own run's hello-world ceiling.
      targets.push(
        target(
          `${variant.id} req/s ${results.size} vs ${small.size} (each ÷ its hello world)`,
          variant.helloRatio / before.helloRatio,
          0.85,
          '≥',
        ),
      );
      targets.push(
        target(
          `${variant.id} p99 ${results.size} vs ${small.size}`,
          variant.app.latency.p99 / before.app.latency.p99,
          1.2,
          '≤',
        ),
      );
      // The sampled partners see different sections (so many statements): equal within 5%.
      const same =
        Math.abs(variant.statements.app.perRequest - before.statements.app.perRequest) <=
        0.05 * before.statements.app.perRequest;
      targets.push({
        target: `${variant.id} SQL statements per request ${results.size} vs ${small.size}`,
        value: `${count(variant.statements.app.perRequest)} vs ${count(before.statements.app.perRequest)}`,
        limit: 'equal (± 5%)',
        status: same ? 'PASS' : 'MISS',
      });
    }
  }
  if (results.directoryLoad)
    targets.push(
      target(
        `demo directory (${f(results.directoryLoad.organizations)} organisations) generated and loaded into an empty database`,
        results.directoryLoad.seconds,
        5,
        '≤',
        (value) => `${f(value, 2)} s`,
      ),
    );
  targets.push({
    target: "no sequential scan on a large table in any scenario's statements",
    value: `${results.planCheck.seqScansOnLargeTables.length} found in ${results.planCheck.plansSeen} plans`,
    limit: '0',
    status: results.planCheck.seqScansOnLargeTables.length === 0 ? 'PASS' : 'MISS',
  });
  targets.push({
    target: 'no audit event of an answered request lost (clean shutdown)',
    value: `${results.audit.written} written for ${results.audit.answeredAudited} audited answers`,
    limit: 'written ≥ answered',
    status: results.audit.lost === 0 ? 'PASS' : 'MISS',
  });
  return targets;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function toMarkdown(results: BenchResults): string {
  const m = results.machine;
  const d = results.dataset;
  const c = results.config;
  const rows = results.dataset.rows;
  const out: string[] = [];
  out.push(`# Liaison benchmark: ${results.size}${results.quick ? ' (quick)' : ''}, ${results.date}`);
  out.push('');
  out.push(
    `Code: commit ${results.code.commit}${
      results.code.uncommitted.length > 0
        ? ` with uncommitted changes to ${results.code.uncommitted.join(', ')}`
        : ''
    }.`,
  );
  out.push('');
  out.push(
    `Machine: ${m.cpus} cores (${m.cpuModel}), ${f(m.ramGb)} GB RAM, Node ${m.node}, ${m.postgres}, ${m.platform}; ` +
      `load average ${m.loadAverage.start.map((l) => l.toFixed(2)).join(' / ')} at the start, ` +
      `${m.loadAverage.end.map((l) => l.toFixed(2)).join(' / ')} at the end (the machine is shared: absolute numbers are noisy, ratios of the same run matter).`,
  );
  out.push('');
  out.push(
    `Dataset ${results.size}: ${f(rows.organizations ?? 0)} organisations, ${f(rows.users ?? 0)} users, ` +
      `${f(rows.plans ?? 0)} plans, ${f(rows.members ?? 0)} members, ${f(rows.grants ?? 0)} grants, ` +
      `${f(rows.actions ?? 0)} actions, ${f(rows.audit_events ?? 0)} audit events; the heavy professional is in ` +
      `${f(d.heavyPlans)} plans; ${f(d.bytes / 1024 ** 3, 1)} GB on disk; generated in ${f(d.generationSeconds)} s` +
      `${d.generatedNow ? ' by this run' : ` (cached, used by ${d.cachedRunsBefore} earlier run${d.cachedRunsBefore === 1 ? '' : 's'})`}.`,
  );
  out.push('');
  out.push(
    `Method: the real server (${c.server}) on its own PostgreSQL; autocannon on 127.0.0.1, ${c.connections} connections, ` +
      `warm-up ${c.warmupSeconds} s, then ${c.rounds} measured round${c.rounds === 1 ? '' : 's'} of ${c.durationSeconds} s ` +
      `per side, app and raw baseline interleaved (A B${c.rounds > 1 ? ' B A' : ''}); baseline = the same reads as prepared ` +
      `postgres.js statements without auth, policies or audit, served by the same process and pool (${c.dbPoolSize} connections). ` +
      `Hello world: ${results.hello.runs.map((r) => f(r)).join(', ')} req/s (mean ${f(results.hello.rps)}). ` +
      `SQL statements per request and DB ms per request (execution + planning) from pg_stat_statements over a fixed ` +
      `number of requests after the warm-up (BEGIN/COMMIT included); server CPU ms per request from /proc over the ` +
      `measured runs; RSS: the server's resident memory, sampled every 100 ms; ` +
      `p99 at 1 connection over ${c.oneConnectionSeconds} s.`,
  );
  out.push('');
  out.push(
    table(
      [
        'scenario',
        'req/s',
        'p50',
        'p99',
        'baseline req/s',
        'baseline p99',
        'vs baseline',
        'p99 vs baseline',
        'vs hello',
        'SQL/req (besides audit)',
        'baseline SQL/req',
        'server CPU ms/req (baseline)',
        'DB ms/req (baseline)',
        'RSS peak MB',
        'p99 @1 conn (baseline)',
      ],
      results.variants.map((v) => [
        `**${v.id}** ${v.title}`,
        f(v.app.rps),
        ms(v.app.latency.p50),
        ms(v.app.latency.p99),
        f(v.raw.rps),
        ms(v.raw.latency.p99),
        x(v.ratio),
        x(v.p99Ratio),
        x(v.helloRatio),
        `${count(v.statements.app.perRequest)} (${count(v.statements.app.besidesAudit)})`,
        count(v.statements.raw.perRequest),
        `${f(v.app.serverCpuMsPerRequest, 2)} (${f(v.raw.serverCpuMsPerRequest, 2)})`,
        `${f(v.statements.app.dbMsPerRequest, 2)} (${f(v.statements.raw.dbMsPerRequest, 2)})`,
        f(v.app.rssPeakMb),
        v.oneConnection ? `${ms(v.oneConnection.app.p99)} (${ms(v.oneConnection.raw.p99)})` : '–',
      ]),
    ),
  );
  const failures = results.variants.filter(
    (v) => Object.keys(v.app.failures).length > 0 || Object.keys(v.raw.failures).length > 0,
  );
  if (failures.length > 0) {
    out.push('');
    out.push(
      `Answers other than 2xx: ${failures
        .map(
          (v) => `${v.id} app ${JSON.stringify(v.app.failures)}, baseline ${JSON.stringify(v.raw.failures)}`,
        )
        .join('; ')}.`,
    );
  }
  out.push('');
  out.push(
    `S4: ${results.s4.preconditionFailed} answers 412 (stale If-Match), each followed by a GET for the fresh ETag ` +
      `(${results.s4.refreshes} refreshes, ${results.s4.refreshFailures} failed).`,
  );
  if (results.directoryLoad) {
    const load = results.directoryLoad;
    out.push('');
    out.push(
      `Demo directory: ${f(load.organizations)} organisations generated and inserted by \`loadDemoDirectory\` into an ` +
        `empty, migrated database of the same PostgreSQL before the server starts: ${f(load.seconds, 2)} s ` +
        `(median of ${load.runs.map((run) => f(run, 2)).join(', ')} s), of which generating the rows ${f(load.generateSeconds, 2)} s.`,
    );
  }
  out.push('');
  out.push('## Targets (issue 7)');
  out.push('');
  out.push(
    table(
      ['target', 'value', 'limit', ''],
      results.targets.map((t) => [t.target, t.value, t.limit, t.status === 'MISS' ? '**MISS**' : t.status]),
    ),
  );
  out.push('');
  const misses = results.targets.filter((t) => t.status === 'MISS').length;
  out.push(
    `${misses} of ${results.targets.length} targets missed${results.comparedWith ? `; scaling compared with ${results.comparedWith}` : ''}.`,
  );
  out.push('');
  out.push('## Query plans');
  out.push('');
  const plan = results.planCheck;
  if (plan.seqScansOnLargeTables.length === 0) {
    out.push(
      `No sequential scan on a large table (≥ 10,000 rows) in ${plan.plansSeen} plans logged by auto_explain during the probe.`,
    );
  } else {
    out.push(
      `**FAIL: ${plan.seqScansOnLargeTables.length} sequential scan${plan.seqScansOnLargeTables.length === 1 ? '' : 's'} on large tables** (of ${plan.plansSeen} plans logged by auto_explain):`,
    );
    out.push('');
    out.push(
      table(
        ['scenario', 'side', 'table', 'rows', 'statement'],
        plan.seqScansOnLargeTables.map((s) => [
          s.variant,
          s.side,
          s.table,
          f(s.tableRows),
          `\`${s.query.slice(0, 200)}\``,
        ]),
      ),
    );
  }
  if (plan.baselineSeqScansOnLargeTables.length > 0) {
    out.push('');
    out.push(
      `The raw baseline (not checked, for information) scans: ${plan.baselineSeqScansOnLargeTables
        .map((s) => `${s.variant}: ${s.table}`)
        .join(', ')}.`,
    );
  }
  if (plan.seqScansOnSmallTables.length > 0) {
    out.push('');
    out.push(
      `Sequential scans on small tables (fine): ${[...new Set(plan.seqScansOnSmallTables.map((s) => `${s.table} (${f(s.tableRows)} rows)`))].join(', ')}.`,
    );
  }
  out.push('');
  out.push('## Audit');
  out.push('');
  out.push(
    `${results.audit.written} audit events written for ${results.audit.answeredAudited} audited answers (2xx of S1, S4 and ` +
      `the S4 ETag refreshes; the surplus is requests cut off by the end of a timed run, processed but never answered). ${results.audit.note}`,
  );
  out.push('');
  out.push('## SQL statements per request (app)');
  for (const v of results.variants) {
    out.push('');
    const s = v.statements.app;
    out.push(
      `**${v.id}**: ${count(s.perRequest)} per request (session ${count(s.byCategory.session)}, grants/facts ${count(s.byCategory.facts)}, ` +
        `content ${count(s.byCategory.content)}, audit ${count(s.byCategory.audit)}, BEGIN/COMMIT ${count(s.byCategory.transaction)}); ` +
        `database time ${f(s.dbMsPerRequest, 2)} ms per request, of which planning ${f(s.planMsPerRequest, 2)} ms.`,
    );
    out.push('');
    out.push(
      table(
        ['per request', 'category', 'ms', 'statement'],
        s.statements
          .slice(0, 14)
          .map((st) => [
            count(st.perRequest),
            st.category,
            f(st.msPerRequest, 3),
            `\`${st.query.replace(/\|/g, '\\|')}\``,
          ]),
      ),
    );
  }
  out.push('');
  return out.join('\n');
}
