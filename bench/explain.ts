import { open, stat } from 'node:fs/promises';
import type postgres from 'postgres';

// The query-plan check: auto_explain (preloaded, off by default) is switched on for a probe in
// which every scenario sends a few requests with its own users and plans, so that the plans are
// those of the real statements with realistic parameters, as PostgreSQL chose them. Every plan
// is read back from the cluster's JSON log and searched for sequential scans on large tables.

/** A table this big must never be read by a sequential scan in a scenario. */
export const LARGE_TABLE_ROWS = 10_000;

export interface PlanWindow {
  variant: string;
  side: 'app' | 'raw';
  from: number;
  to: number;
}

export interface SeqScan {
  variant: string;
  side: 'app' | 'raw';
  table: string;
  tableRows: number;
  /** Rows the planner expected the scan to return. */
  planRows: number;
  query: string;
}

export interface PlanCheck {
  plansSeen: number;
  largeTables: Record<string, number>;
  /** The app's statements: the check. */
  seqScansOnLargeTables: SeqScan[];
  /** The raw baseline's statements, for information (the baseline is not what ships). */
  baselineSeqScansOnLargeTables: SeqScan[];
  /** Sequential scans on small tables, for information. */
  seqScansOnSmallTables: SeqScan[];
}

export async function setAutoExplain(admin: postgres.Sql, on: boolean): Promise<void> {
  if (on) await admin`alter system set auto_explain.log_min_duration = 0`;
  else await admin`alter system reset auto_explain.log_min_duration`;
  await admin`select pg_reload_conf()`;
  // Backends read the new setting at their next statement; give the reload a moment.
  await new Promise((resolve) => setTimeout(resolve, 300));
}

export async function logSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function readRange(file: string, from: number, to: number): Promise<string> {
  if (to <= from) return '';
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    await handle.read(buffer, 0, buffer.length, from);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

interface PlanNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
}

function* walk(node: PlanNode | undefined): Generator<PlanNode> {
  if (!node) return;
  yield node;
  for (const child of node.Plans ?? []) yield* walk(child);
}

export async function checkPlans(
  logFile: string,
  windows: PlanWindow[],
  tableRows: Record<string, number>,
): Promise<PlanCheck> {
  const large = Object.fromEntries(Object.entries(tableRows).filter(([, rows]) => rows >= LARGE_TABLE_ROWS));
  const result: PlanCheck = {
    plansSeen: 0,
    largeTables: large,
    seqScansOnLargeTables: [],
    baselineSeqScansOnLargeTables: [],
    seqScansOnSmallTables: [],
  };
  const seen = new Set<string>();
  for (const window of windows) {
    const text = await readRange(logFile, window.from, window.to);
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      let entry: { dbname?: string; message?: string };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (entry.dbname !== 'liaison' || !entry.message?.includes('plan:')) continue;
      const json = entry.message.slice(entry.message.indexOf('plan:') + 5);
      let explained: { 'Query Text'?: string; Plan?: PlanNode };
      try {
        explained = JSON.parse(json) as typeof explained;
      } catch {
        continue;
      }
      result.plansSeen += 1;
      for (const node of walk(explained.Plan)) {
        if (node['Node Type'] !== 'Seq Scan' || !node['Relation Name']) continue;
        const table = node['Relation Name'];
        const query = (explained['Query Text'] ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
        const key = `${window.variant}|${window.side}|${table}|${query}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const finding: SeqScan = {
          variant: window.variant,
          side: window.side,
          table,
          tableRows: tableRows[table] ?? 0,
          planRows: node['Plan Rows'] ?? 0,
          query,
        };
        if (table in large && window.side === 'app') result.seqScansOnLargeTables.push(finding);
        else if (table in large) result.baselineSeqScansOnLargeTables.push(finding);
        else result.seqScansOnSmallTables.push(finding);
      }
    }
  }
  return result;
}
