import { z } from 'zod';

/** How the figures are grouped in time (calendar periods in Europe/Brussels). */
export const FIGURE_PERIODS = ['month', 'quarter', 'year'] as const;
export type FigurePeriod = (typeof FIGURE_PERIODS)[number];

/** The figures of an organisation, in the order the page and the CSV show them. */
export const FIGURE_KEYS = [
  'registrations',
  'phases',
  'goalsByLifeDomain',
  'languages',
  'consents',
  'meetings',
  'closures',
  'averageDuration',
] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

/** The category of a phase snapshot for a plan closed after the range: its phase then is not kept. */
export const PHASE_UNKNOWN = 'unknown';
/** The category of clients whose preferred language was not recorded. */
export const LANGUAGE_UNKNOWN = 'unknown';

/** Counts from 1 to 4 are never published: a small number could point at one client. */
export const SMALL_COUNT_LIMIT = 5;

/** The longest range the figures are computed for. */
export const FIGURE_RANGE_MAX_YEARS = 10;

/**
 * A published value: a number, or `{ suppressed: true }` — `small` for a count from 1 to 4,
 * `complement` for a total hidden so that a small count in its row cannot be worked out by
 * subtraction.
 */
export const FigureCellSchema = z.union([
  z.number().nonnegative(),
  z.object({ suppressed: z.literal(true), reason: z.enum(['small', 'complement']) }),
]);
export type FigureCell = z.infer<typeof FigureCellSchema>;

export const FigureRowSchema = z.object({
  /** A phase, life domain, language tag, … or the figure's one category (`registered`, `held`, …). */
  category: z.string(),
  /** One value per bucket of the figure, in the same order. */
  values: z.array(FigureCellSchema),
});

export const FigureSchema = z
  .object({
    key: z.enum(FIGURE_KEYS),
    /**
     * `2026-03` (month), `2026-Q1` (quarter), `2026` (year); a snapshot has one bucket, the date it
     * is taken on (`2026-12-31`); the average has one, the whole range (`2026-01-01/2026-12-31`).
     */
    buckets: z.array(z.string()),
    rows: z.array(FigureRowSchema),
  })
  .meta({ id: 'Figure' });
export type Figure = z.infer<typeof FigureSchema>;

export const FiguresSchema = z
  .object({
    organizationId: z.uuid(),
    period: z.enum(FIGURE_PERIODS),
    from: z.iso.date(),
    to: z.iso.date(),
    figures: z.array(FigureSchema),
  })
  .meta({ id: 'OrganizationFigures' });
export type Figures = z.infer<typeof FiguresSchema>;

export const FiguresQuerySchema = z
  .object({
    period: z.enum(FIGURE_PERIODS).default('month'),
    from: z.iso.date().optional().describe('First day, included (default: 11 months before this month)'),
    to: z.iso.date().optional().describe('Last day, included (default: today in Brussels)'),
  })
  .strict();
export type FiguresQuery = z.infer<typeof FiguresQuerySchema>;
