import type { Database } from '../../db/client.ts';
import type { SessionUser } from '../../db/queries/users.ts';
import type { AppAbility, PlanFacts } from '../../policies/index.ts';

/** Who acts, with what rights: what every service needs, built once per request. */
export interface UserContext {
  db: Database;
  user: SessionUser;
  ability: AppAbility;
}

/** A request about one plan the user may see (plugins/plan-context.ts builds it before the handler). */
export interface PlanContext extends UserContext {
  /** The plan's id as stored (lower case), whatever the case of the URL. */
  planId: string;
  facts: PlanFacts;
}
