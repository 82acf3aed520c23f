import { expect, it } from 'vitest';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import { expectAccessibleInEveryLanguage, expectText, signIn } from '../helpers/web.ts';

// Ada, organisation admin: the organisation's users; creating an account, setting who is bound by
// professional secrecy, disabling an account. She never sees plan content.

describeInBrowser('the organisation admin in the browser', { timeout: 90_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  it('lists the users of her organisation, and has no plans', async () => {
    await signIn(page, baseUrl, 'ada.admin@demo.example');
    expect(page.url()).toBe(`${baseUrl}/admin/users`);
    const rows = page.locator('main tbody tr');
    await expectText(rows.filter({ hasText: 'Léa Janssens' }), /Gebonden/);
    expect(await page.getByRole('link', { name: 'Mijn plannen' }).count()).toBe(0);
    await expectAccessibleInEveryLanguage(page);
  });

  it('is never spoken to as a client or a support worker (issue 15)', async () => {
    // The client's pages ("ask your support worker") and the plans ("register a client") are not
    // hers: typed in by hand, they bring her back to her own start page.
    for (const path of ['/my', '/my/plan', '/plans']) {
      await page.goto(`${baseUrl}${path}`);
      await page.waitForURL(`${baseUrl}/admin/users`);
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).not.toMatch(/Vraag het aan je begeleider|Meld een cliënt aan|Je begeleidt nog geen plan/);
    }
  });

  it('creates an account, changes the secrecy flag and disables the account, each after confirming', async () => {
    await page.getByRole('button', { name: 'Een gebruiker toevoegen' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Bewaren' }).click();
    await expectText(dialog.locator('.field-invalid').first(), /Vul dit in/);
    await dialog.getByLabel('Naam').fill('Mira Claes');
    await dialog.getByLabel('E-mailadres').fill('mira.claes@demo.example');
    await dialog.getByLabel('Gebonden door het beroepsgeheim').check();
    await dialog.getByLabel('Eerste wachtwoord').fill('een-lang-wachtwoord-2026');
    await dialog.getByRole('button', { name: 'Bewaren' }).click();
    const mira = page.locator('main tbody tr', { hasText: 'Mira Claes' });
    await expectText(mira, /Gebonden/);

    await mira.getByRole('button', { name: 'Wijzigen: Beroepsgeheim, Mira Claes' }).click();
    await expectText(
      page.getByRole('dialog'),
      /Mira Claes wordt niet langer aangeduid als gebonden door het beroepsgeheim/,
    );
    await page.getByRole('dialog').getByRole('button', { name: 'Ja, wijzigen' }).click();
    await expectText(mira, /Niet gebonden/);

    await mira.getByRole('button', { name: 'Uitschakelen: Mira Claes' }).click();
    await expectText(page.getByRole('dialog'), /Mira Claes kan zich niet meer aanmelden/);
    await page.getByRole('dialog').getByRole('button', { name: 'Ja, wijzigen' }).click();
    await expectText(mira, /Uitgeschakeld/);
    await mira.getByRole('button', { name: 'Opnieuw inschakelen: Mira Claes' }).waitFor();
  });

  it('edits what her organisation proposes to share per partner role (issue 15)', async () => {
    await page.goto(`${baseUrl}/admin/organization`);
    const roles = page.locator('section[aria-labelledby="role-templates-title"]');
    const coach = roles.locator('li', { has: page.getByRole('heading', { name: 'Jobcoach', exact: true }) });
    await expectText(coach, /Doelen.*Plan van aanpak/);
    await expectAccessibleInEveryLanguage(page);
    await roles.getByRole('button', { name: 'Wijzigen: Jobcoach' }).click();
    await roles.getByRole('checkbox', { name: 'Doelen' }).uncheck();
    await roles.getByRole('button', { name: 'Bewaren' }).click();
    await expect.poll(async () => (await coach.textContent()) ?? '').not.toMatch(/Doelen/);
    await expectText(coach, /Plan van aanpak/);
  });
});
