import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../db/seed/demo.ts';
import { createTestDatabase } from '../helpers/database.ts';

const TABLES = [
  'organizations',
  'users',
  'clients',
  'plans',
  'members',
  'goals',
  'actions',
  'meetings',
  'grants',
  'grant_revocations',
];

async function countRows(db: Awaited<ReturnType<typeof createTestDatabase>>['db']) {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`));
    counts[table] = row?.n ?? -1;
  }
  return counts;
}

describe('demo data', async () => {
  const empty = await createTestDatabase('liaison_empty');
  afterAll(() => empty.close());

  it('loads once into an empty database, and a second load changes nothing', async () => {
    const first = await loadDemoData(empty.db);
    expect(first.loaded).toBe(true);
    const afterFirst = await countRows(empty.db);
    for (const table of TABLES) expect(afterFirst[table], table).toBeGreaterThan(0);

    const second = await loadDemoData(empty.db);
    expect(second.loaded).toBe(false);
    expect(await countRows(empty.db)).toEqual(afterFirst);
  });

  it('tells the story of the seed: a lead, partners with and without secrecy, a client, an admin', async () => {
    const accounts = await empty.db.execute<{ email: string; kind: string; secrecy_bound: boolean }>(
      sql`select email, kind, secrecy_bound from users order by email`,
    );
    const byEmail = new Map(accounts.map((row) => [row.email, row]));
    expect(byEmail.get('lea.lead@demo.example')).toMatchObject({ kind: 'professional', secrecy_bound: true });
    expect(byEmail.get('paul.partner@demo.example')).toMatchObject({
      kind: 'professional',
      secrecy_bound: true,
    });
    expect(byEmail.get('nora.partner@demo.example')).toMatchObject({
      kind: 'professional',
      secrecy_bound: false,
    });
    expect(byEmail.get('karim.client@demo.example')).toMatchObject({ kind: 'client' });
    expect(byEmail.get('ada.admin@demo.example')).toMatchObject({ kind: 'admin' });
    const hashes = await empty.db.execute<{ password_hash: string }>(sql`select password_hash from users`);
    for (const row of hashes) expect(row.password_hash).toMatch(/^\$argon2id\$/);

    const languages = await empty.db.execute<{ languages: string[] }>(
      sql`select languages from organizations`,
    );
    const spoken = new Set(languages.flatMap((row) => row.languages));
    expect([...spoken]).toEqual(expect.arrayContaining(['nl', 'fr']));

    // Consent was given to some partners for some sections only.
    const [grants] = await empty.db.execute<{ members: number; sections: number }>(
      sql`select count(distinct member_id)::int as members, count(distinct section)::int as sections from grants`,
    );
    expect(grants?.members).toBeGreaterThanOrEqual(2);
    expect(grants?.sections).toBeLessThan(10);
  });
});
