import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoOrganizations, loadDemoDirectory } from '../../db/directory/demo-organizations.ts';
import { BRUSSELS_MUNICIPALITIES } from '../../domain/municipalities.ts';
import { SECTORS } from '../../domain/vocabularies.ts';
import { UpdateOrganizationSchema } from '../../domain/schemas/organizations.ts';
import { createTestDatabase } from '../helpers/database.ts';

describe('the generated demo directory', () => {
  const organizations = generateDemoOrganizations();

  it('is the same for the same seed, and another for another seed', () => {
    expect(generateDemoOrganizations()).toEqual(organizations);
    expect(generateDemoOrganizations({ seed: 7 })[0]?.id).not.toBe(organizations[0]?.id);
  });

  it('holds 4,000 organisations with unique ids, across the 19 municipalities and every sector', () => {
    expect(organizations).toHaveLength(4000);
    expect(new Set(organizations.map((o) => o.id)).size).toBe(4000);
    expect(BRUSSELS_MUNICIPALITIES).toHaveLength(19);
    const municipalities = new Set<string>();
    for (const o of organizations) {
      const municipality = BRUSSELS_MUNICIPALITIES.find(
        (m) => m.nl === o.municipality || m.fr === o.municipality,
      );
      expect(municipality, o.municipality ?? '').toBeDefined();
      expect(municipality?.postcodes).toContain(o.postcode);
      municipalities.add(municipality!.fr);
    }
    expect(municipalities.size).toBe(19);
    expect(new Set(organizations.flatMap((o) => o.sectors))).toEqual(new Set(SECTORS));
  });

  it('names and describes each organisation in Dutch and/or French, as the API would accept', () => {
    const speaks = (language: string) => organizations.filter((o) => o.languages?.includes(language));
    expect(speaks('nl').length).toBeGreaterThan(1000);
    expect(speaks('fr').length).toBeGreaterThan(1000);
    expect(
      organizations.filter((o) => o.languages?.includes('nl') && o.languages.includes('fr')).length,
    ).toBeGreaterThan(1000);
    for (const o of organizations) {
      expect(Boolean(o.nameNl && o.descriptionNl)).toBe(o.languages?.includes('nl'));
      expect(Boolean(o.nameFr && o.descriptionFr)).toBe(o.languages?.includes('fr'));
      const { id: _id, ...entry } = o;
      expect(UpdateOrganizationSchema.safeParse(entry).error).toBeUndefined();
    }
  });

  describe('loaded into an empty database', async () => {
    const connection = await createTestDatabase('liaison_empty');
    afterAll(() => connection.close());

    // How long this takes is measured by the benchmark (`npm run bench`, "demo directory load"):
    // a timed assertion here failed on a loaded machine without anything being wrong.
    it('is generated and inserted, and a second load writes nothing', async () => {
      expect(await loadDemoDirectory(connection.db)).toBe(4000);
      expect(await loadDemoDirectory(connection.db)).toBe(0);
      const [row] = await connection.db.execute<{ n: number; searchable: number }>(
        sql`select count(*)::int as n, count(search_vector)::int as searchable from organizations`,
      );
      expect(row).toEqual({ n: 4000, searchable: 4000 });
    });
  });
});
