import type { Page, Response } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import { signIn, signOut } from '../helpers/web.ts';

// Only real attempts are refused attempts (issue 13, item 2): the web app never asks the API for
// what the policies refuse the user, so a refused event in a plan's log means someone really
// tried. Every role walks every screen its navigation reaches — following the links of each
// page, the plan tabs and the header included — and no answer to the app's own /api requests
// is a 403 or a 404.

const ROLES = [
  'lea.lead',
  'tom.colead',
  'nora.partner', // few grants
  'paul.partner',
  'sam.partner',
  'karim.client',
  'ada.admin',
] as const;

/** Screens a walk may reach at most, per role: the demo has a handful of plans. */
const MAX_SCREENS = 80;

/** Where a link leads, as a screen to visit; null for what is not a screen of the app. */
function screenOf(baseUrl: string, href: string | null): string | null {
  if (!href) return null;
  const url = new URL(href, baseUrl);
  if (url.origin !== baseUrl || url.pathname.startsWith('/api/')) return null;
  // Signing out, and pages made to be printed or downloaded, are not screens to walk.
  if (/^\/(login|logout|activate|invitation|reset-password|forgot-password)\b/.test(url.pathname))
    return null;
  return url.pathname + url.search;
}

async function linksOf(page: Page, baseUrl: string): Promise<string[]> {
  const hrefs = await page
    .locator('a[href]:not([download]):not([target=_blank])')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
  return hrefs.map((href) => screenOf(baseUrl, href)).filter((screen): screen is string => screen !== null);
}

describeInBrowser('no request the policies refuse', { timeout: 300_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.setViewportSize({ width: 1280, height: 900 });

  let answers: Array<{ status: number; method: string; url: string; screen: string }> = [];
  let consoleErrors: Array<{ screen: string; text: string }> = [];
  let screen = '';
  // Issue 15: no page logs an error in the browser's console, signed in or out.
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push({ screen, text: message.text() });
  });
  page.on('pageerror', (error) => consoleErrors.push({ screen, text: String(error) }));
  page.on('response', (response: Response) => {
    const url = new URL(response.url());
    if (url.origin === baseUrl && url.pathname.startsWith('/api/'))
      answers.push({
        status: response.status(),
        method: response.request().method(),
        url: url.pathname + url.search,
        screen,
      });
  });

  for (const role of ROLES) {
    it(`${role}: every screen, no 403 or 404`, async () => {
      answers = [];
      consoleErrors = [];
      screen = '/login';
      await signIn(page, baseUrl, `${role}@demo.example`);
      const start = new URL(page.url()).pathname;
      const seen = new Set<string>([start]);
      const queue = [start];
      const visited: string[] = [];
      while (queue.length > 0 && visited.length < MAX_SCREENS) {
        const next = queue.shift()!;
        screen = next;
        await page.goto(`${baseUrl}${next}`, { waitUntil: 'commit' });
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        visited.push(next);
        for (const link of await linksOf(page, baseUrl))
          if (!seen.has(link)) {
            seen.add(link);
            queue.push(link);
          }
      }
      screen = 'sign-out';
      await signOut(page);

      // The walk saw the role's screens: more than the start page.
      expect(visited.length, visited.join('\n')).toBeGreaterThan(1);
      expect(queue, 'more screens than a walk visits').toEqual([]);
      const refused = answers.filter((answer) => answer.status === 403 || answer.status === 404);
      expect(refused, `visited:\n${visited.join('\n')}`).toEqual([]);
      // Nothing is asked without a session, signed in or out: whether someone is signed in comes
      // from /api/session, which answers 200 either way (the cookie is httpOnly).
      expect(answers.filter((answer) => answer.status === 401)).toEqual([]);
      expect(answers.some((answer) => answer.screen === '/login' && answer.url === '/api/session')).toBe(
        true,
      );
      expect(consoleErrors).toEqual([]);
    });
  }
});
