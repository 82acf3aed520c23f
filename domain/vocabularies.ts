// The closed word lists of the domain, written once: the database enums (db/schema/enums.ts), the
// API's zod schemas (domain/schemas) and the web app's choices all take them from here. The order
// of an array is the order of its PostgreSQL enum: append new words, never reorder.

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

/**
 * Who an account belongs to. A `supporter` is an informal supporter's circle account (family,
 * neighbour): they read what the client shares with them, never secrecy-bound sections.
 */
export const USER_KINDS = ['professional', 'client', 'admin', 'supporter'] as const;
export type UserKind = (typeof USER_KINDS)[number];

/** The kinds of account an admin creates and manages (a client's account comes with their plan). */
export const STAFF_USER_KINDS = ['professional', 'admin'] as const satisfies readonly UserKind[];
export type StaffUserKind = (typeof STAFF_USER_KINDS)[number];

/** The languages of the interface. */
export const LOCALES = ['nl', 'fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Whether a value is one of the languages Liaison speaks. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** What a grant lets a member do with a section. */
export const GRANT_ACCESS = ['read', 'contribute'] as const;
export type GrantAccess = (typeof GRANT_ACCESS)[number];

/**
 * What a one-time code or link is for: a client's or supporter's access letter, an e-mailed
 * invitation, a password reset.
 */
export const ACCESS_CODE_PURPOSES = ['activation', 'invitation', 'password_reset'] as const;
export type AccessCodePurpose = (typeof ACCESS_CODE_PURPOSES)[number];

/** The kinds of account an invitation creates. */
export const INVITED_USER_KINDS = ['professional', 'supporter'] as const satisfies readonly UserKind[];
export type InvitedUserKind = (typeof INVITED_USER_KINDS)[number];

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

/** A member of the network: a professional (with an account and/or an organisation) or an informal supporter. */
export const MEMBER_KINDS = ['professional', 'informal'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

/** Whether a member still belongs to the network; a past member stays on the map, greyed. */
export const MEMBER_STATUSES = ['current', 'past'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** Where a goal stands. */
export const GOAL_STATUSES = ['open', 'in_progress', 'achieved', 'dropped'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** Where an action stands. */
export const ACTION_STATUSES = ['todo', 'doing', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Whether an audited request was carried out or refused. */
export const AUDIT_OUTCOMES = ['ok', 'refused'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * The part a user plays in one plan, as the API reports it (`myRole`). The policies decide it
 * (`roleInPlan`); their `PlanRole` type is the same list.
 */
export const PLAN_ROLES = ['lead', 'co_lead', 'client', 'partner'] as const;

/**
 * Why a collaboration ended, as the lead classes it when closing a plan (next to their own words,
 * which stay free text and are never counted). The organisation's figures count closures by this
 * word alone, so that an admin learns why plans end without reading a plan. The list keeps apart
 * what a service needs to tell apart when it looks back on a year: support that reached its goals
 * or was handed over (`referred`), support the client ended (`client_choice`: saying no is the
 * client's right, not a failure), support that ended without a choice (`moved`, `no_contact`,
 * `deceased`), and `other` (also the kind of every closure written before the list existed).
 */
export const CLOSURE_REASONS = [
  'goals_reached',
  'client_choice',
  'referred',
  'moved',
  'no_contact',
  'deceased',
  'other',
] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

/**
 * What a notice in a user's inbox is about (issue 14): a grant ending soon (lead and client),
 * access ended because the plan closed, the member became past or a grant was withdrawn (the
 * partner), an action overdue (its owner and the lead), an evaluation due (the lead), something
 * newly shared (the partner), a meeting's decisions (its participants), a message from the client
 * (the lead).
 */
export const NOTIFICATION_KINDS = [
  'grant_ending',
  'access_ended',
  'action_overdue',
  'evaluation_due',
  'shared',
  'meeting_decisions',
  'client_message',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Why a partner's access ended: the plan closed, their part ended, or the client withdrew it. */
export const ACCESS_END_REASONS = ['closed', 'past', 'withdrawn'] as const;
export type AccessEndReason = (typeof ACCESS_END_REASONS)[number];
