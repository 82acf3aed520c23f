import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { grantRevocations, grants } from '../../../db/schema/index.ts';
import { DEMO_IDS } from '../../../db/seed/demo.ts';
import type { Figure, FigureCell, Figures } from '../../../domain/schemas/figures.ts';
import { CLOSURE_REASONS, type ClosureReason, type Phase } from '../../../domain/vocabularies.ts';
import { csvField, publishFigures, suppressCount } from '../../../server/services/figures.ts';
import { addGoal, createPlan, type PlanRef } from '../../factories/plans.ts';
import { grantRow, revocationRow, type GrantRow, type OrganizationRow } from '../../factories/rows.ts';
import { addClosure, addMeeting } from '../../factories/sections.ts';
import { createAdmin, createOrganization, createProfessional, type TestUser } from '../../factories/users.ts';
import { buildTestApp, DEMO_PASSWORD, login } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// The expected figures are counted here, from what each test made (or, for the demo, by the
// test's own plain SQL over the seeded rows), bucketed in JavaScript in Brussels time: never by
// calling the query under test.

const SMALL: FigureCell = { suppressed: true, reason: 'small' };
const HIDDEN: FigureCell = { suppressed: true, reason: 'complement' };

/** The suppression rule, restated: 0 stays, 1–4 is suppressed, 5 and more as counted. */
const expectedCell = (n: number): FigureCell => (n === 0 ? 0 : n < 5 ? SMALL : n);

