import { api, isApiError, type Figures, type FiguresParams } from '$lib/api';
import { orError } from '$lib/load';
import { FIGURE_PERIODS, type FigurePeriod } from '$domain/schemas/figures';
import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

function periodOf(value: string | null): FigurePeriod | undefined {
  return (FIGURE_PERIODS as readonly string[]).includes(value ?? '') ? (value as FigurePeriod) : undefined;
}

/**
 * The organisation's figures for the period in the address (`?period=quarter&from=…&to=…`; the
 * server's defaults otherwise). A period the server cannot count (400) stays on the page with the
 * form, to be corrected; any other failure is the error page.
 */
export const load: PageLoad = async ({ parent, url }) => {
  const { me } = await parent();
  if (me.user.kind !== 'admin' || !me.organization) error(403, 'Only organisation admins see the figures.');
  const organizationId = me.organization.id;
  const params: FiguresParams = {
    period: periodOf(url.searchParams.get('period')),
    from: url.searchParams.get('from') || undefined,
    to: url.searchParams.get('to') || undefined,
  };
  let figures: Figures | null = null;
  let invalidRange = false;
  try {
    figures = await api.getOrganizationFigures(organizationId, params);
  } catch (cause) {
    if (!isApiError(cause, 400)) await orError(Promise.reject(cause));
    invalidRange = true;
  }
  return { organizationId, params, figures, invalidRange };
};
