import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from './app.ts';
import { expectNoAxeViolations } from './browser.ts';

/**
 * Where browser runs write their screenshots: test-results/screenshots/ (ignored by git), so that
 * a test run never changes the committed ones; `npm run screenshots` (LIAISON_UPDATE_SCREENSHOTS=1)
 * writes test/e2e/screenshots/, the committed pictures reviewers look at.
 */
export const SCREENSHOTS = fileURLToPath(
  process.env.LIAISON_UPDATE_SCREENSHOTS === '1'
    ? new URL('../e2e/screenshots/', import.meta.url)
    : new URL('../../test-results/screenshots/', import.meta.url),
);

export const LOCALES = ['nl', 'fr', 'en'] as const;
export type TestLocale = (typeof LOCALES)[number];

/** Signs in through the sign-in page and waits until the user's start page is shown. */
export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.locator('main h1').first().waitFor();
}

/**
 * On a phone the header's navigation, language and account are in its menu: opens the menu when
 * `target` is not in sight; returns whether it did, so that the caller can close it again.
 */
export async function openHeaderMenuFor(page: Page, target: Locator): Promise<boolean> {
  const menuButton = page.locator('.menu-button');
  if ((await target.isVisible()) || !(await menuButton.isVisible())) return false;
  await menuButton.click();
  await target.waitFor({ state: 'visible' });
  return true;
}

/** Closes the header's menu on a phone, when it is open. */
export async function closeHeaderMenu(page: Page): Promise<void> {
  const menuButton = page.locator('.menu-button');
  if ((await menuButton.isVisible()) && (await menuButton.getAttribute('aria-expanded')) === 'true')
    await menuButton.click();
}

/** Signs out with the header's button and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  const button = page.locator('.sign-out button');
  await openHeaderMenuFor(page, button);
  await button.click();
  await page.waitForURL(/\/login/);
}

/** Switches the interface language with the header's buttons (saved on the user). */
export async function switchLanguage(page: Page, locale: TestLocale): Promise<void> {
  const button = page.locator(`.language-options button[lang="${locale}"]`);
  if ((await button.getAttribute('aria-pressed')) !== 'true') {
    const opened = await openHeaderMenuFor(page, button);
    const signedIn = (await page.locator('.sign-out').count()) > 0;
    // Signed in, the choice is saved and the session read again: wait for that, not for a guess.
    const reloaded = signedIn
      ? page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'GET')
      : null;
    await button.click();
    await reloaded;
    if (opened) await closeHeaderMenu(page);
  }
  // Polled from here: the page's strict CSP forbids the eval that waitForFunction uses.
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(locale);
  await page.waitForLoadState('networkidle');
}

/**
 * Runs axe on the page as it is now, in every language (WCAG 2.x A/AA: no violation), and
 * leaves the page in `end` (default: the language it started in).
 */
export async function expectAccessibleInEveryLanguage(page: Page, end?: TestLocale): Promise<void> {
  const start = (await page.locator('html').getAttribute('lang')) as TestLocale;
  const order = [start, ...LOCALES.filter((l) => l !== start)];
  for (const locale of order) {
    await switchLanguage(page, locale);
    await expectNoAxeViolations(page);
  }
  await switchLanguage(page, end ?? start);
}

/** Saves a screenshot under {@link SCREENSHOTS}. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage, animations: 'disabled' });
}

/** Waits until a locator's text matches. */
export async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  await expect.poll(async () => (await locator.textContent()) ?? '', { timeout: 20_000 }).toMatch(pattern);
}

/**
 * Presses Tab until the focused element (`#id`, label, text or link) matches, like a
 * keyboard user does; fails after `max` presses.
 */
export async function tabTo(page: Page, description: RegExp, max = 80, key = 'Tab'): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(key);
    const focused = await page.evaluate<string>(`(() => {
      const el = document.activeElement;
      if (!el) return '';
      return [el.id && '#' + el.id, el.getAttribute('aria-label'), el.innerText ?? el.textContent, el.getAttribute('href')]
        .filter(Boolean)
        .join(' ')
        .trim();
    })()`);
    if (description.test(focused)) return;
  }
  throw new Error(`Tab did not reach ${String(description)} in ${max} presses`);
}

/** The `fetch` of the page, as a string to evaluate (same session cookie as the user). */
export async function apiInPage<T>(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
  ifMatch?: number,
): Promise<T> {
  const init = {
    method,
    headers: {
      'content-type': 'application/json',
      ...(ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
  return page.evaluate<T>(
    `fetch(${JSON.stringify(`/api${path}`)}, ${JSON.stringify(init)}).then(async (r) => {
      if (!r.ok) throw new Error(r.status + ' ' + (await r.text()));
      return r.status === 204 ? null : r.json();
    })`,
  );
}
