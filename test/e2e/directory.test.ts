import { expect, it } from 'vitest';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import { expectAccessibleInEveryLanguage, expectText, signIn } from '../helpers/web.ts';

// The partner directory: words in Dutch or French, filters, results with sector and language
// badges; nothing found says so.

describeInBrowser('the directory in the browser', { timeout: 90_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  it('searches by words and filters, with sector and language badges', async () => {
    await signIn(page, baseUrl, 'nora.partner@demo.example');
    await page.getByRole('link', { name: 'Répertoire' }).click();
    await page.waitForURL(`${baseUrl}/directory`);
    const cards = page.locator('.directory-results > li');
    await expect.poll(() => cards.count()).toBeGreaterThan(0);
    await expectAccessibleInEveryLanguage(page);

    await page.getByLabel('Mots').fill('logement');
    await page.getByLabel('Secteur').selectOption('housing');
    await page.getByRole('button', { name: 'Chercher', exact: true }).click();
    await page.waitForURL(/q=logement/);
    await expect.poll(() => cards.count()).toBeGreaterThan(0);
    for (const card of await cards.all()) await expectText(card.locator('.badge-phase').first(), /\S/);
    const sectors = await cards.locator('.item-meta').first().textContent();
    expect(sectors).toBeTruthy();
    expect(await page.locator('.directory-results').textContent()).toContain('Logement');
    // Language badges say the language to screen readers too.
    await expectText(cards.first().locator('.badge-language').first(), /(FR|NL)\s*(français|néerlandais)/i);

    await page.getByLabel('Mots').fill('zzzz qqqq');
    await page.getByRole('button', { name: 'Chercher', exact: true }).click();
    await expectText(page.locator('main'), /Rien ne correspond/);
    await expectAccessibleInEveryLanguage(page);
  });
});
