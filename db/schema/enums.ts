import { pgEnum } from 'drizzle-orm/pg-core';
import { SECTIONS } from '../../domain/sections.ts';
import {
  ACCESS_CODE_PURPOSES,
  ACCESS_END_REASONS,
  ACTION_STATUSES,
  AUDIT_OUTCOMES,
  CLOSURE_REASONS,
  CONSENT_METHODS,
  GOAL_STATUSES,
  GRANT_ACCESS,
  LIFE_DOMAINS,
  LOCALES,
  MEMBER_KINDS,
  MEMBER_STATUSES,
  NOTIFICATION_KINDS,
  PHASES,
  USER_KINDS,
} from '../../domain/vocabularies.ts';

export const userKind = pgEnum('user_kind', USER_KINDS);
export const locale = pgEnum('locale', LOCALES);
export const phase = pgEnum('plan_phase', PHASES);
export const section = pgEnum('section', SECTIONS);
export const grantAccess = pgEnum('grant_access', GRANT_ACCESS);
export const consentMethod = pgEnum('consent_method', CONSENT_METHODS);
export const lifeDomain = pgEnum('life_domain', LIFE_DOMAINS);
export const memberKind = pgEnum('member_kind', MEMBER_KINDS);
export const memberStatus = pgEnum('member_status', MEMBER_STATUSES);
export const goalStatus = pgEnum('goal_status', GOAL_STATUSES);
export const actionStatus = pgEnum('action_status', ACTION_STATUSES);
export const auditOutcome = pgEnum('audit_outcome', AUDIT_OUTCOMES);
export const accessCodePurpose = pgEnum('access_code_purpose', ACCESS_CODE_PURPOSES);
export const closureReason = pgEnum('closure_reason', CLOSURE_REASONS);
export const notificationKind = pgEnum('notification_kind', NOTIFICATION_KINDS);
export const accessEndReason = pgEnum('access_end_reason', ACCESS_END_REASONS);
