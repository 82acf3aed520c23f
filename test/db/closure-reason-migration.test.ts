import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../db/migrate.ts';
import { createBlankDatabase } from '../helpers/database.ts';
import { migrateThrough } from '../helpers/migrations.ts';

// Migration 0011 gives every closure a kind of reason. A closure written before it is made on a
// database migrated through 0010; then the migrations run on to the end (later ones included).

describe('migration 0011 (closure reason kind) on a database with closures', async () => {
  const { connection } = await createBlankDatabase();
  const { db } = connection;
  afterAll(() => connection.close());

  it('sets the closures written before it to "other", and then requires a kind', async () => {
    await migrateThrough(db, '0010_directory_thesaurus');
    const [ids] = await db.execute<{ plan: string }>(sql`
      with org as (insert into organizations (name) values ('Org') returning id),
           lead as (insert into users (email, name, kind, organization_id)
                    select 'lead@example.test', 'Léa Lead', 'professional', id from org returning id),
           client as (insert into clients (organization_id, first_name, last_name)
                      select id, 'Marie', 'M' from org returning id),
           plan as (insert into plans (client_id, lead_user_id, organization_id, phase, closed_at)
                    select client.id, lead.id, org.id, 'closed', now() from client, lead, org returning id)
      select plan.id as plan from plan`);
    if (!ids) throw new Error('no plan');
    await db.execute(
      sql`insert into closures (plan_id, closed_on, reason) values (${ids.plan}, '2026-01-05', 'Verhuisd naar Namen')`,
    );

    await migrateDatabase(db);

    const after = await db.execute<{ reason_kind: string }>(
      sql`select reason_kind::text from closures where plan_id = ${ids.plan}`,
    );
    expect(after).toEqual([{ reason_kind: 'other' }]);
    const columns = await db.execute<{ is_nullable: string; udt_name: string }>(sql`
      select is_nullable, udt_name from information_schema.columns
       where table_name = 'closures' and column_name = 'reason_kind'`);
    expect(columns).toEqual([{ is_nullable: 'NO', udt_name: 'closure_reason' }]);
    await expect(
      db.execute(sql`update closures set reason_kind = 'retired' where plan_id = ${ids.plan}`),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '22P02' }) });
    await expect(
      db.execute(sql`update closures set reason_kind = null where plan_id = ${ids.plan}`),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23502' }) });
  });
});
