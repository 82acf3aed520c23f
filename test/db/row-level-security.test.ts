import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlanFacts } from '../../db/queries/plan-access.ts';
import { actForUser, asSystem, readingAs, runInNewScope } from '../../db/scope.ts';
import { readableSections, type Section, type UserKind } from '../../policies/index.ts';
import { connectAsApplication, createTestDatabase } from '../helpers/database.ts';

// The second wall (issue 16, db/migrations/*_row_level_security.sql): row-level security on every plan-scoped table. A
// statement that carries no condition at all — what a forgotten ability condition would be — returns
// only the rows of the sections its user reads. The consent matrix checks the same with generated
// worlds and every route (test/consent/matrix.test.ts); these are the demo's people, table by table.

/** The section tables and the section they belong to (meeting_notes: the discussion, below). */
const SECTION_TABLES: Record<string, Section> = {
  plan_requests: 'request',
  goals: 'goals',
  actions: 'actions',
  action_entries: 'actions',
  agreements: 'agreements',
  crisis_plans: 'crisis',
  backgrounds: 'background',
  meetings: 'meetings',
  meeting_participants: 'meetings',
  evaluations: 'evaluations',
  evaluation_goals: 'evaluations',
  evaluation_contributions: 'evaluations',
  closures: 'closure',
};
const PLAN_SCOPED_TABLES = [
  ...Object.keys(SECTION_TABLES),
  'meeting_notes',
  'plans',
  'clients',
  'members',
  'grants',
  'grant_revocations',
  'visibility_decisions',
  'audit_events',
  'access_codes',
  'client_messages',
  'lead_handovers',
  'plan_reopenings',
  'notifications',
  'plan_visits',
];

