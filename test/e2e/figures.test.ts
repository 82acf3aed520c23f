import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations, startBrowserSession } from '../helpers/browser.ts';
import { expectText, screenshot, signIn, switchLanguage, tabTo } from '../helpers/web.ts';

// Ada, organisation admin, reads her organisation's registration figures: charts with a table
// beside each, small counts as "< 5", a CSV download; never a client's name.

describeInBrowser('the registration figures in the browser', { timeout: 120_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.setViewportSize({ width: 1280, height: 900 });

  it('opens from the navigation, in Dutch, with charts, tables and no name', async () => {
    await signIn(page, baseUrl, 'ada.admin@demo.example');
    await page.getByRole('link', { name: 'Cijfers' }).click();
    await page.waitForURL(`${baseUrl}/admin/figures`);
    await expectText(page.locator('main h1'), /Registratiecijfers/);
    const charts = page.locator('main canvas[role="img"]');
    expect(await charts.count()).toBe(7);
    expect(await charts.first().getAttribute('aria-label')).toMatch(
      /^Staafdiagram: Nieuwe inschrijvingen, 12 periodes/,
    );

    // The demo registered two plans in the last twelve months, in two different months.
    const registrations = page.locator('section', { has: page.locator('#figure-registrations') });
    await registrations.getByText('Als tabel tonen').click();
    const table = registrations.locator('table');
    await expectText(table.locator('caption'), /Nieuwe inschrijvingen: de aantallen/);
    expect(await table.locator('tbody td', { hasText: '< 5' }).count()).toBe(2);
    await expectText(page.locator('main'), /betekent 1, 2, 3 of 4/);
    const text = (await page.locator('main').textContent()) ?? '';
    for (const name of ['Karim', 'Fatima', 'Marie', 'Benali', 'Amrani', 'Willems', 'Dubois'])
      expect(text).not.toContain(name);

    // Closures by the kind of reason the lead chose: the demo's one closure (Marie moved, two
    // months ago) is "< 5" under "Verhuisd"; the lead's words ("… naar Namen …") are never shown.
    const closures = page.locator('section', { has: page.locator('#figure-closures') });
    await expectText(closures.locator('h2'), /Afgesloten plannen per reden/);
    await closures.getByText('Als tabel tonen').click();
    const moved = closures.locator('tbody tr', { hasText: 'Verhuisd' });
    expect(await moved.locator('td', { hasText: '< 5' }).count()).toBe(1);
    expect(await closures.locator('tbody tr', { hasText: 'Doelen bereikt' }).count()).toBe(1);
    expect(text).not.toContain('Namen');
    await expectNoAxeViolations(page);
    await screenshot(page, 'figures-nl');
  });

  it('downloads the figures as CSV in the admin’s language', async () => {
    const link = page.getByRole('link', { name: 'Downloaden als rekenblad (CSV)' });
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(
      /^\/api\/organizations\/[0-9a-f-]{36}\/figures\.csv\?period=month&from=\d{4}-\d{2}-01&to=/,
    );
    const response = await page.request.get(`${baseUrl}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const body = await response.text();
    expect(body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Cijfer,Categorie,Periode,Aantal');
    expect(body).toContain(',< 5');
  });

  it('changes the period with the keyboard, and explains a period it cannot count', async () => {
    await page.locator('#figures-period').focus();
    await page.keyboard.press('End');
    expect(await page.locator('#figures-period').inputValue()).toBe('year');
    await page.keyboard.press('ArrowUp');
    expect(await page.locator('#figures-period').inputValue()).toBe('quarter');
    await tabTo(page, /^Cijfers tonen$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/period=quarter/);
    await expectText(page.locator('#figure-meetings'), /Gehouden overleggen/);
    const meetings = page.locator('section', { has: page.locator('#figure-meetings') });
    await meetings.getByText('Als tabel tonen').click();
    await expectText(meetings.locator('thead'), /K\d \d{4}/);

    await page.locator('#figures-from').fill('2026-05-01');
    await page.locator('#figures-to').fill('2026-01-01');
    await page.getByRole('button', { name: 'Cijfers tonen' }).click();
    await expectText(
      page.getByRole('alert').filter({ hasText: 'periode' }),
      /de eerste datum moet vóór de laatste liggen/,
    );
    expect(await page.locator('main canvas').count()).toBe(0);
  });

  it('shows the empty state for a period without plans', async () => {
    await page.goto(`${baseUrl}/admin/figures?period=year&from=2017-01-01&to=2017-12-31`);
    await expectText(page.locator('main .empty-state'), /Geen plannen geregistreerd in deze periode/);
  });

  it('reads in French, accessible, and fits a phone', async () => {
    await page.goto(`${baseUrl}/admin/figures`);
    await page.locator('main canvas').first().waitFor();
    await page.waitForLoadState('networkidle');
    await switchLanguage(page, 'fr');
    await expectText(page.locator('main h1'), /Chiffres d’inscription/);
    const languages = page.locator('section', { has: page.locator('#figure-languages') });
    await languages.getByText('Afficher en tableau').click();
    await expectText(languages.locator('tbody'), /français|néerlandais/);
    await expectNoAxeViolations(page);

    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoAxeViolations(page);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.evaluate("document.querySelector('main h1').scrollIntoView()");
    await screenshot(page, 'figures-phone-fr', false);
    await switchLanguage(page, 'nl');
  });
});
