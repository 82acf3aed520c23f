import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { DirectoryImportError, importDirectory } from '../../db/directory/import.ts';
import { createTestDatabase, databaseUrl } from '../helpers/database.ts';

const run = promisify(execFile);
const HSDS = '/work/shared/reference/hsds';
const EXAMPLE_ID = 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610';
const FIXTURES = fileURLToPath(new URL('../fixtures/hsds-bad', import.meta.url));

/** Every stored organisation, as text, to tell whether anything at all changed. */
async function snapshot(db: Database) {
  return db.execute(
    sql`select id, source_id, name, description, email, website, phone, services, languages, street,
          postcode, municipality, opening_hours, version, updated_at::text
        from organizations order by id`,
  );
}

async function findImported(db: Database, sourceId: string) {
  const [row] = await db.execute<Record<string, unknown>>(
    sql`select name, description, email, website, phone, services, languages, street, postcode,
          municipality, opening_hours, version from organizations where source_id = ${sourceId}`,
  );
  return row;
}

const EXAMPLE_ENTRY = {
  name: 'Example Organization Inc.',
  description:
    'Example Org is a non-profit organization dedicated to providing services to qualified beneficiaries',
  email: 'email@example.com',
  website: 'http://example.com',
  phone: '+44 1234 234567 ext. 100',
  services: ['Community Counselling'],
  languages: ['ur'],
  street: '1-30 Main Street, MyVillage',
  postcode: null,
  municipality: 'MyCity',
  opening_hours:
    'The service is available from 10 am to 6pm weekdays. The service is not available on public holidays.',
};

describe('importing the official HSDS 3.0 examples', async () => {
  const connection = await createTestDatabase('liaison_empty');
  const { db } = connection;
  afterAll(() => connection.close());

  it('imports the CSV datapackage as it is, mapping organisation, services, address, phone, language', async () => {
    const report = await importDirectory(db, `${HSDS}/csv/datapackage.json`);
    expect(report).toMatchObject({
      format: 'csv',
      read: 1,
      inserted: 1,
      updated: 0,
      unchanged: 0,
      skipped: [],
    });
    // The example's address is not Belgian: the entry is imported without its postcode.
    expect(report.warnings).toEqual([
      {
        file: 'addresses.csv',
        line: 2,
        reason: '"ABC 1234" is not a Belgian postcode (four digits): left out',
      },
    ]);
    expect(await findImported(db, EXAMPLE_ID)).toEqual({ ...EXAMPLE_ENTRY, version: 1 });
  });

  it('changes nothing on a second import, by file or by folder', async () => {
    const before = await snapshot(db);
    for (const input of [`${HSDS}/csv/datapackage.json`, `${HSDS}/csv`]) {
      const report = await importDirectory(db, input);
      expect(report).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    }
    expect(await snapshot(db)).toEqual(before);
  });

  it('reads the JSON form of the same organisation into the same entry: nothing changes', async () => {
    const before = await snapshot(db);
    const full = await importDirectory(db, `${HSDS}/json/organization_full.json`);
    expect(full).toMatchObject({ format: 'json', read: 1, inserted: 0, updated: 0, unchanged: 1 });
    expect(full.warnings).toEqual([
      expect.objectContaining({
        file: 'organization_full.json',
        line: 85,
        reason: expect.stringMatching(/ABC 1234/),
      }),
    ]);
    // A list page carries no services or locations: it leaves them as they are.
    const list = await importDirectory(db, `${HSDS}/json/organization_list.json`);
    expect(list).toMatchObject({ read: 1, inserted: 0, updated: 0, unchanged: 1, skipped: [] });
    expect(await snapshot(db)).toEqual(before);
  });

  it('imports the JSON form into an empty directory, and again changes nothing', async () => {
    const fresh = await createTestDatabase('liaison_empty');
    try {
      const first = await importDirectory(fresh.db, `${HSDS}/json/organization_full.json`);
      expect(first).toMatchObject({ inserted: 1, updated: 0 });
      expect(await findImported(fresh.db, EXAMPLE_ID)).toEqual({ ...EXAMPLE_ENTRY, version: 1 });
      const list = await importDirectory(fresh.db, `${HSDS}/json/organization_list.json`);
      expect(list).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    } finally {
      await fresh.close();
    }
  });

  it('updates an entry when the source changed, bumping its version, and keeps fields it does not carry', async () => {
    await db.execute(
      sql`update organizations set email = 'old@example.com', sectors = '{mental_health}', name_nl = 'Voorbeeld'
          where source_id = ${EXAMPLE_ID}`,
    );
    const report = await importDirectory(db, `${HSDS}/json/organization_list.json`);
    expect(report).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    const [row] = await db.execute<{ email: string; sectors: string[]; name_nl: string; version: number }>(
      sql`select email, sectors, name_nl, version from organizations where source_id = ${EXAMPLE_ID}`,
    );
    expect(row).toEqual({
      email: 'email@example.com',
      sectors: ['mental_health'],
      name_nl: 'Voorbeeld',
      version: 2,
    });
  });

  it('refuses a service record, which shows only part of an organisation', async () => {
    await expect(importDirectory(db, `${HSDS}/json/service_full.json`)).rejects.toThrow(/service record/);
  });
});

