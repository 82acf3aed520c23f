import { readFileSync } from 'node:fs';
import autocannon, { type AutocannonResult } from 'autocannon';

// One load run with autocannon against 127.0.0.1: every request is built by `next()` (so that
// runs rotate over many users, plans and items), every answer goes back to the request that
// asked it. Latencies are kept at full precision (autocannon's histogram has 1 ms buckets), the
// server's resident memory is sampled every 100 ms and its CPU time read from /proc.

export interface RequestSpec {
  method: 'GET' | 'PATCH' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The scenario part that made it (`S1`, `S2-deep`, `S4`…), for accounting. */
  kind: string;
  onResponse?: (status: number, headers: Record<string, string | string[]>) => void;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  responses: number;
  ok: number;
  /** Answers by status other than 2xx, and socket errors and timeouts. */
  failures: Record<string, number>;
  rps: number;
  /** Over 2xx answers, in milliseconds. */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  rssPeakMb: number;
  /** Server CPU time (user + system) per answer, in milliseconds. */
  serverCpuMsPerRequest: number;
  /** Answers per kind and status, for the audit check and the S4 412 count. */
  byKind: Record<string, Record<string, number>>;
}

export interface LoadOptions {
  baseUrl: string;
  connections: number;
  /** Seconds; or `amount` requests in all (every one answered before the run ends). */
  duration?: number;
  amount?: number;
  next: () => RequestSpec;
  serverPid: number;
}

const CLOCK_TICKS_PER_SECOND = 100;

function readRssKb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU time of a process, in milliseconds. */
export function readCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function summarizeLatencies(samples: number[]): LoadResult['latency'] {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean,
  };
}

/** Runs one load and returns its numbers, with the raw 2xx latencies for merging runs. */
export async function runLoad(options: LoadOptions): Promise<LoadResult & { samples: number[] }> {
  const samples: number[] = [];
  const byKind: LoadResult['byKind'] = {};
  const failures: Record<string, number> = {};
  let responses = 0;
  let ok = 0;
  let rssPeakKb = readRssKb(options.serverPid);
  const sampler = setInterval(() => {
    rssPeakKb = Math.max(rssPeakKb, readRssKb(options.serverPid));
  }, 100);
  const cpuBefore = readCpuMs(options.serverPid);
  const started = performance.now();

  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
        timeout: 60,
        requests: [
          {
            setupRequest: (request, context) => {
              const spec = options.next();
              context.spec = spec;
              return {
                ...request,
                method: spec.method,
                path: spec.path,
                headers: { ...spec.headers, ...(spec.body ? { 'content-type': 'application/json' } : {}) },
                ...(spec.body ? { body: spec.body } : { body: undefined }),
              };
            },
            onResponse: (status, _body, context, headers) => {
              const spec = context.spec as RequestSpec | undefined;
              responses += 1;
              if (status >= 200 && status < 300) ok += 1;
              else failures[String(status)] = (failures[String(status)] ?? 0) + 1;
              if (spec) {
                const counts = (byKind[spec.kind] ??= {});
                counts[String(status)] = (counts[String(status)] ?? 0) + 1;
                spec.onResponse?.(status, headers);
              }
            },
          },
        ],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      if (status >= 200 && status < 300) samples.push(responseTime);
    });
  });
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  rssPeakKb = Math.max(rssPeakKb, readRssKb(options.serverPid));
  const cpuMs = readCpuMs(options.serverPid) - cpuBefore;
  if (result.errors > 0) failures.errors = result.errors;
  if (result.timeouts > 0) failures.timeouts = result.timeouts;
  return {
    connections: options.connections,
    seconds,
    responses,
    ok,
    failures,
    rps: responses / seconds,
    latency: summarizeLatencies(samples),
    rssPeakMb: Math.round(rssPeakKb / 102.4) / 10,
    serverCpuMsPerRequest: responses > 0 ? cpuMs / responses : Number.NaN,
    byKind,
    samples,
  };
}

/**
 * Sends `amount` requests over `concurrency` keep-alive connections and waits for every answer
 * (autocannon's `amount` mode ends on its one-second tick: too slow for many short probes).
 */
export async function runFixed(options: {
  baseUrl: string;
  concurrency: number;
  amount: number;
  next: () => RequestSpec;
}): Promise<{ responses: number; byKind: LoadResult['byKind']; failures: Record<string, number> }> {
  const byKind: LoadResult['byKind'] = {};
  const failures: Record<string, number> = {};
  let sent = 0;
  let responses = 0;
  const worker = async () => {
    while (sent < options.amount) {
      sent += 1;
      const spec = options.next();
      let status: number;
      let headers: Record<string, string>;
      try {
        const response = await fetch(`${options.baseUrl}${spec.path}`, {
          method: spec.method,
          headers: { ...spec.headers, ...(spec.body ? { 'content-type': 'application/json' } : {}) },
          ...(spec.body ? { body: spec.body } : {}),
        });
        await response.arrayBuffer();
        status = response.status;
        headers = Object.fromEntries(response.headers.entries());
      } catch {
        failures.errors = (failures.errors ?? 0) + 1;
        continue;
      }
      responses += 1;
      if (status < 200 || status >= 300) failures[String(status)] = (failures[String(status)] ?? 0) + 1;
      const counts = (byKind[spec.kind] ??= {});
      counts[String(status)] = (counts[String(status)] ?? 0) + 1;
      spec.onResponse?.(status, headers);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { responses, byKind, failures };
}
