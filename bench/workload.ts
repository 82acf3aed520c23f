import type postgres from 'postgres';
import { ACTION_STATUSES } from '../domain/vocabularies.ts';
import type { RequestSpec } from './load.ts';
import type { DatasetSize } from './sizes.ts';

// Who does what in each scenario, sampled from the generated data (never one hot row): partners
// and the plans they were given consent on, professionals and their plan lists, clients and their
// plans, leads and the actions of their plans, professionals searching the directory. Each
// scenario rotates round-robin over its pool; the app and the raw baseline get the same pool.

export type Side = 'app' | 'raw';

export interface Variant {
  id: string;
  scenario: 'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6';
  title: string;
  /** A read (its p99 at 1 connection is a target). */
  read: boolean;
  next: (side: Side) => RequestSpec;
}

interface S1Item {
  userId: string;
  planId: string;
  sections: string[];
}
interface S2Item {
  userId: string;
  secrecyBound: boolean;
  visible: number;
  deepCursor: string;
}
interface S3Item {
  userId: string;
  planId: string;
}
interface S4Item {
  userId: string;
  planId: string;
  actionId: string;
  version: number;
  refreshing: boolean;
}
interface S5Item {
  userId: string;
  q: string;
}

export interface Workload {
  s1: S1Item[];
  s2: S2Item[];
  heavy: S2Item;
  s3: S3Item[];
  s4: S4Item[];
  s5: S5Item[];
  userIds: string[];
}

/** Directory searches as people type them: Dutch, French, a prefix, a municipality. */
export const DIRECTORY_QUERIES = [
  'begeleid wonen',
  'santé mentale',
  'schuldbemiddeling',
  'logement',
  'psych',
  'Anderlecht',
  'maison médicale',
  'jeugdhulp',
  'daklozen',
  'médiation de dettes',
  'tewerkstelling',
  'toxicomanie',
  'Ixelles',
  'senioren',
  'accueil de nuit',
  'budget',
  'huisarts Schaarbeek',
  'wonen',
  'aide sociale',
  'handicap',
];

/** Page size of the plan list (the API's default) and where the access log's deep page starts. */
export const PLAN_PAGE = 25;
export const ACCESS_LOG_DEEP_CURSOR = 60;

const ACTIVE_GRANT = `r.grant_id is null and g.valid_from <= now() and (g.valid_until is null or g.valid_until > now())`;
const READABLE = `(u.secrecy_bound or g.section not in ('background', 'meetings'))`;

