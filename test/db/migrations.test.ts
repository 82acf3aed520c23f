import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../../db/migrate.ts';
import { createBlankDatabase, createTestDatabase } from '../helpers/database.ts';

const PLAN_SCOPED_TABLES = [
  'members',
  'plan_requests',
  'goals',
  'actions',
  'agreements',
  'crisis_plans',
  'backgrounds',
  'meetings',
  'meeting_participants',
  'meeting_notes',
  'evaluations',
  'evaluation_goals',
  'closures',
  'grants',
  'grant_revocations',
];

describe('migrations on an empty database', async () => {
  const { connection } = await createBlankDatabase();
  const { db } = connection;
  afterAll(() => connection.close());

  it('create the whole data model, and a second run changes nothing', async () => {
    await migrateDatabase(db);
    const tables = await db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const names = tables.map((row) => row.table_name);
    expect(names).toEqual(
      expect.arrayContaining([
        'organizations',
        'users',
        'sessions',
        'clients',
        'plans',
        'audit_events',
        ...PLAN_SCOPED_TABLES,
      ]),
    );
    await migrateDatabase(db);
    const applied = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    const journal = JSON.parse(
      await readFile(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
    ) as { entries: unknown[] };
    expect(applied[0]?.n).toBe(journal.entries.length);
  });

  it('give every plan-scoped table a non-null plan_id, and every section table a version', async () => {
    const columns = await db.execute<{ table_name: string; column_name: string; is_nullable: string }>(
      sql`select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public'`,
    );
    for (const table of PLAN_SCOPED_TABLES) {
      const planId = columns.find((c) => c.table_name === table && c.column_name === 'plan_id');
      expect(planId, `${table}.plan_id`).toMatchObject({ is_nullable: 'NO' });
    }
    for (const table of [
      'plans',
      'members',
      'goals',
      'actions',
      'agreements',
      'crisis_plans',
      'backgrounds',
      'meetings',
      'evaluations',
      'closures',
      'users',
      'organizations',
    ]) {
      expect(
        columns.some((c) => c.table_name === table && c.column_name === 'version'),
        `${table}.version`,
      ).toBe(true);
    }
  });
});

// drizzle wraps the database error; PostgreSQL's own message is the cause.
const APPEND_ONLY = { cause: expect.objectContaining({ message: expect.stringMatching(/append-only/) }) };

describe('append-only tables', async () => {
  const connection = await createTestDatabase('liaison_demo');
  const { db } = connection;
  afterAll(() => connection.close());

  it('refuse UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    await db.execute(
      sql`insert into audit_events (seq, action, sections, hash) values (1, 'test', '{}', '\\x00'::bytea)`,
    );
    for (const table of ['audit_events', 'grants', 'grant_revocations']) {
      const [{ n } = { n: 0 }] = await db.execute<{ n: number }>(
        sql.raw(`select count(*)::int as n from ${table}`),
      );
      expect(n, `${table} has rows to protect`).toBeGreaterThan(0);
      await expect(db.execute(sql.raw(`update ${table} set plan_id = plan_id`))).rejects.toMatchObject(
        APPEND_ONLY,
      );
      await expect(db.execute(sql.raw(`delete from ${table}`))).rejects.toMatchObject(APPEND_ONLY);
    }
    await expect(db.execute(sql`truncate audit_events`)).rejects.toMatchObject(APPEND_ONLY);
  });
});
