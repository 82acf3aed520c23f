import { api, type Member, type PlanSummary } from '$lib/api';
import { writesWholePlan } from '$policies/ability';

/** A professional with a Liaison account, as the lead knows them from a network. */
export interface KnownPerson {
  userId: string;
  name: string;
}

/**
 * The people of an organisation who have a Liaison account and whom the user already works with
 * in the networks of the open plans they lead, leaving out those already in `plan`'s network.
 * (The directory lists organisations, not people: this is how a lead links a partner's account.)
 */
export async function findKnownPeople(plan: PlanSummary, organizationId: string): Promise<KnownPerson[]> {
  const led = (await api.listPlans({ limit: 100 })).items.filter((p) =>
    writesWholePlan(p.myRole, p.closedAt !== null),
  );
  const networks = await Promise.all(led.map((p) => api.listMembers(p.id).catch((): Member[] => [])));
  const here = new Set(
    (networks[led.findIndex((p) => p.id === plan.id)] ?? []).flatMap((m) => (m.userId ? [m.userId] : [])),
  );
  const found = new Map<string, KnownPerson>();
  for (const member of networks.flat()) {
    if (member.kind !== 'professional' || !member.userId || member.organization?.id !== organizationId)
      continue;
    if (!here.has(member.userId)) found.set(member.userId, { userId: member.userId, name: member.name });
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
