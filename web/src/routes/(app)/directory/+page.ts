import { api, type OrganizationSearch } from '$lib/api';
import { orError } from '$lib/load';
import { SECTORS } from '$domain/vocabularies';
import { writesWholePlan } from '$policies/ability';
import type { PageLoad } from './$types';

export const PAGE_SIZE = 20;

/** The search as the address says it (so that it can be shared, and Back works). */
function searchOf(url: URL): OrganizationSearch {
  const get = (name: string) => url.searchParams.get(name)?.trim() || undefined;
  const sector = get('sector');
  const postcode = get('postcode');
  const language = get('language');
  return {
    q: get('q')?.slice(0, 200),
    sector: sector && (SECTORS as readonly string[]).includes(sector) ? sector : undefined,
    language: language && /^[a-z]{2,3}$/.test(language) ? language : undefined,
    municipality: get('municipality')?.slice(0, 100),
    postcode: postcode && /^\d{4}$/.test(postcode) ? postcode : undefined,
  };
}

export const load: PageLoad = async ({ url }) => {
  const search = searchOf(url);
  const planId = url.searchParams.get('planId');
  const [results, plans] = await orError(
    Promise.all([
      api.searchOrganizations({ ...search, limit: PAGE_SIZE }),
      // Only for "add to this client's network": the plan's name and whether the user leads it.
      planId ? api.listPlans({ limit: 100 }) : null,
    ]),
  );
  const plan = plans?.items.find((p) => p.id === planId && writesWholePlan(p.myRole, p.closedAt !== null));
  return { search, results, plan: plan ?? null, pageSize: PAGE_SIZE };
};
