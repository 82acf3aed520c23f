import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

// `npm run bench -- --profile --only S1`: the server runs with --cpu-prof; this summarizes the
// profile it writes on exit: where the server's CPU time went, by package and by function
// (self time), and the inclusive time of the app's own steps.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function owner(url: string, root: string): string {
  if (!url) return '(native / GC / idle)';
  if (url.startsWith('node:')) return 'node internals';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match?.[1]) return match[1];
  const file = url.replace(/^file:\/\//, '');
  return file.startsWith(root) ? path.relative(root, file).split('/').slice(0, 2).join('/') : file;
}

export interface ProfileSummary {
  file: string;
  seconds: number;
  byPackage: Array<{ name: string; percent: number }>;
  byFunction: Array<{ name: string; percent: number }>;
  /** Inclusive time of project functions (the app's steps), as a share of busy time. */
  projectInclusive: Array<{ name: string; percent: number }>;
}

export async function summarizeProfile(file: string, root: string): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const idle = profile.nodes.filter((n) => ['(idle)', '(program)'].includes(n.callFrame.functionName));
  const idleTime = idle.reduce((sum, n) => sum + (self.get(n.id) ?? 0), 0);
  const total = [...self.values()].reduce((sum, v) => sum + v, 0);
  const busy = total - idleTime || 1;
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, time] of self) {
    const node = byId.get(id);
    if (!node || idle.includes(node)) continue;
    const pkg =
      node.callFrame.functionName === '(garbage collector)'
        ? '(garbage collector)'
        : owner(node.callFrame.url, root);
    packages.set(pkg, (packages.get(pkg) ?? 0) + time);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${pkg}:${node.callFrame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + time);
  }
  // Inclusive time of the project's own functions: the sum of self time under each frame, once
  // per sample even when a function recurses.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, time] of self) {
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const node = byId.get(current);
      if (!node) break;
      const url = node.callFrame.url;
      if (!url.includes(root) || url.includes('node_modules')) continue;
      const name = `${node.callFrame.functionName || '(anonymous)'} ${path.relative(root, url.replace(/^file:\/\//, ''))}`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + time);
    }
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, time]) => ({ name, percent: Math.round((1000 * time) / busy) / 10 }));
  return {
    file,
    seconds: (profile.endTime - profile.startTime) / 1e6,
    byPackage: top(packages, 15),
    byFunction: top(functions, 25),
    projectInclusive: top(inclusive, 30),
  };
}

/** The main thread's profile of the latest server run (tsx's loader thread writes one too: `.1.`). */
export async function summarizeProfiles(dir: string, root: string): Promise<ProfileSummary[]> {
  const files = (await readdir(dir)).filter((file) => /\.0\.\d+\.cpuprofile$/.test(file)).sort();
  const latest = files.at(-1);
  return latest ? [await summarizeProfile(path.join(dir, latest), root)] : [];
}

export function printProfile(summary: ProfileSummary, log: (line: string) => void): void {
  log(`CPU profile of the server (${summary.file}, ${summary.seconds.toFixed(0)} s), share of busy time:`);
  log('  by package (self time):');
  for (const row of summary.byPackage) log(`    ${row.percent.toFixed(1).padStart(5)}%  ${row.name}`);
  log('  by function (self time):');
  for (const row of summary.byFunction) log(`    ${row.percent.toFixed(1).padStart(5)}%  ${row.name}`);
  log('  project functions (inclusive):');
  for (const row of summary.projectInclusive) log(`    ${row.percent.toFixed(1).padStart(5)}%  ${row.name}`);
}
