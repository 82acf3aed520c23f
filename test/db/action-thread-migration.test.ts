import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../db/migrate.ts';
import { createBlankDatabase } from '../helpers/database.ts';
import { migrateThrough } from '../helpers/migrations.ts';

// Migration 0016 turns each action's one overwritten note into the first entry of its thread
// (issue 14, part 5). Rows written before it are made on a database migrated through 0015.

describe('migration 0016 (action threads) on a database with notes', async () => {
  const { connection } = await createBlankDatabase();
  const { db } = connection;
  afterAll(() => connection.close());

  it('moves every non-empty note into the thread, by whoever last changed the action, and drops the field', async () => {
    await migrateThrough(db, '0015_handover_and_return');
    const [ids] = await db.execute<{ org: string; lead: string; plan: string }>(sql`
      with org as (insert into organizations (name) values ('Org') returning id),
           lead as (insert into users (email, name, kind, organization_id)
                    select 'lead@example.test', 'Léa Lead', 'professional', id from org returning id),
           client as (insert into clients (organization_id, first_name, last_name)
                      select id, 'Karim', 'K' from org returning id),
           plan as (insert into plans (client_id, lead_user_id, organization_id)
                    select client.id, lead.id, org.id from client, lead, org returning id)
      select org.id as org, lead.id as lead, plan.id as plan from org, lead, plan`);
    if (!ids) throw new Error('no rows');
    await db.execute(sql`
      insert into actions (id, plan_id, title, notes, updated_by, updated_at) values
        ('00000000-0000-4000-8000-000000000001', ${ids.plan}, 'With a note', 'The note before threads', ${ids.lead}, '2026-01-02T10:00:00Z'),
        ('00000000-0000-4000-8000-000000000002', ${ids.plan}, 'Without a note', '', ${ids.lead}, '2026-01-03T10:00:00Z'),
        ('00000000-0000-4000-8000-000000000003', ${ids.plan}, 'Writer unknown', 'Nobody signed it', null, '2026-01-04T10:00:00Z')`);

    await migrateDatabase(db);

    const entries = await db.execute<{
      action_id: string;
      author_user_id: string | null;
      status: string | null;
      note: string;
      created_at: Date;
    }>(
      sql`select action_id, author_user_id, status, note, created_at from action_entries order by action_id`,
    );
    expect(entries.map((e) => [e.action_id.slice(-1), e.author_user_id, e.status, e.note])).toEqual([
      ['1', ids.lead, null, 'The note before threads'],
      ['3', null, null, 'Nobody signed it'],
    ]);
    expect(new Date(entries[0]!.created_at).toISOString()).toBe('2026-01-02T10:00:00.000Z');
    const columns = await db.execute(sql`
      select 1 from information_schema.columns where table_name = 'actions' and column_name = 'notes'`);
    expect(columns).toHaveLength(0);
  });
});
