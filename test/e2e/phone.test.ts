import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations, startBrowserSession } from '../helpers/browser.ts';
import {
  expectAccessibleInEveryLanguage,
  expectText,
  screenshot,
  signIn,
  signOut,
  switchLanguage,
} from '../helpers/web.ts';

// Issue 15, phone first: on a 390 × 844 phone the header is one line (at most 72 px) with the
// navigation, the language and the account in a menu that works with the keyboard; no page of the
// client, the lead or a partner scrolls sideways; the network reads as a list (or a map at a
// readable zoom) and the lead's consent grid as one card per person.

const PHONE = { width: 390, height: 844 };
const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';

/** The header's height in CSS pixels. */
async function headerHeight(page: Page): Promise<number> {
  const box = await page.locator('header.site-header').boundingBox();
  expect(box).not.toBeNull();
  return box?.height ?? Number.POSITIVE_INFINITY;
}

/** The page is no wider than the phone: nothing scrolls sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  const width = await page.evaluate<number>('document.scrollingElement.scrollWidth');
  expect(width).toBeLessThanOrEqual(PHONE.width);
}

/** Opens a page of the app and checks the phone's header and the page's width. */
async function openOnPhone(page: Page, url: string, heading: RegExp): Promise<void> {
  await page.goto(url);
  await expectText(page.locator('main h1'), heading);
  expect(await headerHeight(page)).toBeLessThanOrEqual(72);
  await expectNoSidewaysScroll(page);
}

describeInBrowser('Liaison on a phone', { timeout: 180_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.setViewportSize(PHONE);

  it('the client: a one-line header whose menu opens and closes with the keyboard; home and plan fit', async () => {
    await signIn(page, baseUrl, 'karim.client@demo.example');
    await openOnPhone(page, `${baseUrl}/my`, /Bonjour Karim/);

    // The navigation is folded away, behind one button that says whether it is open.
    const menuButton = page.getByRole('button', { name: 'Menu' });
    const myPlanLink = page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link');
    expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
    expect(await myPlanLink.first().isVisible()).toBe(false);

    // Keyboard: Enter opens it, the links are reachable with Tab, Escape closes it and gives the
    // focus back to the button.
    await menuButton.focus();
    await page.keyboard.press('Enter');
    expect(await menuButton.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => myPlanLink.first().isVisible()).toBe(true);
    // Open, the menu lies over the page: the header keeps its height.
    expect(await headerHeight(page)).toBeLessThanOrEqual(72);
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent.trim()')).toMatch(/Mon plan/);
    await expectNoAxeViolations(page);
    await screenshot(page, 'phone-menu-open-fr', false);
    await page.keyboard.press('Escape');
    expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate<string>('document.activeElement.className')).toContain('menu-button');
    expect(await myPlanLink.first().isVisible()).toBe(false);

    // A link of the menu takes you there and folds the menu again.
    await menuButton.click();
    await page.getByRole('link', { name: 'Mon compte' }).click();
    await page.waitForURL(`${baseUrl}/account`);
    expect(await menuButton.getAttribute('aria-expanded')).toBe('false');

    await openOnPhone(page, `${baseUrl}/my`, /Bonjour Karim/);
    await expectAccessibleInEveryLanguage(page);
    await screenshot(page, 'phone-client-home-fr', false);
    await openOnPhone(page, `${baseUrl}/my/plan`, /Tout mon plan/);
    await expectAccessibleInEveryLanguage(page);
    await screenshot(page, 'phone-client-plan-fr', false);
    await signOut(page);
  });

  it('the lead: the plan fits, the network reads as a list or at a readable zoom', async () => {
    await signIn(page, baseUrl, 'lea.lead@demo.example');
    await switchLanguage(page, 'nl');
    await openOnPhone(page, `${baseUrl}/plans/${KARIM_PLAN}`, /Karim Benali/);
    await expectAccessibleInEveryLanguage(page);

    await openOnPhone(page, `${baseUrl}/plans/${KARIM_PLAN}/network`, /Netwerk/);
    // On a phone the network opens as a list of cards, one per person.
    const cards = page.locator('main .member-card');
    await expect.poll(() => cards.count()).toBeGreaterThanOrEqual(5);
    await expectText(page.locator('main .member-cards'), /Paul Verhaegen/);
    await expectAccessibleInEveryLanguage(page);
    await screenshot(page, 'phone-lead-network-list-nl', false);

    // The map, when chosen, keeps its labels at a readable size and pans inside its frame.
    await page.getByRole('button', { name: 'Kaart' }).click();
    await page.locator('svg.network-map').waitFor();
    const smallest = await page.evaluate<number>(`(() => {
      const labels = [...document.querySelectorAll('svg.network-map .map-label')];
      return Math.min(...labels.map((t) => t.getBoundingClientRect().height));
    })()`);
    expect(smallest).toBeGreaterThanOrEqual(12);
    await expectNoSidewaysScroll(page);
    await expectAccessibleInEveryLanguage(page);
    await page.locator('.map-wrap').scrollIntoViewIfNeeded();
    await screenshot(page, 'phone-lead-network-map-nl', false);
  });

  it('the lead: the consent grid is one card per person, and a card records consent', async () => {
    await openOnPhone(page, `${baseUrl}/plans/${KARIM_PLAN}/consent`, /Wie ziet wat/);
    expect(await page.locator('.consent-table').count()).toBe(0);
    const cards = page.locator('main .consent-card');
    await expect.poll(() => cards.count()).toBeGreaterThanOrEqual(3);
    const paul = cards.filter({ has: page.getByRole('heading', { name: 'Paul Verhaegen' }) });
    await expectText(paul, /Doelen/);
    // Each part of the plan is one button per card, named by its part, its person and its state.
    await paul.getByRole('button', { name: /^Crisisplan\s+Paul Verhaegen\s/ }).click();
    await expectText(page.locator('dialog[open]'), /Paul Verhaegen/);
    await page.keyboard.press('Escape');
    await expectNoSidewaysScroll(page);
    await expectAccessibleInEveryLanguage(page);
    // The picture starts at the legend, above the first card.
    await page.evaluate(`document.querySelector('.consent-cards').previousElementSibling.scrollIntoView()`);
    await screenshot(page, 'phone-lead-consent-nl', false);
    await signOut(page);
  });

  it('a partner: the plan shared with them fits the phone', async () => {
    await signIn(page, baseUrl, 'nora.partner@demo.example');
    await openOnPhone(page, `${baseUrl}/plans/${KARIM_PLAN}`, /Karim Benali/);
    await expectAccessibleInEveryLanguage(page);
    await screenshot(page, 'phone-partner-plan-fr', false);
  });
});
