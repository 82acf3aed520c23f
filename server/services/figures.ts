import { asSystem } from '../../db/scope.ts';
import { countFigures, organizationExists, type RawFigures } from '../../db/queries/figures.ts';
import {
  FIGURE_RANGE_MAX_YEARS,
  LANGUAGE_UNKNOWN,
  PHASE_UNKNOWN,
  SMALL_COUNT_LIMIT,
  type Figure,
  type FigureCell,
  type FigureKey,
  type FigurePeriod,
  type Figures,
  type FiguresQuery,
} from '../../domain/schemas/figures.ts';
import { CLOSURE_REASONS, LIFE_DOMAINS, PHASES, type Locale } from '../../domain/vocabularies.ts';
import { asSubject } from '../../policies/index.ts';
import { BadRequest, Forbidden, NotFound } from '../errors.ts';
import type { UserContext } from './context.ts';

// An organisation's anonymous registration figures for its admins: counted in SQL
// (db/queries/figures.ts), then every small count is suppressed here, in one place, before the
// figures leave the server as JSON or CSV.

export interface FigureRange {
  period: FigurePeriod;
  from: string;
  to: string;
}

/** Today's calendar date in Brussels (`YYYY-MM-DD`). */
export function todayInBrussels(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(now);
}

function parts(iso: string): [number, number, number] {
  const [y = 0, m = 1, d = 1] = iso.split('-').map(Number);
  return [y, m, d];
}

function isoOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A calendar date `years` earlier or later (29 February becomes 1 March in other years). */
function shiftYears(iso: string, years: number): string {
  const [y, m, d] = parts(iso);
  return isoOf(new Date(Date.UTC(y + years, m - 1, d)));
}

/**
 * The range asked for, with its defaults: `to` today in Brussels, `from` the first day of the
 * month eleven months earlier (twelve calendar months). A `from` after `to`, or a range of more
 * than ten years, is a 400.
 */
export function resolveFigureRange(query: FiguresQuery, now: Date): FigureRange {
  const to = query.to ?? todayInBrussels(now);
  const [y, m] = parts(to);
  const from = query.from ?? isoOf(new Date(Date.UTC(y, m - 1 - 11, 1)));
  if (from > to) throw new BadRequest(`The range starts (${from}) after it ends (${to}).`);
  if (from <= shiftYears(to, -FIGURE_RANGE_MAX_YEARS))
    throw new BadRequest(`Ask for at most ${FIGURE_RANGE_MAX_YEARS} years at a time.`);
  return { period: query.period, from, to };
}

/** The key of the period a calendar date falls in, as the query names it (`2026-03`, `2026-Q1`, `2026`). */
export function bucketOf(period: FigurePeriod, iso: string): string {
  const [y, m] = parts(iso);
  switch (period) {
    case 'month':
      return `${y}-${String(m).padStart(2, '0')}`;
    case 'quarter':
      return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
    case 'year':
      return String(y);
  }
}

/** Every period of the range, the first and last possibly partial, in order. */
export function bucketsOf({ period, from, to }: FigureRange): string[] {
  const step = { month: 1, quarter: 3, year: 12 }[period];
  const [y, m] = parts(from);
  const last = bucketOf(period, to);
  const keys: string[] = [];
  for (let month = Math.floor((m - 1) / step) * step; ; month += step) {
    const key = bucketOf(period, isoOf(new Date(Date.UTC(y, month, 1))));
    keys.push(key);
    if (key === last) return keys;
  }
}

/** A count as it may be published: 0 and 5 or more as they are, 1 to 4 suppressed. */
export function suppressCount(count: number): FigureCell {
  return count > 0 && count < SMALL_COUNT_LIMIT ? { suppressed: true, reason: 'small' } : count;
}

/** Whether a published cell hides a count. */
export function isSuppressed(cell: FigureCell): cell is Exclude<FigureCell, number> {
  return typeof cell !== 'number';
}

interface Table {
  buckets: string[];
  categories: readonly string[];
  counts: Map<string, number>;
}

function tableOf(raw: RawFigures, figure: string, buckets: string[], fixed: readonly string[] = []): Table {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  for (const row of raw.counts)
    if (row.figure === figure) {
      counts.set(`${row.category}\u0000${row.bucket}`, row.count);
      seen.add(row.category);
    }
  const extra = [...seen].filter((category) => !fixed.includes(category)).sort();
  return { buckets, categories: [...fixed, ...extra], counts };
}

function publish(key: FigureKey, table: Table): Figure {
  return {
    key,
    buckets: table.buckets,
    rows: table.categories.map((category) => ({
      category,
      values: table.buckets.map((bucket) =>
        suppressCount(table.counts.get(`${category}\u0000${bucket}`) ?? 0),
      ),
    })),
  };
}

