import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../../db/migrate.ts';
import { DEMO_IDS } from '../../db/seed/demo.ts';
import { createTestDatabase } from '../helpers/database.ts';

// Migration 0011 gives every closure a kind of reason. A database holding closures written before
// it is made here from the demo one: 0011 undone and forgotten, then the migrations run again.

/** The migrations after 0011, undone by hand (they hold no closure data). */
const UNDO_LATER: Record<string, string[]> = {
  '0012_notifications': [
    'drop table notifications',
    'drop table client_messages',
    'drop table digest_deliveries',
    'alter table users drop column email_digest',
    'drop type notification_kind',
    'drop type access_end_reason',
  ],
};

describe('migration 0011 (closure reason kind) on a database with closures', async () => {
  const connection = await createTestDatabase('liaison_demo');
  const { db } = connection;
  afterAll(() => connection.close());

  it('sets the closures written before it to "other", and then requires a kind', async () => {
    const journal = JSON.parse(
      await readFile(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
    ) as {
      entries: Array<{ idx: number; tag: string; when: number }>;
    };
    const entry = journal.entries.find((e) => e.tag === '0011_closure_reason_kind');
    expect(entry, 'migration 0011 in the journal').toBeDefined();
    // A later migration is undone first (newest first), so that 0011 runs again as the newest did.
    const later = journal.entries.filter((e) => e.idx > entry!.idx).reverse();
    for (const migration of later) {
      const undo = UNDO_LATER[migration.tag];
      expect(undo, `how to undo ${migration.tag} before 0011`).toBeDefined();
      for (const statement of undo!) await db.execute(sql.raw(statement));
      await db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = ${migration.when}`);
    }

    const before = await db.execute<{ reason_kind: string }>(
      sql`select reason_kind::text from closures where plan_id = ${DEMO_IDS.mariePlan}`,
    );
    expect(before).toEqual([{ reason_kind: 'moved' }]);

    await db.execute(sql`alter table closures drop column reason_kind`);
    await db.execute(sql`drop type closure_reason`);
    await db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = ${entry!.when}`);
    await migrateDatabase(db);

    const after = await db.execute<{ reason_kind: string }>(
      sql`select reason_kind::text from closures where plan_id = ${DEMO_IDS.mariePlan}`,
    );
    expect(after).toEqual([{ reason_kind: 'other' }]);
    const columns = await db.execute<{ is_nullable: string; udt_name: string }>(sql`
      select is_nullable, udt_name from information_schema.columns
       where table_name = 'closures' and column_name = 'reason_kind'`);
    expect(columns).toEqual([{ is_nullable: 'NO', udt_name: 'closure_reason' }]);
    await expect(
      db.execute(sql`update closures set reason_kind = 'retired' where plan_id = ${DEMO_IDS.mariePlan}`),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '22P02' }) });
    await expect(
      db.execute(sql`update closures set reason_kind = null where plan_id = ${DEMO_IDS.mariePlan}`),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23502' }) });
  });
});
