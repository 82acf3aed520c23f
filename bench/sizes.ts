/**
 * The datasets of the benchmark (issue 7). Only table sizes change between them: every
 * professional has about 50 plans at every size (lead of 5, partner in 45), every plan has the
 * same shape (DESIGN.md, "Data"), and one "heavy" professional is a partner in up to 2,000 plans.
 */
export interface DatasetSize {
  name: SizeName;
  clients: number;
  professionals: number;
  organizations: number;
}

export const SIZES = {
  XS: { name: 'XS', clients: 1_000, professionals: 200, organizations: 40 },
  S: { name: 'S', clients: 10_000, professionals: 2_000, organizations: 400 },
  L: { name: 'L', clients: 100_000, professionals: 20_000, organizations: 4_000 },
} as const satisfies Record<string, Omit<DatasetSize, 'name'> & { name: string }>;

export type SizeName = keyof typeof SIZES;

export function isSizeName(value: string): value is SizeName {
  return Object.hasOwn(SIZES, value);
}

/** The shape of one plan, the same at every size. */
export const PLAN_SHAPE = {
  /** The lead, 9 partner professionals and one informal supporter. */
  members: 11,
  partners: 9,
  goals: 5,
  actions: 15,
  agreements: 3,
  meetings: 2,
  participantsPerMeeting: 3,
  /** Consent grants per plan (see GRANTS in generate.ts), plus a few revocations and expiries. */
  grants: 10,
  auditEvents: 100,
  /** Plans the heavy professional is a partner in (capped at the number of plans). */
  heavyPlans: 2_000,
  /** One plan in 20 is closed. */
  closedEvery: 20,
} as const;

/** How many plans the heavy professional is in at this size. */
export function heavyPlanCount(size: DatasetSize): number {
  return Math.min(PLAN_SHAPE.heavyPlans, size.clients);
}

/** Step between partner slots, so that the 9 partners of a plan are 9 different professionals. */
export function partnerStride(size: DatasetSize): number {
  return Math.floor(size.professionals / (PLAN_SHAPE.partners + 1)) + 1;
}
