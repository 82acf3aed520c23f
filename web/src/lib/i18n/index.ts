import { browser } from '$app/environment';
import { isLocale, LOCALES, type Locale } from '$domain/vocabularies';
import { derived } from 'svelte/store';
import { _ as translate, addMessages, init, locale } from 'svelte-i18n';
import { elideFrench } from '$domain/french';
import { createFormatters } from '$lib/format';

export { locale } from 'svelte-i18n';

/** The messages of the interface language, French with its elisions. */
export const _ = derived([translate, locale], ([format, current]) =>
  current?.startsWith('fr')
    ? (((...args: Parameters<typeof format>) => elideFrench(format(...args))) as typeof format)
    : format,
);
export type { Locale };

type Messages = Record<string, unknown>;

/**
 * The messages of each language, kept in one file per area of the app (`nl/plan.json`, …) so that
 * the files stay readable; every file names its own top-level keys, and they are merged here.
 * `test/web/i18n-keys.test.ts` checks that the three languages have the same keys and placeholders.
 */
const files = import.meta.glob<Messages>('./*/*.json', { eager: true, import: 'default' });

function messagesOf(code: Locale): Messages {
  const merged: Messages = {};
  for (const [path, messages] of Object.entries(files)) {
    if (path.startsWith(`./${code}/`)) Object.assign(merged, messages);
  }
  return merged;
}

/** Dates, numbers and lists in the interface language (Intl): `$fmt.date('2026-03-03')`. */
export const fmt = derived(locale, (value) => createFormatters(isLocale(value) ? value : DEFAULT_LOCALE));

/** The language when neither the user, nor an earlier choice, nor the browser gives one. */
export const DEFAULT_LOCALE: Locale = 'nl';

/** Each language named in itself, so that everyone finds their own. */
export const LANGUAGE_NAMES: Record<Locale, string> = { nl: 'Nederlands', fr: 'Français', en: 'English' };

const STORAGE_KEY = 'liaison.locale';

let started = false;

export { isLocale };

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
  for (const code of LOCALES) addMessages(code, messagesOf(code) as Parameters<typeof addMessages>[1]);
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
