import { resolve } from '$app/paths';
import { redirect } from '@sveltejs/kit';
import { api } from '$lib/api';
import { orError } from '$lib/load';
import { PHASES, type Phase } from '$domain/vocabularies';
import type { PageLoad } from './$types';

const PAGE_SIZE = 50;

function phaseOf(value: string | null): Phase | undefined {
  return (PHASES as readonly string[]).includes(value ?? '') ? (value as Phase) : undefined;
}

export const load: PageLoad = async ({ url, depends, parent }) => {
  // An organisation admin has no plans (DESIGN.md: admins never read plan content), and this page
  // speaks to support workers ("register a client"): the admin goes to their own start page.
  const { me } = await parent();
  if (me.user.kind === 'admin') redirect(307, resolve('/'));
  depends('app:plans');
  const q = url.searchParams.get('q')?.trim() ?? '';
  const phase = phaseOf(url.searchParams.get('phase'));
  // The server searches only the plans the user leads; the plans shared with them stay unfiltered.
  const [all, filtered] = await orError(
    Promise.all([
      api.listPlans({ limit: PAGE_SIZE }),
      q || phase ? api.listPlans({ q: q || undefined, phase, limit: PAGE_SIZE }) : null,
    ]),
  );
  return { q, phase: phase ?? '', all, filtered: filtered ?? all, pageSize: PAGE_SIZE };
};
