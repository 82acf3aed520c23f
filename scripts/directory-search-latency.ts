// A rough latency check of the directory search (not the benchmark): times 200 searches through
// `searchOrganizations` over the demo directory and prints p50/p95/p99. Uses DATABASE_URL, or the
// embedded PostgreSQL in DATA_DIR; migrates and loads the generated directory when missing.
// Run: node --import tsx scripts/directory-search-latency.ts
import { sql } from 'drizzle-orm';
import { withCliDatabase } from '../db/cli.ts';
import { loadDemoDirectory } from '../db/directory/demo-organizations.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { searchOrganizations, type DirectorySearch } from '../db/queries/organizations.ts';
import { defineAbilityFor } from '../policies/index.ts';

const WORDS = [
  'woning',
  'logement',
  'santé mentale',
  'sante',
  'schuldbemiddeling',
  'accueil de nuit',
  'psych',
  'jobcoaching',
  'aide à domicile',
  'huisarts',
  'brussel',
  'dubbele diagnose',
];
const FILTERS: Array<Omit<DirectorySearch, 'limit'>> = [
  {},
  { sector: 'housing' },
  { language: 'nl' },
  { municipality: 'Elsene' },
  { postcode: '1070' },
  { sector: 'mental_health', language: 'fr' },
];

const ability = defineAbilityFor({
  id: '00000000-0000-4000-8000-000000000000',
  kind: 'professional',
  organizationId: null,
  secrecyBound: false,
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

await withCliDatabase(async (db) => {
  await migrateDatabase(db);
  await loadDemoDirectory(db);
  const searches: DirectorySearch[] = [];
  for (let i = 0; searches.length < 200; i += 1) {
    const filter = FILTERS[i % FILTERS.length]!;
    // One in six lists by name without words, as a directory page does before a search.
    const q = i % 6 === 5 ? undefined : WORDS[i % WORDS.length];
    searches.push({ ...filter, q, limit: 20 });
  }
  for (const search of searches.slice(0, 20)) await searchOrganizations(db, ability, search); // warm-up
  const times: number[] = [];
  const nextTimes: number[] = [];
  let rows = 0;
  for (const search of searches) {
    const started = performance.now();
    const first = await searchOrganizations(db, ability, search);
    times.push(performance.now() - started);
    rows += first.rows.length;
    if (first.next) {
      // The next page too: keyset paging should cost what the first page costs.
      const again = performance.now();
      await searchOrganizations(db, ability, { ...search, after: first.next });
      nextTimes.push(performance.now() - again);
    }
  }
  const summary = (label: string, values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const ms = (p: number) => `${percentile(sorted, p).toFixed(2)} ms`;
    console.log(
      `${label}: ${values.length} queries, p50 ${ms(50)}, p95 ${ms(95)}, p99 ${ms(99)}, max ${sorted.at(-1)!.toFixed(2)} ms`,
    );
  };
  const [{ n } = { n: 0 }] = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from organizations`,
  );
  console.log(`${n} organisations; ${rows} rows on the first pages`);
  summary('first pages', times);
  summary('next pages', nextTimes);
});
