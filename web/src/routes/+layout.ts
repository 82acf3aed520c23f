import { api, ApiError } from '$lib/api';
import { applyLocale, setupI18n } from '$lib/i18n';
import type { LayoutLoad } from './$types';

// A single-page app: the server sends the same index.html for every page, the browser does the rest.
export const ssr = false;
export const prerender = false;

setupI18n();

export const load: LayoutLoad = async ({ depends }) => {
  // Signing in, signing out and changing the language invalidate this.
  depends('app:session');
  try {
    const me = await api.getSession();
    if (me) applyLocale(me.user.locale);
    return { me, sessionError: null };
  } catch (error) {
    // Never throw here: a failing root layout leaves SvelteKit without any page to show the error on.
    if (error instanceof ApiError) return { me: null, sessionError: error };
    throw error;
  }
};
