import {
  DescriptionSchema,
  EmailSchema,
  LanguageCodeSchema,
  ORGANIZATION_LIMITS as LIMITS,
  PhoneSchema,
  PostcodeSchema,
  WebsiteSchema,
} from '../../domain/organization-fields.ts';

/**
 * Open Referral HSDS 3.0 organisations, read from either of its forms (CSV datapackage or JSON),
 * as one nested shape (the JSON `organization_full` shape), and mapped onto directory entries.
 */

/** Where a record was read: a file and the line it starts on. */
export interface Position {
  file: string;
  line: number;
}

/** A reported problem: a row left out (skipped) or a field left out (warning). */
export interface ImportIssue extends Position {
  reason: string;
}

/** A record of the source with its position, tagged under a symbol so it never mixes with data. */
export type HsdsRecord = Record<string, unknown> & { [AT]?: Position };
export const AT: unique symbol = Symbol('position');

/**
 * The directory fields an import sets; every other field (NL/FR texts, sectors) stays as it is.
 * A field the source does not carry at all is `undefined` and stays as stored too: a page of
 * `organization_list.json` has no services or locations, which does not mean there are none.
 */
export interface ImportedOrganization {
  sourceId: string;
  name: string;
  description?: string | null;
  email?: string | null;
  website?: string | null;
  phone?: string | null;
  services?: string[];
  languages?: string[];
  street?: string | null;
  postcode?: string | null;
  municipality?: string | null;
  openingHours?: string | null;
}

/** An imported field other than the id and the name, which every source carries. */
export type ImportedField = Exclude<keyof ImportedOrganization, 'sourceId' | 'name'>;

/** Common language names in HSDS data without a code, to ISO 639-1 codes. */
const LANGUAGE_NAMES: Record<string, string> = {
  dutch: 'nl',
  nederlands: 'nl',
  néerlandais: 'nl',
  flemish: 'nl',
  french: 'fr',
  français: 'fr',
  frans: 'fr',
  english: 'en',
  engels: 'en',
  anglais: 'en',
  german: 'de',
  deutsch: 'de',
  duits: 'de',
  allemand: 'de',
  arabic: 'ar',
  arabe: 'ar',
  arabisch: 'ar',
  turkish: 'tr',
  turc: 'tr',
  turks: 'tr',
  spanish: 'es',
  espagnol: 'es',
  spaans: 'es',
  portuguese: 'pt',
  portugais: 'pt',
  portugees: 'pt',
  polish: 'pl',
  polonais: 'pl',
  pools: 'pl',
  romanian: 'ro',
  roumain: 'ro',
  roemeens: 'ro',
  italian: 'it',
  italien: 'it',
  italiaans: 'it',
};

/** A field's text: strings trimmed, numbers written out, anything else (or empty) is null. */
export function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  // PostgreSQL text cannot hold NUL characters.
  const trimmed = value.replaceAll('\u0000', '').trim();
  return trimmed === '' ? null : trimmed;
}

/** The records of a nested list (missing or malformed lists are empty). */
export function records(value: unknown): HsdsRecord[] {
  return Array.isArray(value)
    ? value.filter((item): item is HsdsRecord => typeof item === 'object' && item !== null)
    : [];
}

export function positionOf(record: HsdsRecord, fallback: Position): Position {
  return record[AT] ?? fallback;
}