/** Samples every scenario's pool from the database (repeatable: the same run picks the same rows). */
export async function sampleWorkload(
  sql: postgres.Sql,
  size: DatasetSize,
  counts = { s1: 2000, s2: 300, s3: 1000, s4: 2000, s5: 500 },
): Promise<Workload> {
  await sql`select setseed(0.42)`;
  const plans = size.clients;
  const percent = (wanted: number) => Math.min(100, (100 * wanted * 3) / plans);
  const heavyEmail = `pro${size.professionals}@bench.test`;

  // Plans are sampled first, then each member's grants looked up through the index: a join of
  // grants and members lets the planner misjudge their two-column match and scan both.
  const s1 = await sql.unsafe<Array<{ user_id: string; plan_id: string; sections: string[] }>>(
    `with sampled as materialized (
       select id, lead_user_id from plans tablesample bernoulli (${percent(counts.s1 / 4)}) repeatable (7)
        where phase <> 'closed')
     select m.user_id, m.plan_id, s.sections
       from sampled p
       join members m on m.plan_id = p.id
       join users u on u.id = m.user_id
       cross join lateral (
         select array_agg(distinct g.section::text order by g.section::text) as sections
           from grants g left join grant_revocations r on r.grant_id = g.id
          where g.plan_id = m.plan_id and g.member_id = m.id and ${ACTIVE_GRANT} and ${READABLE}) s
      where m.kind = 'professional' and m.status = 'current' and m.removed_at is null
        and m.user_id <> p.lead_user_id and u.email <> $1 and s.sections is not null
      order by md5(m.user_id::text || m.plan_id::text)
      limit ${counts.s1}`,
    [heavyEmail],
  );

  const visibleSql = (user: string) => `
    select id from plans where lead_user_id = ${user}
    union
    select m.plan_id from members m join plans p on p.id = m.plan_id
      join grants g on g.plan_id = m.plan_id and g.member_id = m.id
      left join grant_revocations r on r.grant_id = g.id
     where m.user_id = ${user} and m.status = 'current' and m.removed_at is null and p.phase <> 'closed'
       and ${ACTIVE_GRANT} and ${READABLE}`;
  const s2Rows = await sql.unsafe<Array<{ id: string; secrecy_bound: boolean; visible: string[] }>>(
    // Pick the users first: the visible lists are then computed for them only.
    `select u.id, u.secrecy_bound, array(select v.id from (${visibleSql('u.id')}) v order by v.id) as visible
       from (select id, secrecy_bound from users
              where kind = 'professional' and email like 'pro%' and email <> $1
              order by md5(id::text)
              limit ${counts.s2}) u`,
    [heavyEmail],
  );
  const [heavyRow] = await sql.unsafe<Array<{ id: string; secrecy_bound: boolean; visible: string[] }>>(
    `select u.id, u.secrecy_bound, array(select v.id from (${visibleSql('u.id')}) v order by v.id) as visible
       from users u where u.email = $1`,
    [heavyEmail],
  );
  if (!heavyRow) throw new Error('The heavy professional is missing from the dataset.');
  const toS2 = (row: { id: string; secrecy_bound: boolean; visible: string[] }): S2Item => ({
    userId: row.id,
    secrecyBound: row.secrecy_bound,
    visible: row.visible.length,
    // The last full page: as deep as the list goes, and as many rows as the first page.
    deepCursor: row.visible[Math.max(0, row.visible.length - PLAN_PAGE - 1)] ?? row.visible[0] ?? '',
  });

  const s3 = await sql.unsafe<Array<{ user_id: string; plan_id: string }>>(
    `select c.user_id, p.id as plan_id
       from plans p tablesample bernoulli (${percent(counts.s3)}) repeatable (11)
       join clients c on c.id = p.client_id
      where c.user_id is not null
      order by md5(p.id::text)
      limit ${counts.s3}`,
  );

  const s4 = await sql.unsafe<Array<{ user_id: string; plan_id: string; id: string; version: number }>>(
    `with sampled as materialized (
       select id, lead_user_id from plans tablesample bernoulli (${percent(counts.s4 / 2)}) repeatable (13)
        where phase <> 'closed')
     select p.lead_user_id as user_id, a.plan_id, a.id, a.version
       from sampled p
       cross join lateral (select plan_id, id, version from actions where plan_id = p.id order by id limit 2) a
      order by md5(a.id::text)
      limit ${counts.s4}`,
  );

  const searchers = await sql<Array<{ id: string }>>`
    select id from users where kind = 'professional' order by md5(id::text) limit 100`;
  const s5: S5Item[] = Array.from({ length: counts.s5 }, (_, i) => ({
    userId: searchers[i % searchers.length]?.id ?? '',
    q: DIRECTORY_QUERIES[(i * 7) % DIRECTORY_QUERIES.length] ?? 'wonen',
  }));

  const workload: Workload = {
    s1: s1.map((r) => ({ userId: r.user_id, planId: r.plan_id, sections: r.sections })),
    s2: s2Rows.filter((r) => r.visible.length > 0).map(toS2),
    heavy: toS2(heavyRow),
    s3: s3.map((r) => ({ userId: r.user_id, planId: r.plan_id })),
    s4: s4.map((r) => ({
      userId: r.user_id,
      planId: r.plan_id,
      actionId: r.id,
      version: r.version,
      refreshing: false,
    })),
    s5,
    userIds: [],
  };
  workload.userIds = [
    ...new Set([
      ...workload.s1.map((i) => i.userId),
      ...workload.s2.map((i) => i.userId),
      workload.heavy.userId,
      ...workload.s3.map((i) => i.userId),
      ...workload.s4.map((i) => i.userId),
      ...workload.s5.map((i) => i.userId),
    ]),
  ];
  for (const [name, pool] of Object.entries({
    s1: workload.s1,
    s2: workload.s2,
    s3: workload.s3,
    s4: workload.s4,
  }))
    if (pool.length === 0)
      throw new Error(`The ${name} pool is empty: the dataset does not have what the scenario needs.`);
  return workload;
}

/**
 * Opens a session for every user of the workload (a `sessions` row, as sign-in makes) and has the
 * server sign its token, as test/helpers/app.ts does: no argon2 in the benchmark.
 */
