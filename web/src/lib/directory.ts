import { api, type PlanSummary } from '$lib/api';

/** A professional with a Liaison account, whom the lead may link into a network. */
export interface KnownPerson {
  userId: string;
  name: string;
}

/**
 * The people of an organisation who have a Liaison account, leaving out those already in `plan`'s
 * network. Read from accounts (the server's people query), never from other clients' plans, so
 * that no other plan's access log records a look that never happened (issue 13).
 */
export async function findKnownPeople(plan: PlanSummary, organizationId: string): Promise<KnownPerson[]> {
  const [people, network] = await Promise.all([
    api.listOrganizationPeople(organizationId),
    api.listMembers(plan.id),
  ]);
  const here = new Set(network.flatMap((member) => (member.userId ? [member.userId] : [])));
  return people.items.filter((person) => !here.has(person.userId));
}
