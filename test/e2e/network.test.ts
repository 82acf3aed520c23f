import { expect, it } from 'vitest';
import { LIFE_DOMAINS } from '../../domain/vocabularies.ts';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import {
  apiInPage,
  expectAccessibleInEveryLanguage,
  expectText,
  screenshot,
  signIn,
  tabTo,
} from '../helpers/web.ts';

// The eco-map of Karim's network, drawn by the browser: readable with 25 members (no label
// overlaps another, no node another), professional and informal members drawn differently, past
// and hidden members marked, opened by click or keyboard, edited, and shown as a list too.

const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describeInBrowser('the network map in the browser', { timeout: 90_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.setViewportSize({ width: 1280, height: 900 });

  it('adds an informal supporter from the map page', async () => {
    await signIn(page, baseUrl, 'lea.lead@demo.example');
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}/network`);
    await page.getByRole('button', { name: 'Iemand toevoegen' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Naam').fill('Omar Haddad');
    await dialog.getByLabel('Relatie met de cliënt').fill('Vriend van het voetbal');
    await dialog.getByRole('checkbox', { name: 'Vrije tijd' }).check();
    await dialog.getByRole('radio', { name: /Heel dichtbij/ }).check();
    await dialog.getByRole('button', { name: 'Bewaren' }).click();
    await page
      .locator('svg.network-map')
      .getByRole('button', { name: /^Omar Haddad/ })
      .waitFor();
  });

  it('stays readable with 25 members: no label or node overlaps another', async () => {
    // Fill the network up to 25 people, crowding a few life domains on purpose.
    const members = await apiInPage<unknown[]>(page, 'GET', `/plans/${KARIM_PLAN}/members`);
    for (let i = members.length; i < 25; i += 1) {
      await apiInPage(page, 'POST', `/plans/${KARIM_PLAN}/members`, {
        kind: 'informal',
        name: `Buur ${i} van de Ninoofsesteenweg`,
        relation: i % 2 === 0 ? 'Buurvrouw, helpt met de post en de boodschappen' : 'Vriend',
        lifeDomains: [LIFE_DOMAINS[i % 3] ?? 'housing'],
        closeness: (i % 3) + 1,
        hidden: i % 4 === 0,
      });
    }
    await page.reload();
    const nodes = page.locator('svg.network-map .map-node');
    await expect.poll(() => nodes.count()).toBe(25);

    const boxes = await page.evaluate<Array<{ name: string; label: Rect; shape: Rect }>>(`
      [...document.querySelectorAll('svg.network-map .map-node')].map((node) => {
        const texts = [...node.querySelectorAll('.map-label')].map((t) => t.getBoundingClientRect());
        const x = Math.min(...texts.map((r) => r.left));
        const y = Math.min(...texts.map((r) => r.top));
        const shape = node.querySelector('.map-shape').getBoundingClientRect();
        return {
          name: node.querySelector('.map-label').textContent,
          label: { x, y, width: Math.max(...texts.map((r) => r.right)) - x, height: Math.max(...texts.map((r) => r.bottom)) - y },
          shape: { x: shape.left, y: shape.top, width: shape.width, height: shape.height },
        };
      })`);
    const clashes: string[] = [];
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        if (overlap(a.label, b.label)) clashes.push(`labels of ${a.name} and ${b.name}`);
        if (overlap(a.shape, b.shape)) clashes.push(`nodes of ${a.name} and ${b.name}`);
        if (overlap(a.label, b.shape)) clashes.push(`label of ${a.name} and node of ${b.name}`);
      }
    }
    expect(clashes).toEqual([]);

    // Professionals are squares, informal supporters circles; past members are dashed and hatched.
    expect(await page.locator('.map-node:has(rect.map-shape-professional)').count()).toBe(8);
    expect(await page.locator('.map-node:has(circle.map-shape-informal)').count()).toBe(17);
    expect(await page.locator('.map-node-past').count()).toBe(1);
    expect(await page.locator('.map-node-hidden .map-hidden-mark').count()).toBeGreaterThan(1);
    await screenshot(page, 'network-map');
  });

  it('opens a member by keyboard and edits them', async () => {
    await page.locator('main h1').focus();
    await tabTo(page, /^Yasmina Benali/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await expectText(dialog.locator('h2'), /Yasmina Benali/);
    await expectText(dialog, /Heel dichtbij/);
    await dialog.getByRole('button', { name: 'Wijzigen' }).click();
    await dialog
      .getByRole('radio', { name: /Dichtbij/ })
      .first()
      .check();
    await dialog.getByRole('button', { name: 'Bewaren' }).click();
    await expectText(dialog, /Relatie met de cliënt/);
    await expectText(dialog.locator('dl'), /Dichtbij/);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    // Focus goes back to where it was: Yasmina on the map.
    expect(await page.evaluate<string>('document.activeElement.textContent')).toContain('Yasmina Benali');
    await expectAccessibleInEveryLanguage(page);
  });

  it('shows the same network as a list', async () => {
    await page.getByRole('button', { name: 'Lijst' }).click();
    expect(await page.getByRole('button', { name: 'Lijst' }).getAttribute('aria-pressed')).toBe('true');
    const rows = page.locator('main table tbody tr');
    await expect.poll(() => rows.count()).toBe(25);
    await expectText(rows.filter({ hasText: 'Mohamed Benali' }), /vroeger/);
    await rows
      .filter({ hasText: 'Paul Verhaegen' })
      .getByRole('button', { name: /Paul Verhaegen/ })
      .click();
    await expectText(page.getByRole('dialog'), /Psychiater/);
    await page.keyboard.press('Escape');
    await expectAccessibleInEveryLanguage(page);
  });
});