export async function createTokens(
  sql: postgres.Sql,
  baseUrl: string,
  userIds: string[],
): Promise<Map<string, string>> {
  const sessions = await sql<Array<{ id: string; user_id: string }>>`
    insert into sessions (user_id, expires_at, user_agent)
    select unnest(${userIds}::uuid[]), now() + interval '12 hours', 'liaison-bench'
    returning id, user_id`;
  const tokens = new Map<string, string>();
  for (let start = 0; start < sessions.length; start += 1000) {
    const chunk = sessions.slice(start, start + 1000);
    const response = await fetch(`${baseUrl}/bench/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ users: chunk.map((s) => ({ sub: s.user_id, sid: s.id })) }),
    });
    if (!response.ok) throw new Error(`signing tokens failed: ${response.status} ${await response.text()}`);
    const { tokens: signed } = (await response.json()) as { tokens: string[] };
    chunk.forEach((session, i) => tokens.set(session.user_id, signed[i] ?? ''));
  }
  return tokens;
}

/** Counts what the scenarios did that the report needs (412s, ETag refreshes). */
export interface WorkloadCounters {
  preconditionFailed: number;
  refreshes: number;
  refreshFailures: number;
}

function rotation<T>(pool: readonly T[]): () => T {
  let i = 0;
  return () => {
    const item = pool[i % pool.length];
    i += 1;
    if (item === undefined) throw new Error('empty pool');
    return item;
  };
}

/** The scenarios as request makers for the app and the raw baseline. */
export function buildVariants(
  workload: Workload,
  tokens: Map<string, string>,
  baseUrl: string,
  counters: WorkloadCounters,
  /** Every answer the bench gets outside autocannon (ETag refreshes), for the audit check. */
  record: (kind: string, status: number) => void,
): Variant[] {
  const auth = (userId: string) => ({ authorization: `Bearer ${tokens.get(userId) ?? ''}` });
  const s1 = rotation(workload.s1);
  const s2 = rotation(workload.s2);
  const s2deep = rotation(workload.s2);
  const s3 = rotation(workload.s3);
  const s3deep = rotation(workload.s3);
  const s4 = rotation(workload.s4);
  const s5 = rotation(workload.s5);
  let s4Count = 0;

  const S1 = (side: Side, item = s1()): RequestSpec =>
    side === 'app'
      ? { kind: 'S1', method: 'GET', path: `/api/plans/${item.planId}`, headers: auth(item.userId) }
      : {
          kind: 'S1',
          method: 'GET',
          path: `/bench/raw/plans/${item.planId}?user=${item.userId}&sections=${item.sections.join(',')}`,
        };
  const S2 = (side: Side, kind: string, item: S2Item, deep: boolean): RequestSpec => {
    const cursor = deep ? item.deepCursor : null;
    return side === 'app'
      ? {
          kind,
          method: 'GET',
          path: `/api/plans${cursor ? `?cursor=${cursor}` : ''}`,
          headers: auth(item.userId),
        }
      : {
          kind,
          method: 'GET',
          path: `/bench/raw/plans?user=${item.userId}&secrecy=${item.secrecyBound}${cursor ? `&cursor=${cursor}` : ''}`,
        };
  };
  const S3 = (side: Side, kind: string, item: S3Item, deep: boolean): RequestSpec => {
    const query = deep ? `?cursor=${ACCESS_LOG_DEEP_CURSOR}` : '';
    return side === 'app'
      ? {
          kind,
          method: 'GET',
          path: `/api/plans/${item.planId}/access-log${query}`,
          headers: auth(item.userId),
        }
      : { kind, method: 'GET', path: `/bench/raw/plans/${item.planId}/access-log${query}` };
  };

  /** A 412 means someone else wrote first: read the action again for its ETag, as a client would. */
  const refresh = (side: Side, item: S4Item) => {
    item.refreshing = true;
    counters.refreshes += 1;
    const path =
      side === 'app'
        ? `/api/plans/${item.planId}/actions/${item.actionId}`
        : `/bench/raw/plans/${item.planId}/actions/${item.actionId}`;
    fetch(`${baseUrl}${path}`, { headers: side === 'app' ? auth(item.userId) : {} })
      .then(async (response) => {
        record(`S4-refresh-${side}`, response.status);
        const etag = /"(\d+)"/.exec(response.headers.get('etag') ?? '');
        if (response.ok && etag?.[1]) item.version = Number(etag[1]);
        else counters.refreshFailures += 1;
        await response.arrayBuffer();
      })
      .catch(() => {
        counters.refreshFailures += 1;
      })
      .finally(() => {
        item.refreshing = false;
      });
  };
  const S4 = (side: Side): RequestSpec => {
    let item = s4();
    for (let tries = 0; item.refreshing && tries < 10; tries += 1) item = s4();
    s4Count += 1;
    const body = JSON.stringify({
      status: ACTION_STATUSES[s4Count % ACTION_STATUSES.length],
      note: `Gebeld met de cliënt (${s4Count}).`,
    });
    const current = item;
    return {
      kind: 'S4',
      method: 'PATCH',
      path:
        side === 'app'
          ? `/api/plans/${item.planId}/actions/${item.actionId}`
          : `/bench/raw/plans/${item.planId}/actions/${item.actionId}?user=${item.userId}`,
      headers: { ...(side === 'app' ? auth(item.userId) : {}), 'if-match': `"${item.version}"` },
      body,
      onResponse: (status, headers) => {
        const etag = /"(\d+)"/.exec(String(headers.etag ?? ''));
        if (status === 200 && etag?.[1]) current.version = Number(etag[1]);
        else if (status === 412) {
          counters.preconditionFailed += 1;
          if (!current.refreshing) refresh(side, current);
        }
      },
    };
  };
  const S5 = (side: Side, item = s5()): RequestSpec =>
    side === 'app'
      ? {
          kind: 'S5',
          method: 'GET',
          path: `/api/organizations?q=${encodeURIComponent(item.q)}`,
          headers: auth(item.userId),
        }
      : { kind: 'S5', method: 'GET', path: `/bench/raw/organizations?q=${encodeURIComponent(item.q)}` };

  // S6: 60% S1, 20% S2 (first and deep pages), 10% S3 (first and deep), 5% S4, 5% S5, interleaved.
  const MIX = [
    'S1', 'S2', 'S1', 'S3', 'S1', 'S1', 'S2-deep', 'S1', 'S5', 'S1',
    'S1', 'S2', 'S1', 'S3-deep', 'S1', 'S1', 'S2-deep', 'S1', 'S4', 'S1',
  ] as const; // prettier-ignore
  let mixIndex = 0;
  const mixed = (side: Side): RequestSpec => {
    const part = MIX[mixIndex % MIX.length] ?? 'S1';
    mixIndex += 1;
    switch (part) {
      case 'S1':
        return S1(side);
      case 'S2':
        return S2(side, 'S2', s2(), false);
      case 'S2-deep':
        return S2(side, 'S2-deep', s2deep(), true);
      case 'S3':
        return S3(side, 'S3', s3(), false);
      case 'S3-deep':
        return S3(side, 'S3-deep', s3deep(), true);
      case 'S4':
        return S4(side);
      case 'S5':
        return S5(side);
    }
  };

  const heavy = workload.heavy;
  return [
    {
      id: 'S1',
      scenario: 'S1',
      title: 'a partner opens a consented plan (overview)',
      read: true,
      next: (side) => S1(side),
    },
    {
      id: 'S2',
      scenario: 'S2',
      title: 'a partner lists the plans shared with them (first page)',
      read: true,
      next: (side) => S2(side, 'S2', s2(), false),
    },
    {
      id: 'S2-deep',
      scenario: 'S2',
      title: 'the same list, the last full page by cursor',
      read: true,
      next: (side) => S2(side, 'S2-deep', s2deep(), true),
    },
    {
      id: 'S2-heavy',
      scenario: 'S2',
      title: `the heavy professional's list (${heavy.visible} plans), first page`,
      read: true,
      next: (side) => S2(side, 'S2-heavy', heavy, false),
    },
    {
      id: 'S2-heavy-deep',
      scenario: 'S2',
      title: "the heavy professional's last full page by cursor",
      read: true,
      next: (side) => S2(side, 'S2-heavy-deep', heavy, true),
    },
    {
      id: 'S3',
      scenario: 'S3',
      title: 'a client reads who looked at their plan (first page)',
      read: true,
      next: (side) => S3(side, 'S3', s3(), false),
    },
    {
      id: 'S3-deep',
      scenario: 'S3',
      title: `the same log, a deep page (seq < ${ACCESS_LOG_DEEP_CURSOR})`,
      read: true,
      next: (side) => S3(side, 'S3-deep', s3deep(), true),
    },
    {
      id: 'S4',
      scenario: 'S4',
      title: 'a lead updates an action (If-Match; audit event in the same transaction)',
      read: false,
      next: S4,
    },
    {
      id: 'S5',
      scenario: 'S5',
      title: 'directory search over the organisations',
      read: true,
      next: (side) => S5(side),
    },
    {
      id: 'S6',
      scenario: 'S6',
      title: 'the mix: 60% S1, 20% S2, 10% S3, 5% S4, 5% S5',
      read: false,
      next: mixed,
    },
  ];
}

/** Whether the app writes an audit event for a 2xx answer of this kind (DESIGN.md, "Audit"). */
export function isAuditedKind(kind: string): boolean {
  // S1: a partner's read of plan content; S4: a change; the ETag refresh: a read of an action.
  // Not audited: plan lists (S2), the client's own access log (S3), the directory (S5).
  return kind === 'S1' || kind === 'S4' || kind === 'S4-refresh-app';
}
