import { pgEnum } from 'drizzle-orm/pg-core';
import {
  CONSENT_METHODS,
  GRANT_ACCESS,
  LIFE_DOMAINS,
  LOCALES,
  PHASES,
  SECTIONS,
  USER_KINDS,
} from '../../policies/sections.ts';

export const userKind = pgEnum('user_kind', USER_KINDS);
export const locale = pgEnum('locale', LOCALES);
export const phase = pgEnum('plan_phase', PHASES);
export const section = pgEnum('section', SECTIONS);
export const grantAccess = pgEnum('grant_access', GRANT_ACCESS);
export const consentMethod = pgEnum('consent_method', CONSENT_METHODS);
export const lifeDomain = pgEnum('life_domain', LIFE_DOMAINS);
export const memberKind = pgEnum('member_kind', ['professional', 'informal']);
export const memberStatus = pgEnum('member_status', ['current', 'past']);
export const goalStatus = pgEnum('goal_status', ['open', 'in_progress', 'achieved', 'dropped']);
export const actionStatus = pgEnum('action_status', ['todo', 'doing', 'done', 'cancelled']);
export const auditOutcome = pgEnum('audit_outcome', ['ok', 'refused']);
