import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import PgBoss from 'pg-boss';
import { ensureApplicationRole } from '../../db/app-role.ts';
import { JOB_QUEUES, JOB_SCHEMA, jobQueueDatabase } from '../../db/job-queue.ts';
import { connectDatabase } from '../../db/client.ts';
import { createDatabase } from '../../db/embedded.ts';
import { asSystem } from '../../db/scope.ts';
import { DEMO_IDS } from '../../db/seed/demo.ts';
import { databaseUrl } from '../helpers/database.ts';

// The application's role (issue 16, finding 9): it reads and writes rows, and nothing more — it
// cannot switch off the append-only triggers, change the schema, or rewrite history.

describe('the application role', async () => {
  const name = `test_${randomUUID().replaceAll('-', '')}`;
  await createDatabase(inject('maintenanceUrl'), name, 'liaison_demo');
  const owner = connectDatabase(databaseUrl(name), { max: 1 });
  const role = `app_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const password = randomBytes(18).toString('base64url');
  await ensureApplicationRole(owner.db, { role, password });
  // Twice: every start runs it, after new migrations.
  await ensureApplicationRole(owner.db, { role, password });
  const url = new URL(databaseUrl(name));
  url.username = role;
  url.password = password;
  const app = connectDatabase(url.toString(), { max: 1 });
  afterAll(async () => {
    await app.close();
    await owner.close();
  });

  const refusal = async (statement: string) => {
    try {
      await app.db.execute(sql.raw(statement));
      return 'allowed';
    } catch (error) {
      return (
        (error as { cause?: { code?: string }; code?: string }).cause?.code ??
        (error as { code?: string }).code
      );
    }
  };

  // Plan rows in a scope that may see them (row-level security: test/db/row-level-security.test.ts).
  it('reads and writes the rows the server needs', async () => {
    const goals = await asSystem(() =>
      app.db.execute(sql`select count(*)::int as n from goals where plan_id = ${DEMO_IDS.karimPlan}`),
    );
    expect(goals[0]?.n).toBeGreaterThan(0);
    const updated = await asSystem(() =>
      app.db.execute(sql`update goals set title = title where plan_id = ${DEMO_IDS.karimPlan}`),
    );
    expect(updated.count).toBeGreaterThan(0);
    const found = await app.db.execute(
      sql`select count(*)::int as n from organizations where search_vector @@ directory_tsquery(array['logement'])`,
    );
    expect(found[0]?.n).toBeGreaterThan(0);
  });

  it('cannot disable the append-only triggers, alter the schema or rewrite history (42501)', async () => {
    expect(await refusal('ALTER TABLE audit_events DISABLE TRIGGER ALL')).toBe('42501');
    expect(await refusal('ALTER TABLE grants DISABLE TRIGGER grants_append_only')).toBe('42501');
    expect(await refusal('DROP TABLE audit_events')).toBe('42501');
    expect(await refusal('UPDATE audit_events SET action = action')).toBe('42501');
    expect(await refusal('DELETE FROM grants')).toBe('42501');
    expect(await refusal('TRUNCATE grant_revocations')).toBe('42501');
    expect(await refusal(`CREATE TABLE sneaky (id int)`)).toBe('42501');
    const [me] = await app.db.execute<{ rolsuper: boolean; rolbypassrls: boolean }>(
      sql`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`,
    );
    expect(me).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('runs the background jobs on pg-boss, whose schema the owner made, and creates nothing there (42501)', async () => {
    const boss = new PgBoss({
      db: jobQueueDatabase(app.sql),
      schema: JOB_SCHEMA,
      migrate: false,
      supervise: false,
      schedule: false,
    });
    await boss.start();
    try {
      // The queues exist (made by the owner with the migrations): declaring them again writes nothing.
      await boss.createQueue(JOB_QUEUES.dailyNotices);
      const id = await boss.send(JOB_QUEUES.dailyNotices, { at: 'now' });
      expect(id).toEqual(expect.any(String));
      const [job] = await boss.fetch(JOB_QUEUES.dailyNotices);
      expect(job?.id).toBe(id);
      await boss.complete(JOB_QUEUES.dailyNotices, id!);
      await boss.schedule(JOB_QUEUES.dailyDigest, '0 7 * * *', {}, { tz: 'Europe/Brussels' });
      // A new queue is a new partition table: DDL, which only the owner does.
      await expect(boss.createQueue(`sneaky-${randomUUID()}`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await boss.stop({ graceful: false, close: false });
    }
    expect(await refusal('CREATE TABLE pgboss.sneaky (id int)')).toBe('42501');
    expect(await refusal('DROP TABLE pgboss.job')).toBe('42501');
  });
});
