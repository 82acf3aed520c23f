/**
 * The sections of a network plan: the unit of consent (DESIGN.md, "Sections"). Every access rule
 * in `policies/` is written in terms of them, and the database enum `section` lists the same words.
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

/** The path of each section under /api/plans/:planId (the network's records are its members). */
export const SECTION_PATHS = {
  network: 'members',
  request: 'request',
  goals: 'goals',
  actions: 'actions',
  agreements: 'agreements',
  crisis: 'crisis',
  background: 'background',
  meetings: 'meetings',
  evaluations: 'evaluations',
  closure: 'closure',
} as const satisfies Record<Section, string>;

/**
 * Sections shown only to users bound by professional secrecy, even under consent. A meeting is
 * split (DESIGN.md, "Sections"): its date, title, participants and decisions go to every partner
 * with a `meetings` grant, its discussion notes only to those bound by secrecy (the policies'
 * `MeetingNote` subject and the meeting's `notes` field).
 */
export const SECRECY_BOUND_SECTIONS: readonly Section[] = ['background'];

/** The fields of a meeting every reader of the `meetings` section gets; `notes` is secrecy-bound. */
export const MEETING_SHARED_FIELDS = [
  'id',
  'planId',
  'heldAt',
  'title',
  'decisions',
  'participants',
  'clientTookPart',
  'version',
] as const;

/** Whether a section may only be shared with users bound by professional secrecy. */
export function isSecrecyBoundSection(section: Section): boolean {
  return SECRECY_BOUND_SECTIONS.includes(section);
}
