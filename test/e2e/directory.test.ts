import { inArray, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { DEMO_IDS } from '../../db/seed/demo.ts';
import { auditEvents } from '../../db/schema/index.ts';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import { expectAccessibleInEveryLanguage, expectText, signIn } from '../helpers/web.ts';

// The partner directory: words in Dutch or French, filters, results with sector and language
// badges; nothing found says so.

describeInBrowser('the directory in the browser', { timeout: 90_000 }, async () => {
  const { baseUrl, context, db } = await startBrowserSession();
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
    // Language badges name the language, never a raw code.
    await expectText(cards.first().locator('.badge-language').first(), /^(français|néerlandais)$/i);

    await page.getByLabel('Mots').fill('zzzz qqqq');
    await page.getByRole('button', { name: 'Chercher', exact: true }).click();
    await expectText(page.locator('main'), /Rien ne correspond/);
    await expectAccessibleInEveryLanguage(page);
  });

  it("suggests people of an organisation without reading other clients' plans: no other plan's log changes", async () => {
    // Léa leads Karim's, Jan's and Marie's plans and co-works with Tom on Fatima's: adding someone
    // to Jan's network must not touch the others' access logs (issue 13, item 3).
    const others = [DEMO_IDS.karimPlan, DEMO_IDS.fatimaPlan, DEMO_IDS.mariePlan];
    const eventsOnOthers = async () =>
      (
        await db
          .select({ count: sql<number>`count(*)::int` })
          .from(auditEvents)
          .where(inArray(auditEvents.planId, others))
      )[0]?.count;
    await page.context().clearCookies();
    await signIn(page, baseUrl, 'lea.lead@demo.example');
    const before = await eventsOnOthers();
    await page.goto(`${baseUrl}/directory?planId=${DEMO_IDS.janPlan}&q=Atelier+Horizon&postcode=1140`);
    await page
      .locator('.card')
      .filter({ has: page.getByRole('heading', { name: 'Atelier Horizon', exact: true }) })
      .getByRole('button', { name: /Toevoegen aan het netwerk van/ })
      .click();
    // Nora works at Atelier Horizon and has an account: she is suggested, from the people query.
    await page
      .getByRole('dialog')
      .getByRole('radio', { name: /Nora El Idrissi/ })
      .waitFor();
    expect(await eventsOnOthers()).toBe(before);
  });

  it("shows the lead each organisation's one name, its name in her language and languages by name, in every language", async () => {
    // One name everywhere (as in the network and the access log); the Dutch name, when it differs,
    // under it and marked as Dutch.
    await page.goto(`${baseUrl}/directory?planId=${DEMO_IDS.karimPlan}&q=Relais+de+la+Nuit`);
    const relais = page
      .locator('.directory-results > li')
      .filter({ has: page.getByRole('heading', { name: 'Le Relais de la Nuit asbl', exact: true }) });
    await expectText(relais.locator('[lang="nl"]').first(), /^Le Relais de la Nuit vzw$/);
    await relais.getByRole('button', { name: /: Le Relais de la Nuit asbl$/ }).waitFor();
    await expectAccessibleInEveryLanguage(page, 'nl');

    // A language Intl has no name for: the filter and the badges still name it, in words.
    await page.getByRole('search').getByLabel('Taal').selectOption({ label: 'Berbertalen' });
    await page.getByLabel('Woorden').fill('');
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await page.waitForURL(/language=ber/);
    const cards = page.locator('.directory-results > li');
    await expect.poll(() => cards.count()).toBeGreaterThan(0);
    for (const card of await cards.all())
      expect(await card.locator('.badge-language').allTextContents()).toContain('Berbertalen');
    expect(await page.locator('.directory-results .badge-language').allTextContents()).not.toContain('ber');
    await expectAccessibleInEveryLanguage(page, 'nl');
  });
});
