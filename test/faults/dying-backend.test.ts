import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConnection } from '../../db/client.ts';
import { createBlankDatabase } from '../helpers/database.ts';

const run = promisify(execFile);
/** Four scenarios per round: 28 backend kills. */
const ROUNDS = 7;

interface Line {
  round?: number;
  scenario?: string;
  outcome?: string;
  next?: string;
  crash?: string;
  summary?: { outcomes: number; hung: number; committed: number; strayRows: number };
}

/**
 * Issue 16, finding 4: a backend killed under a transaction crashed node (postgres.js 3.4.9,
 * `TypeError … reading 'write'` from a timer), and the transaction's later statements could run
 * on the reconnected connection outside the transaction. patches/postgres+3.4.9.patch.
 */
describe('a PostgreSQL backend killed under a transaction', () => {
  let database: { url: string; connection: DatabaseConnection };
  beforeAll(async () => {
    database = await createBlankDatabase();
  });
  afterAll(async () => {
    await database.connection.close();
  });

  it('rejects that transaction, runs none of its later statements, and the process and the pool live on', async () => {
    const child = await run(
      process.execPath,
      ['--import', 'tsx', 'test/faults/dying-backend-child.ts', database.url, String(ROUNDS)],
      { timeout: 120_000 },
    ).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`the child process ended with ${error.code}:\n${error.stdout}\n${error.stderr}`);
    });
    const lines = child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
    expect(lines.filter((line) => line.crash)).toEqual([]);
    const scenarios = lines.filter((line) => line.scenario);
    expect(scenarios).toHaveLength(ROUNDS * 4);
    for (const line of scenarios) {
      expect(line.outcome, JSON.stringify(line)).toBe('rejected:CONNECTION_CLOSED');
      expect(line.next, JSON.stringify(line)).toBe('ok');
    }
    expect(lines.at(-1)?.summary).toEqual({ outcomes: ROUNDS * 4, hung: 0, committed: 0, strayRows: 0 });
  }, 150_000);
});