/**
 * The published figures of a range: small counts suppressed, and no count that a suppressed one
 * can be worked out from. No figure publishes a total of its own rows. One pair of figures sums up
 * all the same: every plan registered in a period has one client with one language (or
 * `unknown`), so registrations are the total of the languages of the same period. A period
 * where a language is suppressed therefore hides its registrations too (`complement`): else a
 * single suppressed language would be the registrations minus the others. (Comparing
 * overlapping ranges can still narrow a suppressed count down; the figures are for the
 * organisation's own admin, who reads no plan, and the CSV carries the same protection.)
 */
export function publishFigures(raw: RawFigures, range: FigureRange): Figure[] {
  const buckets = bucketsOf(range);
  const registrations = publish('registrations', tableOf(raw, 'registrations', buckets, ['registered']));
  const languages = publish('languages', tableOf(raw, 'languages', buckets));
  const [registered] = registrations.rows;
  if (registered)
    registered.values = registered.values.map((cell, index) =>
      languages.rows.some((row) => isSuppressed(row.values[index] ?? 0)) && !isSuppressed(cell)
        ? cell === 0
          ? cell
          : { suppressed: true, reason: 'complement' }
        : cell,
    );
  const { plans, averageDays } = raw.closed;
  return [
    registrations,
    publish('phases', tableOf(raw, 'phases', [range.to], [...PHASES, PHASE_UNKNOWN])),
    publish('goalsByLifeDomain', tableOf(raw, 'goalsByLifeDomain', buckets, LIFE_DOMAINS)),
    languages,
    publish('consents', tableOf(raw, 'consents', buckets, ['given', 'withdrawn'])),
    publish('meetings', tableOf(raw, 'meetings', buckets, ['held'])),
    // By the kind of reason, never a total: a total beside the kinds would give a small one away.
    publish('closures', tableOf(raw, 'closures', buckets, CLOSURE_REASONS)),
    {
      key: 'averageDuration',
      buckets: [`${range.from}/${range.to}`],
      // An average of fewer than five plans could be one client's: suppressed like a small count.
      rows:
        plans === 0 || averageDays === null
          ? []
          : [
              {
                category: 'days',
                values: [plans < SMALL_COUNT_LIMIT ? { suppressed: true, reason: 'small' } : averageDays],
              },
            ],
    },
  ];
}

/**
 * An organisation's figures for one of its admins. Organisations are public in the directory,
 * so another organisation's admin, or a professional, is refused with 403 (a 404 would hide
 * nothing); an organisation that does not exist is a 404.
 */
export async function readFigures(
  ctx: UserContext,
  organizationId: string,
  query: FiguresQuery,
  now = new Date(),
): Promise<Figures> {
  const range = resolveFigureRange(query, now);
  if (!(await organizationExists(ctx.db, organizationId)))
    throw new NotFound('This organisation is not in the directory.');
  if (!ctx.ability.can('read', asSubject('OrganizationFigures', { organizationId })))
    throw new Forbidden("Only the organisation's own admins see its figures.");
  // Counts over every plan of the organisation, for an admin who reads none of them: the one read
  // of plan rows for nobody in particular, and only counts leave it.
  const raw = await asSystem(() => countFigures(ctx.db, { organizationId, ...range }));
  return { organizationId, ...range, figures: publishFigures(raw, range) };
}

// ---------------------------------------------------------------- CSV

type Texts = {
  header: [string, string, string, string];
  small: string;
  complement: string;
  figures: Record<FigureKey, string>;
  categories: Record<string, string>;
};

