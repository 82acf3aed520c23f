import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { appendAuditEvent } from '../../db/queries/audit.ts';
import { loadPlanFacts } from '../../db/queries/plan-access.ts';
import { asSystem } from '../../db/scope.ts';
import { asSubject, defineAbilityFor, type AppAbility } from '../../policies/index.ts';
import { NotFound } from '../errors.ts';
import type { PlanContext, UserContext } from '../services/context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The plan a route under /plans/:planId is about, opened for the signed-in user: their facts and
     * their ability, built once before the handler. Reading it on any other route is a programming error.
     */
    readonly plan: PlanContext;
    /** The signed-in user's ability for this request: the plan's one on plan routes. */
    readonly ability: AppAbility;
    /** Who acts and with what rights, as services take it. */
    readonly context: UserContext;
  }
}

const PLAN = Symbol('plan');
const ABILITY = Symbol('ability');

type WithContext = FastifyRequest & { [PLAN]: PlanContext | null; [ABILITY]: AppAbility | null };

/** Whether a route (its URL pattern) is about one plan. */
const isPlanRoute = (url: string | undefined) => url?.startsWith('/api/plans/:planId') ?? false;

/**
 * The request context: for routes under /plans/:planId, one preHandler opens the plan once —
 * the user's facts (read with the session), the ability built from them now (never from the
 * token) — and answers 404, exactly as for a plan that does not exist, when the user may not see
 * it; a refused attempt on an existing plan is logged. Handlers and services read `request.plan`.
 */
export default fp(
  async function planContextPlugin(app) {
    app.decorateRequest(PLAN, null);
    app.decorateRequest(ABILITY, null);
    app.decorateRequest('plan', {
      getter(this: FastifyRequest): PlanContext {
        const plan = (this as WithContext)[PLAN];
        if (!plan) throw new Error('request.plan is only available on routes under /plans/:planId');
        return plan;
      },
    });
    app.decorateRequest('ability', {
      getter(this: FastifyRequest): AppAbility {
        const self = this as WithContext;
        if (self[PLAN]) return self[PLAN].ability;
        self[ABILITY] ??= defineAbilityFor(self.user);
        return self[ABILITY];
      },
    });
    app.decorateRequest('context', {
      getter(this: FastifyRequest): UserContext {
        return (this as WithContext)[PLAN] ?? { db: app.db, user: this.user, ability: this.ability };
      },
    });

    app.addHook('preHandler', async (request) => {
      if (!isPlanRoute(request.routeOptions.url)) return;
      const { planId } = request.params as { planId: string };
      const user = request.user;
      const read = request.planFactsReadWithSession;
      // The policies' input is read whole (row-level security would hide a refused plan's facts).
      const facts = read !== undefined ? read : await asSystem(() => loadPlanFacts(app.db, user.id, planId));
      if (!facts) throw new NotFound();
      const ability = defineAbilityFor(user, [facts]);
      if (!ability.can('read', asSubject('Plan', { id: facts.planId }))) {
        await appendAuditEvent(app.db, {
          planId: facts.planId,
          actorUserId: user.id,
          action: 'read',
          outcome: 'refused',
          sections: [],
        });
        throw new NotFound();
      }
      (request as WithContext)[PLAN] = { db: app.db, user, planId: facts.planId, facts, ability };
    });
  },
  { name: 'plan-context', dependencies: ['db', 'auth'] },
);
