import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CsvSyntaxError, parseCsvTable, type CsvTable } from './csv.ts';
import { DirectoryImportError } from './errors.ts';
import { AT, text, type HsdsRecord, type ImportedField, type ImportIssue } from './hsds.ts';

/** The HSDS resources the directory reads, with the columns each needs; the others are ignored. */
const RESOURCES = {
  organization: { file: 'organizations.csv', columns: [['id'], ['name']] },
  service: { file: 'services.csv', columns: [['organization_id'], ['name']] },
  location: { file: 'locations.csv', columns: [['id']] },
  service_at_location: { file: 'service_at_location.csv', columns: [['service_id'], ['location_id']] },
  address: { file: 'addresses.csv', columns: [['location_id']] },
  phone: { file: 'phones.csv', columns: [['number']] },
  language: { file: 'languages.csv', columns: [['code', 'name']] },
  schedule: { file: 'schedules.csv', columns: [] },
} as const satisfies Record<string, { file: string; columns: ReadonlyArray<readonly string[]> }>;

type Resource = keyof typeof RESOURCES;

/** Where each resource's CSV file is, from a datapackage.json or by the conventional names. */
async function locateResources(input: string): Promise<Partial<Record<Resource, string>>> {
  const info = await stat(input);
  if (info.isDirectory()) {
    const packagePath = path.join(input, 'datapackage.json');
    if (await exists(packagePath)) return locateFromPackage(packagePath);
    const files: Partial<Record<Resource, string>> = {};
    for (const [resource, { file }] of Object.entries(RESOURCES) as Array<[Resource, { file: string }]>) {
      const candidate = path.join(input, file);
      if (await exists(candidate)) files[resource] = candidate;
    }
    return files;
  }
  if (input.toLowerCase().endsWith('.csv')) return { organization: input };
  return locateFromPackage(input);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function locateFromPackage(packagePath: string): Promise<Partial<Record<Resource, string>>> {
  const name = path.basename(packagePath);
  let descriptor: unknown;
  try {
    descriptor = JSON.parse(await readFile(packagePath, 'utf8'));
  } catch (error) {
    throw new DirectoryImportError(`${name}: not valid JSON (${(error as Error).message})`);
  }
  const resources = (descriptor as { resources?: unknown }).resources;
  if (!Array.isArray(resources))
    throw new DirectoryImportError(`${name}: a datapackage lists its CSV files under "resources"`);
  const files: Partial<Record<Resource, string>> = {};
  for (const resource of resources as Array<{ name?: unknown; path?: unknown }>) {
    const key = resource.name;
    if (typeof key !== 'string' || !(key in RESOURCES)) continue;
    if (typeof resource.path !== 'string' || /^[a-z]+:\/\//i.test(resource.path))
      throw new DirectoryImportError(`${name}: resource "${key}" must name one local CSV file`);
    files[key as Resource] = path.resolve(path.dirname(packagePath), resource.path);
  }
  return files;
}

async function readTable(resource: Resource, file: string): Promise<CsvTable> {
  const name = path.basename(file);
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    throw new DirectoryImportError(`${name}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  let table: CsvTable;
  try {
    table = parseCsvTable(content);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new DirectoryImportError(`${name} ${error.message}`);
    throw error;
  }
  const missing = RESOURCES[resource].columns
    .filter((alternatives) => !alternatives.some((column) => table.columns.includes(column)))
    .map((alternatives) => alternatives.join(' or '));
  if (missing.length > 0)
    throw new DirectoryImportError(`${name}: missing required column(s): ${missing.join(', ')}`);
  return table;
}

/**
 * Reads an HSDS CSV datapackage (its datapackage.json, its folder, or a lone organizations.csv)
 * into nested organisations, with the fields the package carries (`provided`). Rows that cannot be read, or that point at records missing from the
 * package, are returned as skipped with their file and line. A missing file or column is fatal.
 */
export async function readHsdsCsv(input: string): Promise<{
  organizations: HsdsRecord[];
  read: number;
  skipped: ImportIssue[];
  provided: Set<ImportedField>;
}> {
  const files = await locateResources(input);
  if (!files.organization) throw new DirectoryImportError(`${path.basename(input)}: no organizations.csv`);
  const tables: Partial<Record<Resource, CsvTable>> = {};
  for (const [resource, file] of Object.entries(files) as Array<[Resource, string]>)
    tables[resource] = await readTable(resource, file);

  const skipped: ImportIssue[] = [];
  const fileOf = (resource: Resource) => path.basename(files[resource] ?? RESOURCES[resource].file);
  /** The rows of a resource that can be read, as records tagged with their position. */
  const rowsOf = (resource: Resource) =>
    (tables[resource]?.rows ?? []).flatMap((row) => {
      const at = { file: fileOf(resource), line: row.line };
      if (row.error) {
        skipped.push({ ...at, reason: row.error });
        return [];
      }
      return [{ ...row.values, [AT]: at } as HsdsRecord];
    });
  const list = (record: HsdsRecord, key: string) => (record[key] ??= []) as HsdsRecord[];
  const idOf = (record: HsdsRecord, column: string) => text(record[column]);
  /** Skips a row whose references all point nowhere (one with no reference at all is unused). */
  const unlinked = (record: HsdsRecord, columns: string[]) => {
    const given = columns.filter((column) => idOf(record, column));
    if (given.length === 0) return;
    const at = record[AT]!;
    const refs = given.map((column) => `${column} "${idOf(record, column)}"`).join(', ');
    skipped.push({ ...at, reason: `${refs}: not in this datapackage` });
  };

  const organizations: HsdsRecord[] = [];
  const organizationsById = new Map<string, HsdsRecord>();
  for (const record of rowsOf('organization')) {
    organizations.push(record);
    const id = idOf(record, 'id');
    if (id && !organizationsById.has(id)) organizationsById.set(id, record);
  }

  const servicesById = new Map<string, { service: HsdsRecord; organization: HsdsRecord }>();
  for (const service of rowsOf('service')) {
    const organizationId = idOf(service, 'organization_id');
    const organization = organizationId ? organizationsById.get(organizationId) : undefined;
    if (!organization) {
      skipped.push({
        ...service[AT]!,
        reason: organizationId
          ? `organization_id "${organizationId}" is not in ${fileOf('organization')}`
          : 'the service has no organization_id',
      });
      continue;
    }
    Object.assign(service, { languages: [], schedules: [], phones: [] });
    list(organization, 'services').push(service);
    const id = idOf(service, 'id');
    if (id) servicesById.set(id, { service, organization });
  }

  // A location belongs to the organisation that runs it and to those whose services are
  // delivered there (its operator may be outside this package).
  const locationsById = new Map<string, HsdsRecord>();
  const attachLocation = (organization: HsdsRecord, location: HsdsRecord) => {
    if (!list(organization, 'locations').includes(location)) list(organization, 'locations').push(location);
  };
  for (const location of rowsOf('location')) {
    Object.assign(location, { addresses: [], phones: [], languages: [], schedules: [] });
    const id = idOf(location, 'id');
    if (id) locationsById.set(id, location);
    const organization = organizationsById.get(idOf(location, 'organization_id') ?? '');
    if (organization) attachLocation(organization, location);
  }
  const serviceLocations = new Map<string, HsdsRecord>();
  for (const link of rowsOf('service_at_location')) {
    const serviceId = idOf(link, 'service_id') ?? '';
    const locationId = idOf(link, 'location_id') ?? '';
    const service = servicesById.get(serviceId);
    const location = locationsById.get(locationId);
    if (!service || !location) {
      skipped.push({
        ...link[AT]!,
        reason: !service
          ? `service_id "${serviceId}" is not in ${fileOf('service')}`
          : `location_id "${locationId}" is not in ${fileOf('location')}`,
      });
      continue;
    }
    attachLocation(service.organization, location);
    const id = idOf(link, 'id');
    if (id) serviceLocations.set(id, location);
  }

  for (const address of rowsOf('address')) {
    const location = locationsById.get(idOf(address, 'location_id') ?? '');
    if (location) list(location, 'addresses').push(address);
    else unlinked(address, ['location_id']);
  }

  const phonesById = new Map<string, HsdsRecord>();
  for (const phone of rowsOf('phone')) {
    Object.assign(phone, { languages: [] });
    const owner =
      organizationsById.get(idOf(phone, 'organization_id') ?? '') ??
      locationsById.get(idOf(phone, 'location_id') ?? '') ??
      servicesById.get(idOf(phone, 'service_id') ?? '')?.service ??
      serviceLocations.get(idOf(phone, 'service_at_location_id') ?? '');
    if (owner) list(owner, 'phones').push(phone);
    else unlinked(phone, ['organization_id', 'location_id', 'service_id', 'service_at_location_id']);
    const id = idOf(phone, 'id');
    if (id) phonesById.set(id, phone);
  }

  for (const language of rowsOf('language')) {
    const owner =
      servicesById.get(idOf(language, 'service_id') ?? '')?.service ??
      locationsById.get(idOf(language, 'location_id') ?? '') ??
      phonesById.get(idOf(language, 'phone_id') ?? '');
    if (owner) list(owner, 'languages').push(language);
    else unlinked(language, ['service_id', 'location_id', 'phone_id']);
  }

  for (const schedule of rowsOf('schedule')) {
    const owner =
      locationsById.get(idOf(schedule, 'location_id') ?? '') ??
      serviceLocations.get(idOf(schedule, 'service_at_location_id') ?? '') ??
      servicesById.get(idOf(schedule, 'service_id') ?? '')?.service;
    if (owner) list(owner, 'schedules').push(schedule);
    else unlinked(schedule, ['location_id', 'service_at_location_id', 'service_id']);
  }

  // A file the package does not have says nothing: those fields stay as they are.
  const organizationColumns = tables.organization?.columns ?? [];
  const provided = new Set<ImportedField>();
  if (organizationColumns.includes('description')) provided.add('description');
  if (organizationColumns.includes('email')) provided.add('email');
  if (organizationColumns.includes('website') || organizationColumns.includes('url')) provided.add('website');
  if (tables.service) provided.add('services');
  if (tables.phone) provided.add('phone');
  if (tables.language) provided.add('languages');
  if (tables.address)
    for (const field of ['street', 'postcode', 'municipality'] as const) provided.add(field);
  if (tables.schedule) provided.add('openingHours');
  return { organizations, read: tables.organization?.rows.length ?? 0, skipped, provided };
}
