import { expect, it } from 'vitest';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import { expectAccessibleInEveryLanguage, expectText, signIn } from '../helpers/web.ts';

// Nora (job coach, French, not bound by professional secrecy) and Paul (psychiatrist): the plans
// shared with them, only the consented sections with a plain note of what is not shared, and the
// actions they own.

const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';

describeInBrowser('partners in the browser', { timeout: 90_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  it('shows Nora what is shared with her, and names what is not', async () => {
    await signIn(page, baseUrl, 'nora.partner@demo.example');
    const shared = page.locator('section', { hasText: 'Partagés avec moi' });
    await expectText(shared, /Karim Benali/);
    await expectText(shared, /Fatima Amrani/);
    // Issue 15: she leads no plan, so her home starts with what is shared with her: no empty
    // "Mes personnes accompagnées" block, nor a search in plans she does not lead.
    expect(await page.locator('main h2').allTextContents()).toEqual(['Partagés avec moi']);
    expect(await page.getByRole('search').count()).toBe(0);
    await expectAccessibleInEveryLanguage(page);

    await shared.getByRole('link', { name: 'Karim Benali' }).click();
    await page.waitForURL(`${baseUrl}/plans/${KARIM_PLAN}`);
    const headings = await page.locator('main h3').allTextContents();
    expect(headings.map((h) => h.trim())).toEqual(['Objectifs', 'Plan d’action']);
    const note = page.locator('section.notice');
    await expectText(note, /La personne n’a pas partagé ces parties avec vous : le réseau, la demande,/);
    // Issue 15: the background is withheld by the secrecy rule, not by the client's choice, and the
    // note says so apart.
    await expectText(note, /La situation et le parcours relève du secret professionnel/);
    await expectText(note, /C’est la règle, pas le choix de la personne\./);
    expect(await note.textContent()).not.toMatch(/partagé ces parties avec vous : [^.]*la situation/);
    // The background's content never reaches her page.
    expect(await page.locator('main').textContent()).not.toContain('Psychotische stoornis');
    // Nora sees the lead and how to reach them.
    await expectText(page.locator('main .panel'), /Léa Janssens — Begeleid Wonen Brussel vzw/);
    await expectAccessibleInEveryLanguage(page);
  });

  it('lets Paul update the action he owns, and only that one', async () => {
    await page.locator('.sign-out button').click();
    await page.waitForURL(/\/login/);
    await signIn(page, baseUrl, 'paul.partner@demo.example');
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
    const updates = page.getByRole('button', { name: /^Bijwerken: / });
    await expect.poll(() => updates.count()).toBe(1);
    await updates.click();
    const action = page.locator('.item', {
      hasText: 'Maandelijkse consultatie en opvolging van de behandeling',
    });
    await action.getByLabel('Stand van zaken').selectOption('done');
    await action
      .getByLabel('Een notitie toevoegen')
      .fill('Behandeling stabiel; volgende consultatie over drie maanden.');
    await action.getByRole('button', { name: 'Bewaren' }).click();
    await expectText(action, /Klaar/);
    await expectText(action, /Behandeling stabiel; volgende consultatie over drie maanden\./);
    // Added to the action's thread: his earlier note stays (issue 14).
    await expectText(action, /Volgende afspraak vastgelegd\. Geen wijziging nodig\./);
    await expectAccessibleInEveryLanguage(page);

    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}/network`);
    await page.locator('svg.network-map').waitFor();
    // Hidden and past members are not shown to partners.
    expect(
      await page
        .locator('svg.network-map')
        .getByRole('button', { name: /Mohamed Benali/ })
        .count(),
    ).toBe(0);
    expect(await page.getByRole('button', { name: 'Iemand toevoegen' }).count()).toBe(0);
    await expectAccessibleInEveryLanguage(page);
  });
});
