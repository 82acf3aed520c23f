import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  insertOrganizations,
  searchOrganizations,
  type NewOrganization,
} from '../../../db/queries/organizations.ts';
import { loadDemoDirectory } from '../../../db/directory/demo-organizations.ts';
import { defineAbilityFor } from '../../../policies/index.ts';
import type { Organization } from '../../../domain/schemas/organizations.ts';
import {
  createAdmin,
  createClientUser,
  createOrganization,
  createProfessional,
} from '../../factories/users.ts';
import { buildTestApp, injectAs } from '../../helpers/app.ts';
import { signedInAs } from '../../helpers/session.ts';

type Page = { items: Organization[]; nextCursor: string | null };

/** Organisations with made-up words, so that a search can name exactly what it must find. */
const FIXTURES = {
  woningen: {
    id: randomUUID(),
    name: 'Woonproject Zwaluwnest vzw',
    nameNl: 'Woonproject Zwaluwnest vzw',
    descriptionNl: 'Wij zoeken betaalbare woningen voor jonge gezinnen in de buurt.',
    sectors: ['housing'],
    languages: ['nl'],
    services: ['huurbegeleiding'],
    postcode: '1080',
    municipality: 'Sint-Jans-Molenbeek',
  },
  woning: {
    id: randomUUID(),
    name: 'Zwaluwnest Dak',
    descriptionNl: 'Een woning voor wie op straat staat: het zwaluwnest.',
    sectors: ['homelessness'],
    languages: ['nl', 'fr'],
    services: [],
    postcode: '1000',
    municipality: 'Brussel',
  },
  sante: {
    id: randomUUID(),
    name: 'Maison de santé Quokka asbl',
    nameFr: 'Maison de santé Quokka asbl',
    descriptionFr: 'Soins de première ligne pour tout le quartier, avec ou sans mutuelle.',
    sectors: ['general_health'],
    languages: ['fr', 'ar'],
    services: ['médecine générale', 'kinésithérapie'],
    postcode: '1050',
    municipality: 'Ixelles',
  },
  /** A mental health centre in Jette, "santé" in its French name. */
  mentalHealth: {
    id: randomUUID(),
    name: 'CGG Noordwest Brussel vzw',
    nameNl: 'Centrum Geestelijke Gezondheidszorg Noordwest Brussel vzw',
    nameFr: 'Centre de santé mentale Nord-Ouest Bruxelles asbl',
    descriptionFr: 'Aide psychiatrique et psychologique ambulatoire pour adultes.',
    sectors: ['mental_health'],
    languages: ['nl', 'fr'],
    services: ['psychiatrie'],
    postcode: '1090',
    municipality: 'Jette',
  },
  /** A night shelter, shown whole by its id. */
  shelter: {
    id: randomUUID(),
    name: 'Le Relais de la Nuit asbl',
    nameFr: 'Le Relais de la Nuit asbl',
    descriptionFr: 'Accueil de nuit et accompagnement mobile des personnes sans abri.',
    sectors: ['homelessness', 'general_welfare'],
    languages: ['fr'],
    services: ['accueil de nuit'],
    postcode: '1040',
    municipality: 'Etterbeek',
  },
  /** Mentions the word only in its description: ranks after a name match. */
  mention: {
    id: randomUUID(),
    name: 'Buurtwerk Oost',
    descriptionNl: 'Wij werken samen met het zwaluwnest.',
    sectors: ['leisure'],
    languages: ['nl'],
    services: [],
    postcode: '1050',
    municipality: 'Elsene',
  },
} satisfies Record<string, NewOrganization>;

/** Lowercase, without accents: what a search compares. */
const plain = (value: string) => value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const searchableText = (o: Organization) =>
  plain(
    [o.name, o.nameNl, o.nameFr, o.description, o.descriptionNl, o.descriptionFr, ...o.services].join(' '),
  );