/** Cuts a long text at a word boundary, marking the cut. */
function shorten(value: string, max: number): string {
  const cut = value.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** Phone numbers as HSDS examples write them, sometimes with stray quotes: `"+44 1234 234567"`. */
function cleanPhone(phone: HsdsRecord): string | null {
  const number = text(phone.number)
    ?.replace(/^["']+|["']+$/g, '')
    .trim();
  if (!number) return null;
  const extension = text(phone.extension);
  return extension ? `${number} ext. ${extension}` : number;
}

function languageCode(language: HsdsRecord): string | null {
  const code = text(language.code)?.toLowerCase();
  if (code && LanguageCodeSchema.safeParse(code).success) return code;
  const name = text(language.name)?.toLowerCase();
  return (name && LANGUAGE_NAMES[name]) ?? null;
}

/** Opening hours as one line: the schedule's own description, else its days and hours. */
function openingHoursOf(schedule: HsdsRecord): string | null {
  const description = text(schedule.description);
  if (description) return description;
  const opens = text(schedule.opens_at);
  const closes = text(schedule.closes_at);
  const hours = opens && closes ? `${opens.slice(0, 5)}–${closes.slice(0, 5)}` : null;
  return [text(schedule.byday), hours].filter(Boolean).join(' ') || null;
}

/**
 * Maps one HSDS organisation (nested like `organization_full.json`) onto a directory entry,
 * with the fields the source carries (`provided`, else the record's own keys).
 * A missing id or name, or an over-long one, leaves the row out (`skip`); a field that does not
 * fit the directory (a postcode that is not Belgian, an e-mail address that is not one) is left
 * out with a warning, and the row is imported.
 */
export function mapOrganization(
  organization: HsdsRecord,
  at: Position,
  provided?: ReadonlySet<ImportedField>,
): { row: ImportedOrganization; warnings: ImportIssue[] } | { skip: ImportIssue } {
  const warnings: ImportIssue[] = [];
  const warn = (reason: string, where: Position = at) => warnings.push({ ...where, reason });

  const sourceId = text(organization.id);
  if (!sourceId) return { skip: { ...at, reason: 'the organization has no id' } };
  if (sourceId.length > 200) return { skip: { ...at, reason: 'the id is longer than 200 characters' } };
  const name = text(organization.name);
  if (!name) return { skip: { ...at, reason: `organization ${sourceId} has no name` } };
  if (name.length > LIMITS.name)
    return { skip: { ...at, reason: `the name is longer than ${LIMITS.name} characters` } };

  let description = text(organization.description);
  if (description && !DescriptionSchema.safeParse(description).success) {
    warn(`the description is longer than ${LIMITS.description} characters: it was shortened`);
    description = shorten(description, LIMITS.description);
  }

  let email = text(organization.email);
  if (email && !EmailSchema.safeParse(email).success) {
    warn(`"${email}" is not an e-mail address: left out`);
    email = null;
  }

  let website = text(organization.website) ?? text(organization.url);
  if (website && !WebsiteSchema.safeParse(website).success) {
    const withScheme = `https://${website}`;
    if (!/^[a-z]+:/i.test(website) && WebsiteSchema.safeParse(withScheme).success) website = withScheme;
    else {
      warn(`"${website}" is not a web address: left out`);
      website = null;
    }
  }

  const services = records(organization.services);
  const locations = records(organization.locations);
  const contacts = records(organization.contacts);

  // The organisation's own phone first, then those of its locations, services and contacts.
  let phone: string | null = null;
  const phones = [
    ...records(organization.phones),
    ...locations.flatMap((location) => records(location.phones)),
    ...services.flatMap((service) => records(service.phones)),
    ...contacts.flatMap((contact) => records(contact.phones)),
  ];
  for (const candidate of phones) {
    const number = cleanPhone(candidate);
    if (!number) continue;
    if (PhoneSchema.safeParse(number).success) {
      phone = number;
      break;
    }
    warn(`"${number}" is not a phone number: left out`, positionOf(candidate, at));
  }

  const serviceNames: string[] = [];
  const seenServices = new Set<string>();
  for (const service of services) {
    const serviceName = text(service.name);
    if (!serviceName || seenServices.has(serviceName.toLowerCase())) continue;
    if (serviceName.length > LIMITS.service) {
      warn(
        `the service name "${shorten(serviceName, 40)}" is longer than ${LIMITS.service} characters: left out`,
        positionOf(service, at),
      );
      continue;
    }
    if (serviceNames.length === LIMITS.services) {
      warn(`more than ${LIMITS.services} services: the rest were left out`, positionOf(service, at));
      break;
    }
    seenServices.add(serviceName.toLowerCase());
    serviceNames.push(serviceName);
  }

  const languages = new Set<string>();
  const languageRecords = [
    ...records(organization.languages),
    ...services.flatMap((service) => records(service.languages)),
    ...locations.flatMap((location) => records(location.languages)),
    ...phones.flatMap((p) => records(p.languages)),
  ];
  for (const language of languageRecords) {
    const code = languageCode(language);
    if (code) languages.add(code);
    else
      warn(
        `the language "${text(language.code) ?? text(language.name) ?? ''}" is neither an ISO 639 code nor a known language name: left out`,
        positionOf(language, at),
      );
  }
  if (languages.size > LIMITS.languages)
    warn(`more than ${LIMITS.languages} languages: the rest were left out`);

  // The address of a physical location, preferring a physical (visiting) address.
  const located = [...locations].sort(
    (a, b) => Number(text(b.location_type) === 'physical') - Number(text(a.location_type) === 'physical'),
  );
  const addresses = located.flatMap((location) => records(location.addresses));
  const address =
    addresses.find((candidate) => text(candidate.address_type) === 'physical') ?? addresses[0] ?? null;
  let street: string | null = null;
  let postcode: string | null = null;
  let municipality: string | null = null;
  if (address) {
    const where = positionOf(address, at);
    street = [text(address.address_1), text(address.address_2)].filter(Boolean).join(', ') || null;
    if (street && street.length > LIMITS.street) {
      warn(`the street is longer than ${LIMITS.street} characters: left out`, where);
      street = null;
    }
    postcode = text(address.postal_code);
    if (postcode && !PostcodeSchema.safeParse(postcode).success) {
      warn(`"${postcode}" is not a Belgian postcode (four digits): left out`, where);
      postcode = null;
    }
    municipality = text(address.city);
    if (municipality && municipality.length > LIMITS.municipality) {
      warn(`the city is longer than ${LIMITS.municipality} characters: left out`, where);
      municipality = null;
    }
  }

  const schedules = [
    ...records(organization.schedules),
    ...located.flatMap((location) => records(location.schedules)),
    ...services.flatMap((service) => records(service.schedules)),
  ];
  let openingHours: string | null = null;
  for (const schedule of schedules) {
    openingHours = openingHoursOf(schedule);
    if (openingHours) break;
  }
  if (openingHours && openingHours.length > LIMITS.openingHours) {
    warn(`the opening hours are longer than ${LIMITS.openingHours} characters: they were shortened`);
    openingHours = shorten(openingHours, LIMITS.openingHours);
  }

  // What the source carries: a CSV package says it by its files and columns, JSON by its keys.
  const carries = (field: ImportedField, ...keys: string[]) =>
    provided ? provided.has(field) : keys.some((key) => key in organization);
  const carriesList = (field: ImportedField, ...keys: string[]) =>
    provided ? provided.has(field) : keys.some((key) => Array.isArray(organization[key]));
  const row: ImportedOrganization = { sourceId, name };
  if (carries('description', 'description')) row.description = description;
  if (carries('email', 'email')) row.email = email;
  if (carries('website', 'website', 'url')) row.website = website;
  if (carriesList('phone', 'phones', 'locations', 'services', 'contacts')) row.phone = phone;
  if (carriesList('services', 'services')) row.services = serviceNames;
  if (carriesList('languages', 'languages', 'services', 'locations', 'phones'))
    row.languages = [...languages].slice(0, LIMITS.languages);
  if (carriesList('street', 'locations')) Object.assign(row, { street, postcode, municipality });
  if (carriesList('openingHours', 'schedules', 'locations', 'services')) row.openingHours = openingHours;
  return { row, warnings };
}