describe('row-level security', async () => {
  const owner = await createTestDatabase('liaison_demo');
  const app = connectAsApplication(owner, 2);
  afterAll(async () => {
    await app.close();
    await owner.close();
  });

  const planIdsOf = async (table: string) =>
    (await app.db.execute<{ plan_id: string }>(sql.raw(`select plan_id from ${table}`))).map(
      (r) => r.plan_id,
    );
  const countOf = async (table: string) =>
    Number((await app.db.execute<{ n: string }>(sql.raw(`select count(*) as n from ${table}`)))[0]?.n);
  const ownerCount = async (table: string) =>
    Number((await owner.db.execute<{ n: string }>(sql.raw(`select count(*) as n from ${table}`)))[0]?.n);

  it('shows the application role no plan-scoped row outside a scope, and every row to the flows for nobody', async () => {
    let tablesWithRows = 0;
    for (const table of PLAN_SCOPED_TABLES) {
      const all = await ownerCount(table);
      if (all > 0) tablesWithRows++;
      expect(await countOf(table), table).toBe(0);
      expect(await asSystem(() => countOf(table)), table).toBe(all);
    }
    // The demo fills most of them (no handover nor visibility decision recorded yet, say).
    expect(tablesWithRows).toBeGreaterThanOrEqual(15);
    // Tables that are not about a plan stay readable: the directory, for one.
    expect(await countOf('organizations')).toBeGreaterThan(0);
  });

  it('gives each demo user, table by table, exactly the rows of the sections the policies let them read', async () => {
    const users = await owner.db.execute<{
      id: string;
      kind: UserKind;
      organization_id: string | null;
      secrecy_bound: boolean;
      email: string;
    }>(sql`select id, kind, organization_id, secrecy_bound, email from users`);
    const plans = (await owner.db.execute<{ id: string }>(sql`select id from plans`)).map((p) => p.id);
    let someSeeSome = 0;
    let someAreRefused = 0;
    for (const row of users) {
      const user = {
        id: row.id,
        kind: row.kind,
        organizationId: row.organization_id,
        secrecyBound: row.secrecy_bound,
      };
      const readable = new Map<string, Section[]>();
      for (const planId of plans) {
        const facts = await loadPlanFacts(owner.db, user.id, planId);
        readable.set(planId, facts ? readableSections(user, facts) : []);
      }
      await runInNewScope(async () => {
        actForUser(user.id);
        for (const [table, section] of Object.entries(SECTION_TABLES)) {
          const expected = (
            await owner.db.execute<{ plan_id: string }>(sql.raw(`select plan_id from ${table}`))
          )
            .map((r) => r.plan_id)
            .filter((planId) => readable.get(planId)?.includes(section));
          const got = await planIdsOf(table);
          expect(got.sort(), `${row.email} reads ${table}`).toEqual(expected.sort());
          if (got.length > 0) someSeeSome++;
          if (got.length < (await ownerCount(table))) someAreRefused++;
        }
        // The access log: the lead, co-leads and the client of the plan only.
        const log = new Set(await planIdsOf('audit_events'));
        for (const planId of log) expect(readable.get(planId)?.length, `${row.email} reads the log`).toBe(10);
      });
    }
    // The demo holds both: people who read sections, and sections withheld from them.
    expect(someSeeSome).toBeGreaterThan(0);
    expect(someAreRefused).toBeGreaterThan(0);
  });

  it('never carries one transaction’s user into another statement on the same connection', async () => {
    const single = connectAsApplication(owner, 1);
    try {
      const [lead] = await owner.db.execute<{ id: string }>(
        sql`select lead_user_id as id from plans limit 1`,
      );
      await runInNewScope(async () => {
        actForUser(lead!.id);
        expect(await single.db.execute(sql`select id from goals`)).not.toHaveLength(0);
      });
      // The same (only) connection, outside the scope: the setting ended with its transaction.
      const [setting] = await single.db.execute<{ user_id: string | null }>(
        sql`select current_setting('liaison.user_id', true) as user_id`,
      );
      expect(setting?.user_id ?? '').toBe('');
      expect(await single.db.execute(sql`select id from goals`)).toHaveLength(0);
    } finally {
      await single.close();
    }
  });

  it('keeps interleaved requests of different users apart on a shared pool', async () => {
    const [plan] = await owner.db.execute<{ id: string; lead: string }>(
      sql`select p.id, p.lead_user_id as lead from plans p join users u on u.id = p.lead_user_id
           where u.kind = 'professional' and p.id in (select plan_id from goals) limit 1`,
    );
    // An organisation admin: in no plan, reads none.
    const stranger = await owner.db.execute<{ id: string }>(sql`select id from users where kind = 'admin'`);
    expect(stranger.length).toBeGreaterThan(0);
    const goalsFor = (userId: string) =>
      runInNewScope(async () => {
        actForUser(userId);
        return (await app.db.execute<{ plan_id: string }>(sql`select plan_id from goals`)).length;
      });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => goalsFor(i % 2 === 0 ? plan!.lead : stranger[0]!.id)),
    );
    const leads = results.filter((_, i) => i % 2 === 0);
    const strangers = results.filter((_, i) => i % 2 === 1);
    expect(new Set(leads)).toEqual(new Set([leads[0]]));
    expect(leads[0]).toBeGreaterThan(0);
    expect(new Set(strangers)).toEqual(new Set([0]));
  });

  it('reads as a member without an account only what their own grants give', async () => {
    const [member] = await owner.db.execute<{ id: string; plan_id: string }>(
      sql`select m.id, m.plan_id from members m where m.user_id is null and m.status = 'current'
           and m.removed_at is null limit 1`,
    );
    expect(member).toBeDefined();
    const granted = (
      await owner.db.execute<{ section: Section }>(
        sql`select g.section from grants g left join grant_revocations r on r.grant_id = g.id
             where g.member_id = ${member!.id} and r.grant_id is null and g.valid_from <= now()
               and (g.valid_until is null or g.valid_until > now())`,
      )
    ).map((g) => g.section);
    await readingAs({ memberId: member!.id }, async () => {
      for (const [table, section] of Object.entries(SECTION_TABLES)) {
        const got = await planIdsOf(table);
        // Never bound by secrecy without an account (nobody confirmed it).
        const reads = granted.includes(section) && section !== 'background';
        if (!reads) expect(got, `${table} without a grant`).toHaveLength(0);
        else expect(new Set(got), `${table} under a grant`).toEqual(new Set([member!.plan_id]));
      }
    });
  });

  it('cannot be switched off by the application role', async () => {
    const attempt = async (statement: string) => {
      try {
        await app.db.execute(sql.raw(statement));
        return 'allowed';
      } catch (error) {
        return (error as { cause?: { code?: string } }).cause?.code;
      }
    };
    // Not the owner of the table: 42501 (insufficient privilege).
    expect(await attempt('alter table goals disable row level security')).toBe('42501');
    expect(await attempt('alter table goals no force row level security')).toBe('42501');
    expect(await attempt('drop policy goals_readers on goals')).toBe('42501');
  });
});
