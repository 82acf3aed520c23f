import { browser } from '$app/environment';
import { LOCALES, type Locale } from '$policies/sections';
import { addMessages, init, locale } from 'svelte-i18n';
import en from './en.json';
import fr from './fr.json';
import nl from './nl.json';

export { _, locale } from 'svelte-i18n';
export type { Locale };

/** The language when neither the user, nor an earlier choice, nor the browser gives one. */
export const DEFAULT_LOCALE: Locale = 'nl';

/** Each language named in itself, so that everyone finds their own. */
export const LANGUAGE_NAMES: Record<Locale, string> = { nl: 'Nederlands', fr: 'Français', en: 'English' };

const STORAGE_KEY = 'liaison.locale';

let started = false;

/** Whether a value is one of the languages Liaison speaks. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function readStoredLocale(): Locale | null {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : null;
  } catch {
    // Storage can be switched off (private mode, strict settings): then we simply don't remember.
    return null;
  }
}

function readBrowserLocale(): Locale | null {
  for (const tag of navigator.languages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return null;
}

/**
 * Loads the messages and picks the first language: an earlier choice on this device, else the
 * browser's, else Dutch. The signed-in user's own language replaces it once `/api/me` answers.
 */
export function setupI18n(): void {
  if (started) return;
  started = true;
  addMessages('nl', nl);
  addMessages('fr', fr);
  addMessages('en', en);
  const initialLocale = browser
    ? (readStoredLocale() ?? readBrowserLocale() ?? DEFAULT_LOCALE)
    : DEFAULT_LOCALE;
  void init({ fallbackLocale: DEFAULT_LOCALE, initialLocale });
  if (browser) {
    locale.subscribe((value) => {
      if (isLocale(value)) document.documentElement.lang = value;
    });
  }
}

/** Switches the interface language and remembers it on this device (for the sign-in page). */
export function applyLocale(next: Locale): void {
  void locale.set(next);
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // See readStoredLocale.
  }
}
