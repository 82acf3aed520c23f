import { and, arrayContains, asc, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { BRUSSELS_MUNICIPALITIES } from '../../domain/municipalities.ts';
import type { Sector } from '../../domain/vocabularies.ts';
import type { AppAbility } from '../../policies/index.ts';
import { abilityCondition } from '../ability-condition.ts';
import type { Executor } from '../client.ts';
import type { ImportedOrganization } from '../directory/hsds.ts';
import { expandSearchWords } from '../directory/thesaurus/index.ts';
import { organizations, users } from '../schema/index.ts';

/** The columns of a directory entry as the API shows it. */
const entryColumns = {
  id: organizations.id,
  name: organizations.name,
  nameNl: organizations.nameNl,
  nameFr: organizations.nameFr,
  description: organizations.description,
  descriptionNl: organizations.descriptionNl,
  descriptionFr: organizations.descriptionFr,
  sectors: organizations.sectors,
  languages: organizations.languages,
  services: organizations.services,
  street: organizations.street,
  postcode: organizations.postcode,
  municipality: organizations.municipality,
  email: organizations.email,
  phone: organizations.phone,
  website: organizations.website,
  openingHours: organizations.openingHours,
  version: organizations.version,
};

export type OrganizationRow = Pick<typeof organizations.$inferSelect, keyof typeof entryColumns>;

/** Where the next page starts: after this rank (a search) or this name key (no search), then id. */
export type DirectoryCursor = { rank: string; id: string } | { key: string; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cursor as the API hands it out: opaque base64url JSON. */
export function encodeDirectoryCursor(cursor: DirectoryCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/**
 * Reads a cursor for a search (`rank`) or a listing (`name`); null when it is not one of ours
 * or belongs to the other kind of query.
 */
export function decodeDirectoryCursor(value: string, kind: 'rank' | 'name'): DirectoryCursor | null {
  try {
    const cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof cursor.id !== 'string' || !UUID.test(cursor.id)) return null;
    if (kind === 'rank' && typeof cursor.rank === 'string' && Number.isFinite(Number(cursor.rank)))
      return { rank: cursor.rank, id: cursor.id };
    if (kind === 'name' && typeof cursor.key === 'string' && cursor.key.length <= 400)
      return { key: cursor.key, id: cursor.id };
    return null;
  } catch {
    return null;
  }
}

/**
 * The words of a search box the text search uses: letters and digits only (so nothing in them
 * is query syntax), at most 8 words of at most 50 characters.
 */
export function searchWords(q: string | undefined): string[] {
  if (!q) return [];
  return (q.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8).map((word) => word.slice(0, 50));
}

/** The municipality's names in both languages when it is one of Brussels' 19, else the name given. */
function municipalityNames(name: string): string[] {
  const key = (value: string) => value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const match = BRUSSELS_MUNICIPALITIES.find((m) => key(m.nl) === key(name) || key(m.fr) === key(name));
  return match ? [...new Set([match.nl, match.fr])] : [name];
}

const normalized = (value: SQL | PgColumn) => sql`lower(liaison_unaccent(${value}))`;

export interface DirectorySearch {
  q?: string;
  sector?: Sector;
  language?: string;
  municipality?: string;
  postcode?: string;
  limit: number;
  after?: DirectoryCursor;
}

/**
 * Searches the directory, filtered in SQL by the ability and every filter before paging. With
 * search words: ranked by relevance (Dutch, French and `simple` text search, accents and case
 * ignored), then by id; without: by name, then id. Keyset-paginated: `next` continues exactly
 * after the last row, without duplicates or gaps.
 */
export async function searchOrganizations(
  db: Executor,
  ability: AppAbility,
  params: DirectorySearch,
): Promise<{ rows: OrganizationRow[]; next: DirectoryCursor | null }> {
  const conditions: Array<SQL | undefined> = [
    abilityCondition(ability, 'read', 'Organization', organizations),
  ];
  if (params.sector) conditions.push(arrayContains(organizations.sectors, [params.sector]));
  if (params.language) conditions.push(arrayContains(organizations.languages, [params.language]));
  if (params.postcode) conditions.push(eq(organizations.postcode, params.postcode));
  if (params.municipality) {
    const names = municipalityNames(params.municipality).map((name) => normalized(sql`${name}::text`));
    conditions.push(sql`${normalized(organizations.municipality)} in (${sql.join(names, sql`, `)})`);
  }

  const words = searchWords(params.q);
  if (words.length > 0) {
    // The thesaurus (db/directory/thesaurus) turns the words into groups: a run of words that
    // names a concept ("daklozen", "job coach") also matches every term of that concept, in Dutch,
    // French and English, so a search in one language finds organisations described in another.
    // The expansion happens on the query side: the organisations' search vectors stay as they
    // are (no write path has to know the thesaurus, and changing it needs no re-index), and the
    // terms become phrase queries over the same GIN index. Groups and words are one JSON
    // parameter, so the statement text is the same for every search. The queries are InitPlans,
    // built once per statement.
    const expanded = expandSearchWords(words).map(({ concepts: _concepts, ...group }) => group);
    const groups = JSON.stringify(expanded);
    const query = sql`(select directory_expanded_tsquery(${groups}::jsonb))`;
    // For ranking, a concept counts by its terms only, whichever of them was typed: "verslaving"
    // and "assuétudes" order the organisations of that concept alike (the literal bonus aside).
    const conceptsOnly = JSON.stringify(
      expanded.map((group) =>
        group.nl.length + group.fr.length + group.en.length > 0 ? { ...group, words: [] } : group,
      ),
    );
    const rankQuery = sql`(select directory_expanded_tsquery(${conceptsOnly}::jsonb))`;
    const literal = sql`(select directory_tsquery(${sql.param(words)}::text[]))`;
    const terms = sql`(select directory_term_tsqueries(${groups}::jsonb))`;
    conditions.push(sql`${organizations.searchVector} @@ ${query}`);
    // The rank, in tenths: 5 when the organisation uses the words as typed (a literal match ranks
    // above a translated one unless that one uses five more of the concept's terms), 1 per term of
    // the concepts it matches (among equals, the one described with more of the concept's words
    // comes first: "entreprise de travail adapté", "job coaching" and "beschutte werkplaats" is
    // surely what "job coach" asks for), and ts_rank of the expanded query, below 1, to order the
    // rest by weight (a name before a description). ts_rank alone would count the words of a
    // phrase one by one: "emploi" would weigh like "accompagnement à l'emploi".
    const coverage = sql`(select count(*) from unnest(${terms}) as term where ${organizations.searchVector} @@ term)`;
    const score = sql`0.5 * (${organizations.searchVector} @@ ${literal})::int + 0.1 * ${coverage}
      + 0.1 * ts_rank(${organizations.searchVector}, ${rankQuery})`;
    const matches = db
      .select({
        id: organizations.id,
        rank: sql`(${score})::real`.as('rank'),
      })
      .from(organizations)
      .where(and(...conditions));
    const after = params.after && 'rank' in params.after ? params.after : undefined;
    const keyset = after
      ? sql`where rank < ${after.rank}::real or (rank = ${after.rank}::real and id > ${after.id})`
      : sql``;
    const pageIds = sql`(select id, rank from (${matches} offset 0) as ranked ${keyset}
      order by rank desc, id limit ${params.limit + 1}) as page`;
    const rank = sql<number>`page.rank`;
    const rows = await db
      .select({ ...entryColumns, rank })
      .from(pageIds)
      .innerJoin(organizations, sql`${organizations.id} = page.id`)
      .orderBy(desc(rank), asc(organizations.id));
    const page = rows.slice(0, params.limit);
    const last = page.at(-1);
    return {
      rows: page.map(({ rank: _rank, ...row }) => row),
      // A real (float4) read into a double prints back exactly: it has at most 9 significant digits.
      next: rows.length > params.limit && last ? { rank: String(last.rank), id: last.id } : null,
    };
  }

  const sortKey = normalized(organizations.name);
  const after = params.after && 'key' in params.after ? params.after : undefined;
  if (after) conditions.push(sql`(${sortKey}, ${organizations.id}) > (${after.key}, ${after.id}::uuid)`);
  const rows = await db
    .select({ ...entryColumns, sortKey: sql<string>`${sortKey}` })
    .from(organizations)
    .where(and(...conditions))
    .orderBy(asc(sortKey), asc(organizations.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  return {
    rows: page.map(({ sortKey: _sortKey, ...row }) => row),
    next: rows.length > params.limit && last ? { key: last.sortKey, id: last.id } : null,
  };
}

/** One directory entry, if the ability lets the user read it. */
export async function findOrganization(
  db: Executor,
  ability: AppAbility,
  organizationId: string,
): Promise<OrganizationRow | null> {
  const [row] = await db
    .select(entryColumns)
    .from(organizations)
    .where(
      and(
        eq(organizations.id, organizationId),
        abilityCondition(ability, 'read', 'Organization', organizations),
      ),
    );
  return row ?? null;
}

/** The fields of a directory entry its admins may change. */
export type OrganizationChanges = Partial<Omit<OrganizationRow, 'id' | 'version'>>;

/**
 * Changes a directory entry if it still has the expected version, bumping it; null when the
 * entry is gone or was changed in the meantime (the caller tells which).
 */
export async function updateOrganization(
  db: Executor,
  organizationId: string,
  expectedVersion: number,
  changes: OrganizationChanges,
): Promise<OrganizationRow | null> {
  const [row] = await db
    .update(organizations)
    .set({ ...changes, version: sql`${organizations.version} + 1`, updatedAt: new Date() })
    .where(and(eq(organizations.id, organizationId), eq(organizations.version, expectedVersion)))
    .returning(entryColumns);
  return row ?? null;
}

const IMPORTED_FIELDS = [
  'name',
  'description',
  'email',
  'website',
  'phone',
  'services',
  'languages',
  'street',
  'postcode',
  'municipality',
  'openingHours',
] as const satisfies ReadonlyArray<keyof ImportedOrganization>;

type ImportedColumn = (typeof IMPORTED_FIELDS)[number];

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters per statement. */
const BATCH = 500;

/**
 * Upserts imported organisations by their source id, setting only the fields each row carries
 * (rows are grouped by those fields). A row whose fields are all as stored is not written (its
 * version stays), so that importing the same source twice changes nothing. Pass a
 * transaction: the caller decides what is atomic.
 */
export async function upsertImportedOrganizations(
  db: Executor,
  rows: ImportedOrganization[],
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const columns = getTableColumns(organizations);
  const groups = new Map<string, { fields: ImportedColumn[]; rows: ImportedOrganization[] }>();
  for (const row of rows) {
    const fields = IMPORTED_FIELDS.filter((field) => row[field] !== undefined);
    const key = fields.join(',');
    const group = groups.get(key) ?? { fields, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  let inserted = 0;
  let updated = 0;
  for (const { fields, rows: groupRows } of groups.values()) {
    const excluded = (field: ImportedColumn) => sql.raw(`excluded."${columns[field].name}"`);
    const stored = sql.join(
      fields.map((field) => sql`${organizations}.${sql.identifier(columns[field].name)}`),
      sql`, `,
    );
    const incoming = sql.join(fields.map(excluded), sql`, `);
    for (let start = 0; start < groupRows.length; start += BATCH) {
      const written = await db
        .insert(organizations)
        .values(groupRows.slice(start, start + BATCH))
        .onConflictDoUpdate({
          target: organizations.sourceId,
          set: {
            ...Object.fromEntries(fields.map((field) => [field, excluded(field)])),
            version: sql`${organizations.version} + 1`,
            updatedAt: sql`now()`,
          },
          setWhere: sql`(${stored}) is distinct from (${incoming})`,
        })
        // xmax is 0 on a row this statement inserted, and set on one it updated.
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      for (const row of written) {
        if (row.inserted) inserted += 1;
        else updated += 1;
      }
    }
  }
  return { inserted, updated, unchanged: rows.length - inserted - updated };
}

/** The columns a generated directory entry sets, with their SQL types for `jsonb_to_recordset`. */
const INSERTED_COLUMNS = {
  id: 'uuid',
  name: 'text',
  nameNl: 'text',
  nameFr: 'text',
  description: 'text',
  descriptionNl: 'text',
  descriptionFr: 'text',
  sectors: 'text[]',
  languages: 'text[]',
  services: 'text[]',
  street: 'text',
  postcode: 'text',
  municipality: 'text',
  email: 'text',
  phone: 'text',
  website: 'text',
  openingHours: 'text',
} as const;

export type NewOrganization = Pick<typeof organizations.$inferInsert, keyof typeof INSERTED_COLUMNS> & {
  id: string;
};

/**
 * Inserts directory entries (the generated demo directory) many rows per statement, passed as
 * one JSON parameter: building thousands of bound parameters costs more than the insert itself.
 * Entries whose id exists already are left as they are. Returns how many were inserted.
 */
export async function insertOrganizations(db: Executor, rows: NewOrganization[]): Promise<number> {
  const columns = getTableColumns(organizations);
  const keys = Object.keys(INSERTED_COLUMNS) as Array<keyof typeof INSERTED_COLUMNS>;
  const target = sql.raw(keys.map((key) => `"${columns[key].name}"`).join(', '));
  const record = sql.raw(keys.map((key) => `"${key}" ${INSERTED_COLUMNS[key]}`).join(', '));
  const source = sql.raw(keys.map((key) => `r."${key}"`).join(', '));
  let count = 0;
  for (let start = 0; start < rows.length; start += 1000) {
    const chunk = rows
      .slice(start, start + 1000)
      .map((row) => Object.fromEntries(keys.map((key) => [key, row[key] ?? null])));
    const written = await db.execute(sql`
      insert into ${organizations} (${target})
      select ${source} from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as r(${record})
      on conflict (id) do nothing`);
    count += written.count;
  }
  return count;
}

/**
 * The professionals of an organisation who have a Liaison account (not disabled), by name: whom a
 * lead may link into a network. Read from accounts only, never from any plan.
 */
export async function listOrganizationPeople(db: Executor, organizationId: string) {
  return db
    .select({ userId: users.id, name: users.name })
    .from(users)
    .where(
      and(
        eq(users.organizationId, organizationId),
        eq(users.kind, 'professional'),
        eq(users.disabled, false),
      ),
    )
    .orderBy(asc(users.name))
    .limit(200);
}
