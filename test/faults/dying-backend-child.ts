/**
 * Runs in a child process, because the failure it looks for is a crash of the process: a
 * transaction whose backend is terminated (kill of one PostgreSQL backend) in each place it can
 * happen. The pool has one connection, so that every scenario reuses the connection that died.
 * Prints one JSON line per scenario and one summary line.
 *
 * Usage: node --import tsx test/faults/dying-backend-child.ts <database url> <rounds>
 */
import { sql as raw } from 'drizzle-orm';
import { connectDatabase } from '../../db/client.ts';

const [url, roundsText = '5'] = process.argv.slice(2);
if (!url) throw new Error('usage: dying-backend-child.ts <database url> [rounds]');
const rounds = Number(roundsText);

process.on('uncaughtException', (error) => {
  console.log(JSON.stringify({ crash: String(error?.stack ?? error) }));
  process.exit(70);
});
process.on('unhandledRejection', (error) => {
  console.log(JSON.stringify({ crash: `unhandled rejection: ${String((error as Error)?.stack ?? error)}` }));
  process.exit(71);
});

const app = connectDatabase(url, { max: 1 });
const killer = connectDatabase(url, { max: 1 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const terminate = async (pid: number) => {
  await killer.sql`select pg_terminate_backend(${pid})`;
};

/**
 * during: the backend dies while a statement runs; between: while the transaction waits between
 * two statements; before-commit: after the last statement; stray-write: between two statements
 * while another request waits for the pool's only connection, which the pool then reconnects —
 * the transaction's next INSERT must not run there, outside any transaction.
 */
const SCENARIOS = ['during', 'between', 'before-commit', 'stray-write'] as const;
type Scenario = (typeof SCENARIOS)[number];

function codeOf(error: unknown): string {
  const outer = error as { code?: string; message?: string; cause?: { code?: string } };
  return outer.cause?.code ?? outer.code ?? outer.message ?? String(error);
}

async function killedTransaction(scenario: Scenario, round: number): Promise<string> {
  let waiting: Promise<unknown> | null = null;
  try {
    await app.db.transaction(async (tx) => {
      const [row] = await tx.execute<{ pid: number }>(raw`select pg_backend_pid() as pid`);
      const pid = Number(row!.pid);
      if (scenario === 'during') {
        setTimeout(() => void terminate(pid), 50);
        await tx.execute(raw`select pg_sleep(2)`);
        return;
      }
      if (scenario === 'stray-write') waiting = app.db.execute(raw`select 1`);
      await terminate(pid);
      await sleep(100);
      if (scenario === 'between') await tx.execute(raw`select 1`);
      if (scenario === 'stray-write') await tx.execute(raw`insert into fault_rows (round) values (${round})`);
    });
    return 'committed';
  } catch (error) {
    return `rejected:${codeOf(error)}`;
  } finally {
    await (waiting as Promise<unknown> | null)?.catch(() => undefined);
  }
}

await app.db.execute(raw`create table if not exists fault_rows (round int not null)`);
let outcomes = 0;
let hung = 0;
let committed = 0;
for (let round = 0; round < rounds; round++) {
  for (const scenario of SCENARIOS) {
    const outcome = await Promise.race([
      killedTransaction(scenario, round),
      sleep(10_000).then(() => 'hung'),
    ]);
    outcomes++;
    if (outcome === 'hung') hung++;
    if (outcome === 'committed') committed++;
    // The connection that died must serve the next request, without the old backend's error.
    const next = await app.db
      .execute<{ one: number }>(raw`select 1 as one`)
      .then(() => 'ok')
      .catch((error: unknown) => `failed:${codeOf(error)}`);
    console.log(JSON.stringify({ round, scenario, outcome, next }));
  }
}
const [stray] = await app.db.execute<{ count: number }>(raw`select count(*)::int as count from fault_rows`);
console.log(JSON.stringify({ summary: { outcomes, hung, committed, strayRows: Number(stray!.count) } }));
await app.close();
await killer.close();