describe('importing bad HSDS files', async () => {
  const connection = await createTestDatabase('liaison_empty');
  const { db } = connection;
  afterAll(() => connection.close());

  it('reports each bad row with its file, line and reason, and imports the others', async () => {
    const report = await importDirectory(db, `${FIXTURES}/rows`);
    expect(report).toMatchObject({ format: 'csv', read: 8, inserted: 3, updated: 0, unchanged: 0 });
    expect(report.skipped).toEqual([
      { file: 'addresses.csv', line: 3, reason: 'location_id "l9": not in this datapackage' },
      { file: 'organizations.csv', line: 3, reason: 'organization bad-2 has no name' },
      { file: 'organizations.csv', line: 4, reason: 'has 2 fields, the header has 6' },
      { file: 'organizations.csv', line: 7, reason: 'id "bad-1" was already read on line 2' },
      { file: 'organizations.csv', line: 8, reason: 'column 2: text after the closing quote' },
      { file: 'organizations.csv', line: 9, reason: 'the organization has no id' },
      { file: 'services.csv', line: 3, reason: 'organization_id "nobody" is not in organizations.csv' },
    ]);
    expect(report.warnings).toEqual([
      {
        file: 'addresses.csv',
        line: 2,
        reason: '"B-1000" is not a Belgian postcode (four digits): left out',
      },
      { file: 'organizations.csv', line: 10, reason: '"pas-un-email" is not an e-mail address: left out' },
    ]);
    const rows = await db.execute<{
      source_id: string;
      name: string;
      description: string | null;
      services: string[];
    }>(sql`select source_id, name, description, services from organizations order by source_id`);
    expect(rows).toEqual([
      {
        source_id: 'bad-1',
        name: 'Maison Ornithorynque',
        description: 'Une asbl de test pour les imports.',
        services: ['Accueil de jour'],
      },
      {
        source_id: 'bad-4',
        name: 'Centre Multiligne',
        description: 'Une description\r\nsur deux lignes, avec "guillemets".',
        services: ['Écoute'],
      },
      { source_id: 'bad-6', name: 'Adresse Bizarre', description: null, services: [] },
    ]);
    const again = await importDirectory(db, `${FIXTURES}/rows`);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
  });

  it('reports bad records of a JSON list with the line they start on', async () => {
    const report = await importDirectory(db, `${FIXTURES}/list-with-bad-rows.json`);
    expect(report).toMatchObject({ format: 'json', read: 3, inserted: 2 });
    expect(report.skipped).toEqual([
      { file: 'list-with-bad-rows.json', line: 10, reason: 'organization json-2 has no name' },
    ]);
    expect(report.warnings).toEqual([
      {
        file: 'list-with-bad-rows.json',
        line: 14,
        reason: '"not a web address" is not a web address: left out',
      },
    ]);
  });

  describe('a fatal error imports nothing', async () => {
    const temp = await mkdtemp(path.join(tmpdir(), 'liaison-hsds-'));
    await writeFile(path.join(temp, 'malformed.json'), '{"id": "broken", "name": "Never finished",\n');
    await writeFile(path.join(temp, 'empty.json'), '"just a string"');

    it.each([
      ['an unreadable file', path.join(temp, 'does-not-exist.json'), /cannot be read \(ENOENT\)/],
      ['malformed JSON', path.join(temp, 'malformed.json'), /malformed\.json: not valid JSON/],
      ['JSON of another kind', path.join(temp, 'empty.json'), /expected an HSDS organization/],
      [
        'a missing required column',
        `${FIXTURES}/missing-column`,
        /organizations\.csv: missing required column\(s\): name/,
      ],
      [
        'a quoted field never closed',
        `${FIXTURES}/unterminated`,
        /organizations\.csv line 3: a quoted field is never closed/,
      ],
      [
        'a file the datapackage names but lacks',
        `${FIXTURES}/missing-file/datapackage.json`,
        /services\.csv: cannot be read/,
      ],
      [
        'a missing column in a later file',
        `${FIXTURES}/late-fatal`,
        /services\.csv: missing required column\(s\): organization_id/,
      ],
      ['a folder without organizations.csv', temp, /no organizations\.csv/],
    ])('%s', async (_name, input, message) => {
      const before = await snapshot(db);
      await expect(importDirectory(db, input)).rejects.toThrow(DirectoryImportError);
      await expect(importDirectory(db, input)).rejects.toThrow(message);
      expect(await snapshot(db)).toEqual(before);
    });

    it('rolls back every row already written when the database refuses a later one', async () => {
      await db.execute(sql`
        create function refuse_boom() returns trigger language plpgsql as $$
        begin
          if new.name = 'Boom' then raise exception 'no Boom in this directory'; end if;
          return new;
        end $$`);
      await db.execute(
        sql`create trigger refuse_boom before insert on organizations for each row execute function refuse_boom()`,
      );
      const before = await snapshot(db);
      // Three rows carrying different fields: three statements, the last one refused.
      await expect(importDirectory(db, `${FIXTURES}/atomic.json`)).rejects.toThrow(
        /the database refused the import \(no Boom in this directory\)/,
      );
      expect(await snapshot(db)).toEqual(before);
      await db.execute(sql`drop trigger refuse_boom on organizations`);
    });
  });
});

describe('npm run directory:import', async () => {
  const connection = await createTestDatabase('liaison_empty');
  afterAll(() => connection.close());
  const name = (await connection.db.execute<{ n: string }>(sql`select current_database() as n`))[0]!.n;
  const cli = (input: string) =>
    run('node', ['--import', 'tsx', 'db/directory-import-cli.ts', input], {
      env: { ...process.env, DATABASE_URL: databaseUrl(name) },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('imports, reports "0 changed" the second time, and exits 1 on a fatal error', async () => {
    const first = await cli(`${HSDS}/csv/datapackage.json`);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/1 organisation\(s\) read; 1 changed \(1 new, 0 updated\), 0 unchanged/);
    expect(first.stdout).toMatch(/warning addresses\.csv line 2: "ABC 1234"/);
    const second = await cli(`${HSDS}/csv`);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/0 changed \(0 new, 0 updated\), 1 unchanged/);
    const fatal = await cli(`${FIXTURES}/missing-column`);
    expect(fatal.code).toBe(1);
    expect(fatal.stderr).toMatch(
      /Nothing was imported: organizations\.csv: missing required column\(s\): name/,
    );
  });
});
