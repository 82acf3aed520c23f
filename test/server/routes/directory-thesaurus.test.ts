import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../../db/seed/demo.ts';
import type { Organization } from '../../../domain/schemas/organizations.ts';
import { createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp, injectAs } from '../../helpers/app.ts';
import { signedInAs } from '../../helpers/session.ts';

// The directory across languages (issue #15, item 4), on the demo directory: 4,000 generated
// organisations, described in Dutch, French or both, and the hand-written demo organisations.

type Page = { items: Organization[]; nextCursor: string | null };

/** The same need, asked in two languages (Dutch or English, then French). */
const PAIRS: Array<[string, string]> = [
  ['daklozen', 'sans-abri'],
  ['eenzaamheid', 'solitude'],
  ['huisvesting', 'logement'],
  ['psychiater', 'psychiatre'],
  ['schulden', 'dettes'],
  ['jobcoaching', "accompagnement à l'emploi"],
  ['schuldbemiddeling', 'médiation de dettes'],
  ['nachtopvang', 'asile de nuit'],
  ['straathoekwerk', 'travail de rue'],
  ['verslaving', 'assuétudes'],
  ['geestelijke gezondheid', 'santé mentale'],
  ['dagbesteding', 'activités de jour'],
  ['begeleid wonen', 'logement accompagné'],
  ['thuiszorg', 'aide à domicile'],
  ['mantelzorgers', 'aidants proches'],
  ['ouderen', 'personnes âgées'],
  ['jongeren', 'jeunes'],
  ['huiswerkbegeleiding', 'soutien scolaire'],
  ['opvoedingsondersteuning', 'soutien à la parentalité'],
  ['huisarts', 'médecin généraliste'],
  ['verpleging', 'soins infirmiers'],
  ['tandarts', 'soins dentaires'],
  ['kinesist', 'kiné'],
  ['sociaal verhuurkantoor', 'agence immobilière sociale'],
  ['woonzorgcentrum', 'maison de repos'],
  ['dementie', 'démence'],
  ['budgetbegeleiding', 'guidance budgétaire'],
  ['rechtshulp', 'aide juridique'],
  ['slachtofferhulp', 'aide aux victimes'],
  ['beroepsopleiding', 'formation professionnelle'],
  ['taalcursus', 'cours de langue'],
  ['vrije tijd', 'loisirs'],
  ['ontwenning', 'sevrage'],
  ['spuitenruil', 'échange de seringues'],
  ['crisisopvang', 'accueil de crise'],
  ['werkzoekenden', "demandeurs d'emploi"],
  ['jeugdhulp', 'aide à la jeunesse'],
  ['dubbele diagnose', 'double diagnostic'],
  ['beschutte werkplaats', 'entreprise de travail adapté'],
  ['homeless', 'sans-abri'],
  ['loneliness', 'isolement'],
  ['debt counselling', 'médiation de dettes'],
  ['housing', 'huisvesting'],
];

describe('the directory across languages', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_demo' });
  const lea = await signedInAs(
    app,
    await createProfessional(db, { organization: await createOrganization(db) }),
  );

  const search = async (q: string, limit = 10) => {
    const response = await injectAs(app, lea, {
      method: 'GET',
      url: '/api/organizations',
      query: { q, limit: String(limit) },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Page>().items;
  };
  const text = (o: Organization) =>
    [o.name, o.nameNl, o.nameFr, o.description, o.descriptionNl, o.descriptionFr, ...o.services].join(' ');

  it('finds, for the words that found nothing, organisations described in the other language', async () => {
    for (const [q, expected] of [
      ['daklozen', /sans.abri|dak- en thuislozen|nachtopvang/i],
      ['huisvesting', /logement|woning/i],
      ['eenzaamheid', /solitude|isolement|ontmoet|rencontrer/i],
      ['psychiater', /psychiatr/i],
    ] as const) {
      const found = await search(q);
      expect(found, q).toHaveLength(10);
      for (const o of found) expect(text(o), `${q}: ${o.name}`).toMatch(expected);
    }
  });

  it(`gives overlapping first tens for ${PAIRS.length} pairs of queries in two languages`, async () => {
    const overlaps: string[] = [];
    for (const [one, other] of PAIRS) {
      const first = new Set((await search(one)).map((o) => o.id));
      const second = (await search(other)).map((o) => o.id);
      expect(first.size, one).toBe(10);
      expect(second, other).toHaveLength(10);
      const shared = second.filter((id) => first.has(id)).length;
      overlaps.push(`${one} / ${other}: ${shared}`);
      expect(shared, `${one} / ${other}`).toBeGreaterThan(0);
    }
    expect(overlaps).toHaveLength(PAIRS.length);
  });

  it('finds psychiatric services for "psychiater"', async () => {
    const found = await search('psychiater');
    for (const o of found) expect(text(o), o.name).toMatch(/psychiatr/i);
    const ids = (await search('psychiater', 50)).map((o) => o.id);
    expect(ids).toContain(DEMO_IDS.orgMentalHealth);
    expect(ids).toContain(DEMO_IDS.orgClinic);
  });

  it('puts Atelier Horizon in the first five for "job coach", "jobcoaching" and "jobcoach"', async () => {
    for (const q of ['job coach', 'jobcoaching', 'jobcoach']) {
      const found = await search(q, 5);
      expect(
        found.map((o) => o.id),
        `${q}: ${found.map((o) => o.name).join(', ')}`,
      ).toContain(DEMO_IDS.orgWorkshop);
    }
  });

  it('ranks an organisation described with the words typed above one that only matches a translation', async () => {
    const found = await search('nachtopvang', 20);
    const literal = found.map((o) => /nachtopvang/i.test(text(o)));
    // Every literal match comes before the first translated one.
    expect(literal.indexOf(false) === -1 || !literal.slice(literal.indexOf(false)).includes(true)).toBe(true);
    expect(literal[0]).toBe(true);
  });

  it('keeps every word: a concept and a place narrow each other', async () => {
    const found = await search('daklozen Anderlecht', 50);
    expect(found.length).toBeGreaterThan(0);
    for (const o of found) {
      expect(text(o) + ' ' + (o.municipality ?? ''), o.name).toMatch(/anderlecht/i);
      expect(text(o), o.name).toMatch(
        /sans.abri|thuislozen|dakloz|nachtopvang|accueil de nuit|sans logement/i,
      );
    }
  });

  it('reads quotes and query syntax in the words as words', async () => {
    for (const q of ["l'emploi", "sans-abri' | !", 'logement:* & !x', "d'accueil <-> ("]) {
      const response = await injectAs(app, lea, { method: 'GET', url: '/api/organizations', query: { q } });
      expect(response.statusCode, q).toBe(200);
    }
  });
});