describe('the partner directory', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  // The generated directory (4,000 organisations) gives the searches volume and ties.
  await loadDemoDirectory(db);
  await insertOrganizations(db, Object.values(FIXTURES));
  const organization = await createOrganization(db);
  const leaUser = await createProfessional(db, { organization, secrecyBound: true });
  const lea = await signedInAs(app, leaUser);
  const ada = await signedInAs(app, await createAdmin(db, { organization }));
  const karim = await signedInAs(app, await createClientUser(db));

  const search = async (query: Record<string, string | number>, token = lea) => {
    const response = await injectAs(app, token, {
      method: 'GET',
      url: '/api/organizations',
      query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Page>();
  };
  const ids = (page: Page) => page.items.map((o) => o.id);

  /** Follows nextCursor to the end, checking that every page but the last is full. */
  const walk = async (query: Record<string, string | number>, limit: number) => {
    const all: Organization[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search({ ...query, limit, ...(cursor ? { cursor } : {}) });
      if (page.nextCursor) expect(page.items).toHaveLength(limit);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  };

  it('requires a session', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/organizations' })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: `/api/organizations/${FIXTURES.shelter.id}` })).statusCode,
    ).toBe(401);
  });

  it('is refused to clients (403): the directory is for professionals and admins', async () => {
    const list = await injectAs(app, karim, { method: 'GET', url: '/api/organizations?q=woning' });
    expect(list.statusCode).toBe(403);
    expect(list.headers['content-type']).toMatch(/application\/problem\+json/);
    const one = await injectAs(app, karim, {
      method: 'GET',
      url: `/api/organizations/${FIXTURES.shelter.id}`,
    });
    expect(one.statusCode).toBe(403);
  });

  it('holds the 4,000 generated organisations and the ones made here, for professionals and admins', async () => {
    const [{ n } = { n: 0 }] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from organizations`,
    );
    expect(n).toBe(4000 + Object.keys(FIXTURES).length + 1);
    expect((await search({ limit: 5 }, ada)).items).toHaveLength(5);
  });

  it('finds Dutch words by their stem: "woning" finds "woningen" and "woningen" finds "woning"', async () => {
    expect(ids(await search({ q: 'woning zwaluwnest' }))).toEqual(
      expect.arrayContaining([FIXTURES.woningen.id, FIXTURES.woning.id]),
    );
    expect(ids(await search({ q: 'woningen zwaluwnest' }))).toEqual(
      expect.arrayContaining([FIXTURES.woningen.id, FIXTURES.woning.id]),
    );
  });

  it('ignores accents and case: "sante", "santé" and "SANTÉ" find "santé"', async () => {
    const results = await Promise.all(
      ['sante quokka', 'santé quokka', 'SANTÉ QUOKKA', 'Santé'].map((q) => search({ q })),
    );
    for (const page of results.slice(0, 3)) expect(ids(page)).toEqual([FIXTURES.sante.id]);
    expect(ids(await search({ q: 'sante', postcode: '1090', limit: 100 }))).toContain(
      FIXTURES.mentalHealth.id,
    );
  });

  it('searches French text with French stemming, and words typed in part', async () => {
    // "soin" and "soins" share their stem; "kinés" starts "kinésithérapie".
    expect(ids(await search({ q: 'soin premiere quokka' }))).toEqual([FIXTURES.sante.id]);
    expect(ids(await search({ q: 'kinés quokka' }))).toEqual([FIXTURES.sante.id]);
    expect(ids(await search({ q: 'quok' }))).toEqual([FIXTURES.sante.id]);
    const logement = await search({ q: 'logement', limit: 100 });
    expect(logement.items.length).toBeGreaterThan(20);
    for (const o of logement.items) expect(searchableText(o)).toMatch(/logement/);
  });

  it('only returns organisations that contain every word, in either language', async () => {
    const page = await search({ q: 'woning', limit: 100 });
    expect(page.items.length).toBeGreaterThan(20);
    for (const o of page.items) expect(searchableText(o)).toMatch(/woning/);
    const both = await search({ q: 'schuldbemiddeling dettes', limit: 100 });
    expect(both.items.length).toBeGreaterThan(0);
    for (const o of both.items)
      expect(searchableText(o)).toMatch(/schuldbemiddeling[\s\S]*dettes|dettes[\s\S]*schuldbemiddeling/);
  });

  it('ranks a match in the name before a match in the description', async () => {
    const order = ids(await search({ q: 'zwaluwnest' }));
    expect(order).toHaveLength(3);
    expect(order.indexOf(FIXTURES.mention.id)).toBe(2);
  });

  it('answers a search of stop words only with nothing', async () => {
    expect((await search({ q: 'de het la' })).items).toEqual([]);
  });

  it('filters by sector, language, municipality (in Dutch or French) and postcode', async () => {
    const housing = await search({ sector: 'housing', limit: 100 });
    expect(housing.items.length).toBe(100);
    for (const o of housing.items) expect(o.sectors).toContain('housing');

    const arabic = await search({ language: 'ar', limit: 100 });
    expect(arabic.items.length).toBeGreaterThan(0);
    for (const o of arabic.items) expect(o.languages).toContain('ar');

    // Elsene and Ixelles are one municipality, stored in either language.
    const elsene = await walk({ municipality: 'elsene' }, 100);
    const ixelles = await walk({ municipality: 'Ixelles' }, 100);
    expect(ids({ items: elsene, nextCursor: null })).toEqual(ids({ items: ixelles, nextCursor: null }));
    expect(new Set(elsene.map((o) => o.municipality))).toEqual(new Set(['Elsene', 'Ixelles']));

    const postcode = await walk({ postcode: '1050' }, 100);
    expect(postcode.map((o) => o.id).sort()).toEqual(elsene.map((o) => o.id).sort());

    expect(ids(await search({ q: 'quokka', sector: 'housing' }))).toEqual([]);
    expect(
      ids(await search({ q: 'quokka', sector: 'general_health', language: 'ar', postcode: '1050' })),
    ).toEqual([FIXTURES.sante.id]);
    expect(ids(await search({ q: 'zwaluwnest', municipality: 'Molenbeek-Saint-Jean' }))).toEqual([
      FIXTURES.woningen.id,
    ]);
  });

  it('pages a ranked search without duplicates or gaps, in the order of the unpaged query', async () => {
    const ability = defineAbilityFor({
      id: leaUser.id,
      kind: 'professional',
      organizationId: null,
      secrecyBound: true,
    });
    // Generated descriptions are alike: many results share a rank, and pages cut through ties.
    const queries: Array<[Record<string, string>, number]> = [
      [{ q: 'woning' }, 7],
      [{ q: 'accueil', language: 'fr' }, 25],
      [{ q: 'brussel' }, 100],
    ];
    for (const [query, limit] of queries) {
      const unpaged = await searchOrganizations(db, ability, { ...query, limit: 10_000 });
      expect(unpaged.next).toBeNull();
      expect(unpaged.rows.length).toBeGreaterThan(3 * limit);
      const paged = await walk(query, limit);
      expect(paged.map((o) => o.id)).toEqual(unpaged.rows.map((o) => o.id));
      expect(new Set(paged.map((o) => o.id)).size).toBe(paged.length);
    }
  });

  it('pages the whole directory by name without duplicates or gaps', async () => {
    const [{ n } = { n: 0 }] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from organizations`,
    );
    const all = await walk({}, 100);
    expect(all).toHaveLength(n);
    expect(new Set(all.map((o) => o.id)).size).toBe(n);
    // By name without accents or case, then id: the order of the name index.
    const byName = await db.execute<{ id: string }>(
      sql`select id from organizations order by lower(liaison_unaccent(name)), id`,
    );
    expect(all.map((o) => o.id)).toEqual(byName.map((row) => row.id));
    const filtered = await walk({ sector: 'debt', municipality: 'Anderlecht' }, 3);
    const expected = await db.execute<{ id: string }>(
      sql`select id from organizations where 'debt' = any(sectors) and municipality = 'Anderlecht'
          order by lower(liaison_unaccent(name)), id`,
    );
    expect(filtered.map((o) => o.id)).toEqual(expected.map((row) => row.id));
  });

  it('refuses bad input with 400 problem+json', async () => {
    const nameCursor = (await search({ limit: 1 })).nextCursor!;
    const rankCursor = (await search({ q: 'woning', limit: 1 })).nextCursor!;
    const cases = [
      'limit=0',
      'limit=101',
      'limit=ten',
      'sector=space',
      'language=NL',
      'language=dutch',
      'postcode=105',
      'postcode=B-1050',
      `q=${'a'.repeat(201)}`,
      'q=',
      'cursor=not-a-cursor',
      `cursor=${Buffer.from('{"id":"x","key":"y"}').toString('base64url')}`,
      `q=woning&cursor=${nameCursor}`,
      `cursor=${rankCursor}`,
      'unknown=1',
    ];
    for (const query of cases) {
      const response = await injectAs(app, lea, { method: 'GET', url: `/api/organizations?${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('shows one organisation with its version as ETag, 404 when unknown', async () => {
    const response = await injectAs(app, lea, {
      method: 'GET',
      url: `/api/organizations/${FIXTURES.shelter.id}`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json()).toMatchObject({
      id: FIXTURES.shelter.id,
      name: 'Le Relais de la Nuit asbl',
      sectors: ['homelessness', 'general_welfare'],
      languages: ['fr'],
      postcode: '1040',
      municipality: 'Etterbeek',
      version: 1,
    });
    const unknown = await injectAs(app, lea, { method: 'GET', url: `/api/organizations/${randomUUID()}` });
    expect(unknown.statusCode).toBe(404);
    const bad = await injectAs(app, lea, { method: 'GET', url: '/api/organizations/not-a-uuid' });
    expect(bad.statusCode).toBe(400);
  });
});

describe("an organisation's admins edit its directory entry", async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db, { name: 'Begeleid Wonen Brussel vzw' });
  const otherOrganization = await createOrganization(db);
  const ada = await signedInAs(app, await createAdmin(db, { organization }));
  const lea = await signedInAs(app, await createProfessional(db, { organization }));
  const karim = await signedInAs(app, await createClientUser(db));
  const own = organization.id;
  const url = `/api/organizations/${own}`;
  const patch = (token: string, payload: unknown, ifMatch?: string, target = url) =>
    injectAs(app, token, {
      method: 'PATCH',
      url: target,
      payload: payload as Record<string, unknown>,
      headers: ifMatch ? { 'if-match': ifMatch } : {},
    });
  const stored = async (id = own) =>
    (
      await db.execute<{ version: number; description_fr: string; postcode: string }>(
        sql`select version, description_fr, postcode from organizations where id = ${id}`,
      )
    )[0]!;

  it('requires a session', async () => {
    expect((await app.inject({ method: 'PATCH', url, payload: { name: 'X' } })).statusCode).toBe(401);
  });

  it('changes names, descriptions, sectors, languages, services, address, contact and hours', async () => {
    const body = {
      nameFr: 'Logement accompagné Bruxelles asbl',
      descriptionFr: 'Accompagnement à domicile, aussi pour les ornithorynques.',
      sectors: ['disability', 'housing', 'mental_health', 'housing'],
      languages: ['nl', 'fr', 'en'],
      services: ['begeleid wonen', 'netwerkbegeleiding'],
      street: 'Ninoofsesteenweg 214',
      postcode: '1080',
      municipality: 'Sint-Jans-Molenbeek',
      email: 'onthaal@begeleidwonen-brussel.example',
      phone: '+32 2 555 01 11',
      website: 'https://www.begeleidwonen-brussel.example',
      openingHours: 'ma–vr 9:00–17:00',
      description: null,
    };
    const response = await patch(ada, body, '"1"');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.json()).toMatchObject({
      ...body,
      sectors: ['disability', 'housing', 'mental_health'],
      name: 'Begeleid Wonen Brussel vzw',
      version: 2,
    });
    // The search finds the entry by its new words at once.
    const found = await injectAs(app, lea, { method: 'GET', url: '/api/organizations?q=ornithorynque' });
    expect(found.json<Page>().items.map((o) => o.id)).toEqual([own]);
  });

  it('requires If-Match (428) and refuses a stale version (412), changing nothing', async () => {
    const before = await stored();
    const missing = await patch(ada, { postcode: '1000' });
    expect(missing.statusCode).toBe(428);
    const stale = await patch(ada, { postcode: '1000' }, '"1"');
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ type: 'urn:liaison:problem:stale-version' });
    expect(await stored()).toEqual(before);
  });

  it("refuses another organisation's admin, professionals and clients (403), changing nothing", async () => {
    const other = otherOrganization.id;
    const before = await stored(other);
    const otherOrg = await patch(ada, { postcode: '1000' }, '"1"', `/api/organizations/${other}`);
    expect(otherOrg.statusCode).toBe(403);
    expect(otherOrg.json()).toMatchObject({ type: 'urn:liaison:problem:forbidden' });
    expect((await patch(lea, { postcode: '1000' }, '"2"')).statusCode).toBe(403);
    expect((await patch(karim, { postcode: '1000' }, '"2"')).statusCode).toBe(403);
    expect(await stored(other)).toEqual(before);
    expect((await stored()).version).toBe(2);
  });

  it('answers 404 for an organisation that does not exist', async () => {
    expect(
      (await patch(ada, { postcode: '1000' }, '"1"', `/api/organizations/${randomUUID()}`)).statusCode,
    ).toBe(404);
  });

  it('refuses bad input with 400 and field errors, changing nothing', async () => {
    const before = await stored();
    const cases: unknown[] = [
      {},
      { postcode: 'ABC' },
      { postcode: '10500' },
      { sectors: ['space'] },
      { languages: ['Nederlands'] },
      { name: '' },
      { name: null },
      { name: 'x'.repeat(201) },
      { descriptionNl: 'x'.repeat(4001) },
      { services: Array.from({ length: 51 }, (_, i) => `dienst ${i}`) },
      { services: ['x'.repeat(101)] },
      { email: 'not-an-address' },
      { website: 'ftp://files.example' },
      { website: 'javascript:alert(1)' },
      { phone: 'call us' },
      { openingHours: 'x'.repeat(1001) },
      { version: 3 },
      { sourceId: 'x' },
      { unknown: true },
    ];
    for (const payload of cases) {
      const response = await patch(ada, payload, '"2"');
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(response.json()).toMatchObject({ type: 'urn:liaison:problem:validation' });
    }
    expect(await stored()).toEqual(before);
  });
});
