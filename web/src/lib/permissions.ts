/**
 * The packed CASL rules of `/api/me`, unpacked into an ability. They only hide what the server
 * would refuse anyway (STYLE.md rule 10): every action is still checked by the server.
 */
import type { Me } from '$lib/api';
import type { AppAbility } from '$policies/ability';
import { createMongoAbility, type RawRuleOf } from '@casl/ability';
import { unpackRules, type PackRule } from '@casl/ability/extra';

/** The signed-in user's ability, from the rules the server sent with `/api/me`. */
export function abilityOf(me: Me): AppAbility {
  const rules = unpackRules(me.rules as PackRule<RawRuleOf<AppAbility>>[]);
  return createMongoAbility<AppAbility>(rules);
}

/** What the signed-in user's own rules allow, as the navigation needs it. */
export function capabilitiesOf(me: Me) {
  const ability = abilityOf(me);
  return {
    /** Register clients and open plans (professionals of an organisation). */
    createPlan: ability.can('create', 'Plan'),
    /** Search the partner directory. */
    readDirectory: ability.can('read', 'Organization'),
    /** Manage the organisation's users (admins). */
    manageUsers: ability.can('read', 'User'),
  };
}