const brusselsDay = (moment: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(moment);
const monthOf = (day: string) => day.slice(0, 7);
const yearOf = (day: string) => day.slice(0, 4);

function figure(body: Figures, key: Figure['key']): Figure {
  const found = body.figures.find((f) => f.key === key);
  if (!found) throw new Error(`no figure ${key}`);
  return found;
}

/** The published cells of one category, by bucket. */
function cells(body: Figures, key: Figure['key'], category: string): Record<string, FigureCell> {
  const f = figure(body, key);
  const row = f.rows.find((r) => r.category === category);
  return Object.fromEntries(f.buckets.map((bucket, i) => [bucket, row ? (row.values[i] ?? 0) : 0]));
}

/** What `counts` (bucket → number) must be published as, over the given buckets. */
function expectedCells(
  buckets: readonly string[],
  counts: Record<string, number>,
): Record<string, FigureCell> {
  return Object.fromEntries(buckets.map((bucket) => [bucket, expectedCell(counts[bucket] ?? 0)]));
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

const MONTHS_2025 = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
const RANGE_2025 = 'from=2025-01-01&to=2025-12-31';

describe('GET /api/organizations/:id/figures', async () => {
  const { app, db } = await buildTestApp();

  // ---------------------------------------------------------------- a world of one organisation
  const organization: OrganizationRow = await createOrganization(db);
  const admin = await createAdmin(db, { organization, locale: 'fr' });
  const lead = await createProfessional(db, { organization });

  interface PlanSpec {
    startedOn: string;
    language: string | null;
    phase: Phase;
    closedAt?: Date;
    reasonKind?: ClosureReason;
  }
  const specs: PlanSpec[] = [
    // March: 7 registrations, 5 in Dutch and 2 in French.
    ...Array.from({ length: 5 }, (_, i) => ({
      startedOn: `2025-03-0${i + 1}`,
      language: 'nl',
      phase: 'active' as const,
    })),
    { startedOn: '2025-03-20', language: 'fr', phase: 'goals' },
    { startedOn: '2025-03-31', language: 'fr-BE', phase: 'goals' },
    // May: 6 registrations in Dutch, 5 of them closed in September, their goals reached.
    ...Array.from({ length: 5 }, (_, i) => ({
      startedOn: `2025-05-1${i}`,
      language: 'nl',
      phase: 'closed' as const,
      closedAt: new Date(`2025-09-1${i}T10:00:00Z`),
      reasonKind: 'goals_reached' as const,
    })),
    { startedOn: '2025-05-30', language: 'nl', phase: 'registration' },
    // June: 2 without a language; one was closed after the end of the range.
    { startedOn: '2025-06-02', language: null, phase: 'request' },
    {
      startedOn: '2025-06-03',
      language: null,
      phase: 'closed',
      closedAt: new Date('2026-01-15T10:00:00Z'),
      reasonKind: 'moved',
    },
    // Before the range: counted only in the phase snapshot.
    { startedOn: '2024-12-31', language: 'ar', phase: 'evaluation' },
  ];
  const plans: Array<PlanRef & { leadMember: { id: string } }> = [];
  for (const spec of specs) {
    const ref = await createPlan(db, {
      organization,
      lead,
      clientAccount: false,
      clientRecord: { preferredLanguage: spec.language },
      plan: { startedOn: spec.startedOn, phase: spec.phase, closedAt: spec.closedAt ?? null },
    });
    plans.push(ref);
    if (spec.closedAt && spec.reasonKind)
      await addClosure(db, ref, { reasonKind: spec.reasonKind, closedOn: brusselsDay(spec.closedAt) });
  }

  // Goals: 5 housing and 2 health in March, one money goal created at 00:30 on 1 April in Brussels.
  const goalMoments = [
    ...Array.from({ length: 5 }, () => ({
      domain: 'housing' as const,
      at: new Date('2025-03-15T10:00:00Z'),
    })),
    ...Array.from({ length: 2 }, () => ({ domain: 'health' as const, at: new Date('2025-03-16T10:00:00Z') })),
    { domain: 'money' as const, at: new Date('2025-03-31T22:30:00Z') },
  ];
  for (const [i, goal] of goalMoments.entries())
    await addGoal(db, plans[i % plans.length]!, { lifeDomain: goal.domain, createdAt: goal.at });

  // Meetings: 5 in April plus one at 00:30 on 1 April in Brussels (22:30 UTC on 31 March), one at
  // 23:30 on 31 March in Brussels, and one planned in the future (not held).
  const meetingMoments = [
    ...Array.from({ length: 5 }, (_, i) => new Date(`2025-04-1${i}T09:00:00Z`)),
    new Date('2025-03-31T22:30:00Z'),
    new Date('2025-03-31T21:30:00Z'),
  ];
  for (const [i, heldAt] of meetingMoments.entries()) await addMeeting(db, plans[i]!, { heldAt });
  await addMeeting(db, plans[0]!, { heldAt: new Date(Date.now() + 30 * 86_400_000) });

  // Consents: 6 grants recorded in May; 2 withdrawn in June (with a method), 3 ended by closing
  // the plan (no method: not a withdrawal).
  const grantRows: GrantRow[] = [];
  for (const [i, ref] of plans.slice(0, 6).entries()) {
    const row = grantRow({
      planId: ref.plan.id,
      memberId: ref.leadMember.id,
      section: 'goals',
      access: 'read',
      recordedBy: lead.id,
      validFrom: new Date('2025-05-02T08:00:00Z'),
      recordedAt: new Date(`2025-05-0${i + 2}T08:00:00Z`),
    });
    grantRows.push(row);
  }
  await db.insert(grants).values(grantRows);
  await db.insert(grantRevocations).values([
    ...grantRows.slice(0, 2).map((g) =>
      revocationRow({
        grantId: g.id,
        planId: g.planId,
        revokedBy: lead.id,
        revokedAt: new Date('2025-06-05T08:00:00Z'),
      }),
    ),
    ...grantRows.slice(2, 5).map((g) =>
      revocationRow({
        grantId: g.id,
        planId: g.planId,
        revokedBy: lead.id,
        revokedAt: new Date('2025-06-06T08:00:00Z'),
        method: null,
      }),
    ),
  ]);

  // Another organisation's plan in the same month: never counted.
  await createPlan(db, { clientAccount: false, plan: { startedOn: '2025-03-10' } });

  const adminClient = as(app, await signedInAs(app, admin));

  it('answers the counts of the organisation, month by month, with small counts suppressed', async () => {
    const response = await adminClient.get(`/api/organizations/${organization.id}/figures?${RANGE_2025}`);
    expect(response.statusCode).toBe(200);
    const body = response.json<Figures>();
    expect(body).toMatchObject({
      organizationId: organization.id,
      period: 'month',
      from: '2025-01-01',
      to: '2025-12-31',
    });
    for (const key of [
      'registrations',
      'goalsByLifeDomain',
      'languages',
      'consents',
      'meetings',
      'closures',
    ] as const)
      expect(figure(body, key).buckets, key).toEqual(MONTHS_2025);

    const inRange = specs.filter((s) => s.startedOn >= '2025-01-01' && s.startedOn <= '2025-12-31');
    const language = (s: PlanSpec) => (s.language ?? 'unknown').split('-')[0]!;
    for (const tag of ['nl', 'fr', 'unknown'])
      expect(cells(body, 'languages', tag), tag).toEqual(
        expectedCells(
          MONTHS_2025,
          countBy(
            inRange.filter((s) => language(s) === tag),
            (s) => monthOf(s.startedOn),
          ),
        ),
      );
    // March has 2 French-speaking clients (suppressed), so its 7 registrations are hidden too;
    // May's 6 are all in Dutch; June's 2 are small.
    const registrations = countBy(inRange, (s) => monthOf(s.startedOn));
    expect(registrations).toMatchObject({ '2025-03': 7, '2025-05': 6, '2025-06': 2 });
    expect(cells(body, 'registrations', 'registered')).toEqual({
      ...expectedCells(MONTHS_2025, registrations),
      '2025-03': HIDDEN,
    });

    const goalCounts = (domain: string) =>
      countBy(
        goalMoments.filter((g) => g.domain === domain),
        (g) => monthOf(brusselsDay(g.at)),
      );
    for (const domain of ['housing', 'health', 'money', 'leisure'])
      expect(cells(body, 'goalsByLifeDomain', domain), domain).toEqual(
        expectedCells(MONTHS_2025, goalCounts(domain)),
      );
    expect(cells(body, 'goalsByLifeDomain', 'housing')['2025-03']).toBe(5);

    const meetings = countBy(meetingMoments, (m) => monthOf(brusselsDay(m)));
    expect(meetings).toEqual({ '2025-04': 6, '2025-03': 1 });
    expect(cells(body, 'meetings', 'held')).toEqual(expectedCells(MONTHS_2025, meetings));

    expect(cells(body, 'consents', 'given')).toEqual(
      expectedCells(
        MONTHS_2025,
        countBy(grantRows, (g) => monthOf(brusselsDay(g.recordedAt!))),
      ),
    );
    expect(cells(body, 'consents', 'withdrawn')).toEqual(expectedCells(MONTHS_2025, { '2025-06': 2 }));

    const closed = specs.filter((s) => s.closedAt && s.closedAt < new Date('2026-01-01T00:00:00+01:00'));
    // Closures by the kind of reason, every kind of the list in its order, and no total.
    expect(figure(body, 'closures').rows.map((r) => r.category)).toEqual([...CLOSURE_REASONS]);
    for (const kind of CLOSURE_REASONS)
      expect(cells(body, 'closures', kind), kind).toEqual(
        expectedCells(
          MONTHS_2025,
          countBy(
            closed.filter((s) => s.reasonKind === kind),
            (s) => monthOf(brusselsDay(s.closedAt!)),
          ),
        ),
      );
    expect(cells(body, 'closures', 'goals_reached')['2025-09']).toBe(5);
    const days = closed.map(
      (s) => (Date.parse(brusselsDay(s.closedAt!)) - Date.parse(s.startedOn)) / 86_400_000,
    );
    const average = Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10;
    expect(figure(body, 'averageDuration')).toEqual({
      key: 'averageDuration',
      buckets: ['2025-01-01/2025-12-31'],
      rows: [{ category: 'days', values: [average] }],
    });
  });

  it('counts closures by the kind of reason, each kind suppressed on its own, never by the lead’s words', async () => {
    const other = await createOrganization(db);
    const otherAdmin = await createAdmin(db, { organization: other, locale: 'nl' });
    const otherLead = await createProfessional(db, { organization: other });
    // kind null: a closed plan without its closure row, counted as 'unknown'.
    const closings: Array<{ at: Date; kind: ClosureReason | null }> = [
      ...Array.from({ length: 6 }, (_, i) => ({
        at: new Date(`2025-03-1${i}T10:00:00Z`),
        kind: 'goals_reached' as const,
      })),
      ...Array.from({ length: 2 }, (_, i) => ({
        at: new Date(`2025-03-2${i}T10:00:00Z`),
        kind: 'client_choice' as const,
      })),
      // 23:30 on 31 March in Brussels is March; 00:30 on 1 April is April.
      { at: new Date('2025-03-31T21:30:00Z'), kind: 'referred' },
      { at: new Date('2025-03-31T22:30:00Z'), kind: 'moved' },
      ...Array.from({ length: 5 }, (_, i) => ({
        at: new Date(`2025-04-1${i}T10:00:00Z`),
        kind: 'no_contact' as const,
      })),
      { at: new Date('2025-05-05T10:00:00Z'), kind: null },
      // After the range: not counted.
      { at: new Date('2026-01-15T10:00:00Z'), kind: 'deceased' },
    ];
    for (const [i, closing] of closings.entries()) {
      const ref = await createPlan(db, {
        organization: other,
        lead: otherLead,
        clientAccount: false,
        plan: { startedOn: '2025-01-10', phase: 'closed', closedAt: closing.at },
      });
      if (closing.kind)
        await addClosure(db, ref, {
          reasonKind: closing.kind,
          closedOn: brusselsDay(closing.at),
          reason: `CANARY-REASON-${i} names the client`,
        });
    }
    const client = as(app, await signedInAs(app, otherAdmin));
    const body = (await client.get(`/api/organizations/${other.id}/figures?${RANGE_2025}`)).json<Figures>();

    const end = new Date('2026-01-01T00:00:00+01:00');
    const inRange = closings.filter((c) => c.at < end);
    const kindOf = (c: { kind: ClosureReason | null }) => c.kind ?? 'unknown';
    const rows = figure(body, 'closures').rows;
    expect(rows.map((r) => r.category)).toEqual([...CLOSURE_REASONS, 'unknown']);
    for (const category of [...CLOSURE_REASONS, 'unknown'])
      expect(cells(body, 'closures', category), category).toEqual(
        expectedCells(
          MONTHS_2025,
          countBy(
            inRange.filter((c) => kindOf(c) === category),
            (c) => monthOf(brusselsDay(c.at)),
          ),
        ),
      );
    // Restated by hand: 6 and 5 are published, every smaller count is "< 5", nothing is a total.
    expect(cells(body, 'closures', 'goals_reached')['2025-03']).toBe(6);
    expect(cells(body, 'closures', 'no_contact')['2025-04']).toBe(5);
    for (const [category, month] of [
      ['client_choice', '2025-03'],
      ['referred', '2025-03'],
      ['moved', '2025-04'],
      ['unknown', '2025-05'],
    ] as const)
      expect(cells(body, 'closures', category)[month], `${category} ${month}`).toEqual(SMALL);
    expect(cells(body, 'closures', 'deceased')).toEqual(expectedCells(MONTHS_2025, {}));

    const csv = await client.get(`/api/organizations/${other.id}/figures.csv?${RANGE_2025}`);
    const lines = parseCsv(csv.body.slice(1));
    const find = (category: string, bucket: string) =>
      lines.find((r) => r[0] === 'Afsluitingen per reden' && r[1] === category && r[2] === bucket)?.[3];
    expect(find('Doelen bereikt', '2025-03')).toBe('6');
    expect(find('Keuze van de cliënt', '2025-03')).toBe('< 5');
    expect(find('Geen contact meer', '2025-04')).toBe('5');
    expect(find('Verhuisd', '2025-04')).toBe('< 5');
    expect(find('onbekend', '2025-05')).toBe('< 5');
    expect(find('Overleden', '2025-12')).toBe('0');
    for (const text of [JSON.stringify(body), csv.body]) expect(text).not.toContain('CANARY');
  });

  it('takes the phases as a snapshot on the last day of the range', async () => {
    const body = (
      await adminClient.get(`/api/organizations/${organization.id}/figures?${RANGE_2025}`)
    ).json<Figures>();
    const end = new Date('2026-01-01T00:00:00+01:00');
    const phaseAtEnd = (s: PlanSpec) => (s.closedAt ? (s.closedAt < end ? 'closed' : 'unknown') : s.phase);
    const expected = countBy(specs, phaseAtEnd);
    expect(expected).toMatchObject({ active: 5, closed: 5, unknown: 1 });
    const snapshot = figure(body, 'phases');
    expect(snapshot.buckets).toEqual(['2025-12-31']);
    for (const row of snapshot.rows)
      expect(row.values, row.category).toEqual([expectedCell(expected[row.category] ?? 0)]);
    expect(snapshot.rows.map((r) => r.category)).toEqual(
      expect.arrayContaining(['registration', 'active', 'closed', 'unknown']),
    );
  });

  it('groups by quarter and by year in Brussels time', async () => {
    const quarters = (
      await adminClient.get(`/api/organizations/${organization.id}/figures?period=quarter&${RANGE_2025}`)
    ).json<Figures>();
    expect(figure(quarters, 'meetings').buckets).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    // 00:30 on 1 April in Brussels is the second quarter: 6 in Q2, 1 in Q1.
    expect(cells(quarters, 'meetings', 'held')).toEqual({
      '2025-Q1': SMALL,
      '2025-Q2': 6,
      '2025-Q3': 0,
      '2025-Q4': 0,
    });
    const years = (
      await adminClient.get(
        `/api/organizations/${organization.id}/figures?period=year&from=2024-06-01&to=2025-12-31`,
      )
    ).json<Figures>();
    const registrations = countBy(
      specs.filter((s) => s.startedOn >= '2024-06-01'),
      (s) => yearOf(s.startedOn),
    );
    expect(registrations).toEqual({ '2024': 1, '2025': 15 });
    // 2024's one client speaks Arabic (suppressed), 2025's French speakers too: both hidden.
    expect(cells(years, 'registrations', 'registered')).toEqual({ '2024': SMALL, '2025': HIDDEN });
    expect(cells(years, 'languages', 'nl')).toEqual({ '2024': 0, '2025': 11 });
  });

  it('never carries a name, an id of a plan or of a client', async () => {
    const text = (await adminClient.get(`/api/organizations/${organization.id}/figures?${RANGE_2025}`)).body;
    for (const ref of plans) {
      expect(text).not.toContain(ref.plan.id);
      expect(text).not.toContain(ref.plan.clientId);
    }
    expect(text).not.toContain(lead.name);
  });

  it('suppresses counts from 1 to 4 and keeps 0, and hides a total that would give one away', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(suppressCount)).toEqual([0, SMALL, SMALL, SMALL, SMALL, 5, 6]);
    const range = { period: 'month' as const, from: '2025-01-01', to: '2025-02-28' };
    const published = publishFigures(
      {
        counts: [
          { figure: 'registrations', category: 'registered', bucket: '2025-01', count: 9 },
          { figure: 'languages', category: 'nl', bucket: '2025-01', count: 8 },
          { figure: 'languages', category: 'fr', bucket: '2025-01', count: 1 },
          { figure: 'registrations', category: 'registered', bucket: '2025-02', count: 10 },
          { figure: 'languages', category: 'nl', bucket: '2025-02', count: 5 },
          { figure: 'languages', category: 'fr', bucket: '2025-02', count: 5 },
        ],
        closed: { plans: 4, averageDays: 120 },
      },
      range,
    );
    const byKey = (key: string) => published.find((f) => f.key === key)!;
    // January: "fr" is 1, so 9 − 8 would give it away: the 9 is hidden as well.
    expect(byKey('registrations').rows).toEqual([{ category: 'registered', values: [HIDDEN, 10] }]);
    expect(byKey('languages').rows).toEqual([
      { category: 'fr', values: [SMALL, 5] },
      { category: 'nl', values: [8, 5] },
    ]);
    // An average over 4 closed plans could be one client's.
    expect(byKey('averageDuration').rows).toEqual([{ category: 'days', values: [SMALL] }]);
  });

  it('downloads the figures as CSV in the admin’s language, small counts as "< 5"', async () => {
    const response = await adminClient.get(`/api/organizations/${organization.id}/figures.csv?${RANGE_2025}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="figures-2025-01-01-2025-12-31.csv"',
    );
    expect(response.body.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(response.body.slice(1));
    expect(rows[0]).toEqual(['Chiffre', 'Catégorie', 'Période', 'Nombre']);
    expect(rows.every((row) => row.length === 4)).toBe(true);
    const find = (figureName: string, category: string, bucket: string) =>
      rows.find((r) => r[0] === figureName && r[1] === category && r[2] === bucket)?.[3];
    expect(find('Nouvelles inscriptions', 'inscrits', '2025-03')).toBe('masqué');
    expect(find('Nouvelles inscriptions', 'inscrits', '2025-05')).toBe('6');
    expect(find('Nouvelles inscriptions', 'inscrits', '2025-06')).toBe('< 5');
    expect(find('Objectifs par domaine de vie', 'Logement', '2025-03')).toBe('5');
    expect(find('Langue des clients', 'néerlandais', '2025-05')).toBe('6');
    expect(find('Concertations', 'tenues', '2025-01')).toBe('0');
    // One row per figure, category and period: 12 months for each monthly row.
    expect(rows.filter((r) => r[0] === 'Concertations')).toHaveLength(12);
  });

  it('escapes CSV fields and neutralises spreadsheet formulas', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('< 5')).toBe('< 5');
    expect(parseCsv(`${['=1+1', 'x,"y"'].map(csvField).join(',')}\r\n`)).toEqual([["'=1+1", 'x,"y"']]);
  });

  it('defaults to the last twelve months by month', async () => {
    const body = (await adminClient.get(`/api/organizations/${organization.id}/figures`)).json<Figures>();
    const today = brusselsDay(new Date());
    expect(body.period).toBe('month');
    expect(body.to).toBe(today);
    expect(body.from.slice(8)).toBe('01');
    expect(figure(body, 'meetings').buckets).toHaveLength(12);
    expect(figure(body, 'meetings').buckets.at(-1)).toBe(monthOf(today));
  });

  it.each([
    ['from after to', 'from=2025-12-01&to=2025-01-01'],
    ['an invalid date', 'from=2025-02-30&to=2025-03-31'],
    ['not a date', 'from=yesterday'],
    ['more than ten years', 'from=2015-01-01&to=2025-01-01'],
    ['an unknown period', 'period=week'],
    ['an unknown parameter', 'limit=5'],
  ])('answers 400 problem+json for %s', async (_name, query) => {
    for (const path of ['figures', 'figures.csv']) {
      const response = await adminClient.get(`/api/organizations/${organization.id}/${path}?${query}`);
      expect(response.statusCode, path).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('accepts exactly ten years', async () => {
    const response = await adminClient.get(
      `/api/organizations/${organization.id}/figures?period=year&from=2015-01-02&to=2025-01-01`,
    );
    expect(response.statusCode).toBe(200);
  });

  it('refuses another organisation’s admin and a professional (403), and knows no unknown organisation (404)', async () => {
    const others: TestUser[] = [await createAdmin(db), lead];
    for (const user of others) {
      const client = as(app, await signedInAs(app, user));
      for (const path of ['figures', 'figures.csv']) {
        const response = await client.get(`/api/organizations/${organization.id}/${path}`);
        expect(response.statusCode, `${user.kind} ${path}`).toBe(403);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
    const unknown = await adminClient.get(`/api/organizations/${randomUUID()}/figures`);
    expect(unknown.statusCode).toBe(404);
  });

  it('requires a session', async () => {
    for (const path of ['figures', 'figures.csv']) {
      const response = await app.inject({
        method: 'GET',
        url: `/api/organizations/${organization.id}/${path}`,
      });
      expect(response.statusCode).toBe(401);
    }
  });

  // ---------------------------------------------------------------- the demo organisation
  it("gives the demo organisation's figures, as its own seeded rows count them", async () => {
    const org = DEMO_IDS.orgBegeleidWonen;
    const ada = as(app, await login(app, 'ada.admin@demo.example', DEMO_PASSWORD));
    const today = brusselsDay(new Date());
    const from = `${Number(today.slice(0, 4)) - 9}-01-01`;
    const body = (
      await ada.get(`/api/organizations/${org}/figures?period=year&from=${from}&to=${today}`)
    ).json<Figures>();
    const years = figure(body, 'meetings').buckets;
    expect(years).toHaveLength(10);
    const inRange = (day: string) => day >= from && day <= today;
    const byYear = (days: string[]) => countBy(days.filter(inRange), yearOf);

    const planRows = await db.execute<{
      started_on: string;
      closed_at: Date | null;
      phase: Phase;
      language: string | null;
    }>(sql`
      select p.started_on::text, p.closed_at, p.phase::text as phase, c.preferred_language as language
        from plans p join clients c on c.id = p.client_id where p.organization_id = ${org}`);
    expect(planRows).toHaveLength(4);
    const registered = planRows.filter((p) => inRange(p.started_on));
    const languages = countBy(registered, (p) => `${p.language ?? 'unknown'} ${yearOf(p.started_on)}`);
    for (const row of figure(body, 'languages').rows)
      expect(row.values, row.category).toEqual(
        years.map((y) => expectedCell(languages[`${row.category} ${y}`] ?? 0)),
      );
    const registrations = byYear(registered.map((p) => p.started_on));
    expect(cells(body, 'registrations', 'registered')).toEqual(
      Object.fromEntries(
        years.map((y) => [
          y,
          figure(body, 'languages').rows.some((r) => typeof r.values[years.indexOf(y)] !== 'number') &&
          (registrations[y] ?? 0) > 0
            ? (registrations[y] ?? 0) < 5
              ? SMALL
              : HIDDEN
            : expectedCell(registrations[y] ?? 0),
        ]),
      ),
    );

    const goals = await db.execute<{ created_at: Date; life_domain: string }>(sql`
      select g.created_at, g.life_domain::text from goals g join plans p on p.id = g.plan_id where p.organization_id = ${org}`);
    expect(goals.length).toBeGreaterThan(0);
    for (const row of figure(body, 'goalsByLifeDomain').rows) {
      const counts = byYear(
        goals.filter((g) => g.life_domain === row.category).map((g) => brusselsDay(new Date(g.created_at))),
      );
      expect(row.values, row.category).toEqual(years.map((y) => expectedCell(counts[y] ?? 0)));
    }

    const meetings = await db.execute<{ held_at: Date }>(sql`
      select m.held_at from meetings m join plans p on p.id = m.plan_id
       where p.organization_id = ${org} and m.held_at <= now()`);
    expect(cells(body, 'meetings', 'held')).toEqual(
      expectedCells(years, byYear(meetings.map((m) => brusselsDay(new Date(m.held_at))))),
    );

    const given = await db.execute<{ recorded_at: Date }>(sql`
      select g.recorded_at from grants g join plans p on p.id = g.plan_id where p.organization_id = ${org}`);
    expect(cells(body, 'consents', 'given')).toEqual(
      expectedCells(years, byYear(given.map((g) => brusselsDay(new Date(g.recorded_at))))),
    );
    const withdrawn = await db.execute<{ revoked_at: Date }>(sql`
      select r.revoked_at from grant_revocations r join plans p on p.id = r.plan_id
       where p.organization_id = ${org} and r.method is not null`);
    expect(cells(body, 'consents', 'withdrawn')).toEqual(
      expectedCells(years, byYear(withdrawn.map((r) => brusselsDay(new Date(r.revoked_at))))),
    );

    const closures = await db.execute<{ closed_at: Date; reason_kind: string }>(sql`
      select p.closed_at, c.reason_kind::text from plans p join closures c on c.plan_id = p.id
       where p.organization_id = ${org}`);
    expect(closures).toHaveLength(planRows.filter((p) => p.closed_at).length);
    expect(closures).toHaveLength(1);
    for (const kind of CLOSURE_REASONS)
      expect(cells(body, 'closures', kind), kind).toEqual(
        expectedCells(
          years,
          byYear(
            closures.filter((c) => c.reason_kind === kind).map((c) => brusselsDay(new Date(c.closed_at))),
          ),
        ),
      );
    // One plan closed: its duration is never shown.
    expect(figure(body, 'averageDuration').rows).toEqual([{ category: 'days', values: [SMALL] }]);

    const phases = countBy(
      planRows.filter((p) => p.started_on <= today),
      (p) => p.phase,
    );
    for (const row of figure(body, 'phases').rows)
      expect(row.values, row.category).toEqual([expectedCell(phases[row.category] ?? 0)]);
  });
});