const CSV_TEXTS: Record<Locale, Texts> = {
  nl: {
    header: ['Cijfer', 'Categorie', 'Periode', 'Aantal'],
    small: '< 5',
    complement: 'verborgen',
    figures: {
      registrations: 'Nieuwe inschrijvingen',
      phases: 'Plannen per fase (op de einddatum)',
      goalsByLifeDomain: 'Doelen per levensdomein',
      languages: 'Taal van de cliënten',
      consents: 'Toestemmingen',
      meetings: 'Overleggen',
      closures: 'Afsluitingen per reden',
      averageDuration: 'Gemiddelde duur (dagen)',
    },
    categories: {
      registered: 'aangemeld',
      given: 'gegeven',
      withdrawn: 'ingetrokken',
      held: 'gehouden',
      closed: 'afgesloten',
      days: 'dagen',
      unknown: 'onbekend',
      goals_reached: 'Doelen bereikt',
      client_choice: 'Keuze van de cliënt',
      referred: 'Doorverwezen naar een andere dienst',
      moved: 'Verhuisd',
      no_contact: 'Geen contact meer',
      deceased: 'Overleden',
      other: 'Andere reden',
      registration: 'Inschrijving',
      request: 'Vraagverduidelijking',
      goals: 'Doelen',
      approach: 'Plan van aanpak',
      active: 'Partners en overleg',
      evaluation: 'Evaluatie',
      housing: 'Wonen',
      work_day_activity: 'Werk en dagbesteding',
      health: 'Gezondheid',
      relations: 'Relaties en eenzaamheid',
      money: 'Geld',
      leisure: 'Vrije tijd',
      learning: 'Leren',
      daily_living: 'Dagelijks leven',
      safety_justice: 'Veiligheid en justitie',
    },
  },
  fr: {
    header: ['Chiffre', 'Catégorie', 'Période', 'Nombre'],
    small: '< 5',
    complement: 'masqué',
    figures: {
      registrations: 'Nouvelles inscriptions',
      phases: 'Plans par phase (à la date de fin)',
      goalsByLifeDomain: 'Objectifs par domaine de vie',
      languages: 'Langue des clients',
      consents: 'Consentements',
      meetings: 'Concertations',
      closures: 'Clôtures par raison',
      averageDuration: 'Durée moyenne (jours)',
    },
    categories: {
      registered: 'inscrits',
      given: 'donnés',
      withdrawn: 'retirés',
      held: 'tenues',
      closed: 'clôturés',
      days: 'jours',
      unknown: 'inconnu',
      goals_reached: 'Objectifs atteints',
      client_choice: 'Choix du client',
      referred: 'Orienté vers un autre service',
      moved: 'Déménagement',
      no_contact: 'Plus de contact',
      deceased: 'Décès',
      other: 'Autre raison',
      registration: 'Inscription',
      request: 'Clarification de la demande',
      goals: 'Objectifs',
      approach: 'Plan d’action',
      active: 'Partenaires et concertations',
      evaluation: 'Évaluation',
      housing: 'Logement',
      work_day_activity: 'Travail et activité de jour',
      health: 'Santé',
      relations: 'Relations et solitude',
      money: 'Argent',
      leisure: 'Loisirs',
      learning: 'Apprentissage',
      daily_living: 'Vie quotidienne',
      safety_justice: 'Sécurité et justice',
    },
  },
  en: {
    header: ['Figure', 'Category', 'Period', 'Count'],
    small: '< 5',
    complement: 'hidden',
    figures: {
      registrations: 'New registrations',
      phases: 'Plans by phase (on the end date)',
      goalsByLifeDomain: 'Goals by life domain',
      languages: "Clients' languages",
      consents: 'Consents',
      meetings: 'Consultations',
      closures: 'Closures by reason',
      averageDuration: 'Average duration (days)',
    },
    categories: {
      registered: 'registered',
      given: 'given',
      withdrawn: 'withdrawn',
      held: 'held',
      closed: 'closed',
      days: 'days',
      unknown: 'unknown',
      goals_reached: 'Goals reached',
      client_choice: "The client's choice",
      referred: 'Referred to another service',
      moved: 'Moved away',
      no_contact: 'No more contact',
      deceased: 'Deceased',
      other: 'Another reason',
      registration: 'Registration',
      request: 'Clarifying the request',
      goals: 'Goals',
      approach: 'Plan of approach',
      active: 'Partners and consultations',
      evaluation: 'Evaluation',
      housing: 'Housing',
      work_day_activity: 'Work and day activity',
      health: 'Health',
      relations: 'Relations and loneliness',
      money: 'Money',
      leisure: 'Leisure',
      learning: 'Learning',
      daily_living: 'Daily living',
      safety_justice: 'Safety and justice',
    },
  },
};

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A field a
 * spreadsheet would read as a formula (starting with = + - @, or a tab or carriage return) gets a
 * leading apostrophe, so that it stays text.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function categoryLabel(texts: Texts, key: FigureKey, category: string, locale: Locale): string {
  if (key === 'languages' && category !== LANGUAGE_UNKNOWN) {
    try {
      return new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' }).of(category) ?? category;
    } catch {
      return category;
    }
  }
  return texts.categories[category] ?? category;
}

/**
 * The figures as CSV in the user's language: a header row, then one row per figure, category
 * and period, suppressed counts written as "< 5" (and hidden totals as such). Starts with a
 * byte order mark so that Excel reads it as UTF-8; lines end with CRLF (RFC 4180).
 */
export function figuresCsv(figures: Figures, locale: Locale): string {
  const texts = CSV_TEXTS[locale];
  const lines = [texts.header.map(csvField).join(',')];
  for (const figure of figures.figures)
    for (const row of figure.rows)
      row.values.forEach((cell, index) => {
        const value = isSuppressed(cell)
          ? cell.reason === 'small'
            ? texts.small
            : texts.complement
          : String(cell);
        lines.push(
          [
            texts.figures[figure.key],
            categoryLabel(texts, figure.key, row.category, locale),
            figure.buckets[index] ?? '',
            value,
          ]
            .map(csvField)
            .join(','),
        );
      });
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The file name of a download: `figures-2026-01-01-2026-12-31.csv`. */
export function figuresFileName({ from, to }: FigureRange): string {
  return `figures-${from}-${to}.csv`;
}
