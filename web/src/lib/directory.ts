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

/**
 * Names of language codes the browser's `Intl.DisplayNames` does not know (ISO 639 collective
 * codes such as `ber`, Berber languages), in each interface language.
 */
const LANGUAGE_FALLBACKS: Record<string, Record<string, string>> = {
  ber: { nl: 'Berbertalen', fr: 'langues berbères', en: 'Berber languages' },
};

/** A language's name in the interface language: from `Intl`, else our own list, else the code. */
export function languageName(code: string, ui: string, fromIntl: (code: string) => string): string {
  const named = fromIntl(code);
  if (named && named !== code) return named;
  return LANGUAGE_FALLBACKS[code]?.[ui] ?? LANGUAGE_FALLBACKS[code]?.en ?? code;
}
