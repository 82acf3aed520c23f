/**
 * The sections of a network plan: the unit of consent (DESIGN.md, "Sections").
 * Kept in `policies/` because every access rule is written in terms of them.
 */
export const SECTIONS = [
  'network',
  'request',
  'goals',
  'actions',
  'agreements',
  'crisis',
  'background',
  'meetings',
  'evaluations',
  'closure',
] as const;

export type Section = (typeof SECTIONS)[number];

/** Sections shown only to users bound by professional secrecy, even under consent. */
export const SECRECY_BOUND_SECTIONS: readonly Section[] = ['background', 'meetings'];

/** Whether a section may only be shared with users bound by professional secrecy. */
export function isSecrecyBoundSection(section: Section): boolean {
  return SECRECY_BOUND_SECTIONS.includes(section);
}

/** The phases a plan moves through, in the order of the method. */
export const PHASES = [
  'registration',
  'request',
  'goals',
  'approach',
  'active',
  'evaluation',
  'closed',
] as const;
export type Phase = (typeof PHASES)[number];

export const USER_KINDS = ['professional', 'client', 'admin'] as const;
export type UserKind = (typeof USER_KINDS)[number];

export const LOCALES = ['nl', 'fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const GRANT_ACCESS = ['read', 'contribute'] as const;
export type GrantAccess = (typeof GRANT_ACCESS)[number];

/** How consent was recorded: by the client in the app, or by the lead on the client's behalf. */
export const CONSENT_METHODS = ['in_app', 'verbal', 'written'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** Life domains used by goals and the network map (from the seeds' method). */
export const LIFE_DOMAINS = [
  'housing',
  'work_day_activity',
  'health',
  'relations',
  'money',
  'leisure',
  'learning',
  'daily_living',
  'safety_justice',
] as const;
export type LifeDomain = (typeof LIFE_DOMAINS)[number];

/** Sectors of the Brussels welfare field, used by the partner directory. */
export const SECTORS = [
  'disability',
  'homelessness',
  'mental_health',
  'general_health',
  'housing',
  'employment',
  'debt',
  'addiction',
  'general_welfare',
  'youth',
  'elderly',
  'leisure',
] as const;
export type Sector = (typeof SECTORS)[number];
