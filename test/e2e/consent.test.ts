import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations, startBrowserSession } from '../helpers/browser.ts';
import { expectAccessibleInEveryLanguage, expectText, screenshot, signIn } from '../helpers/web.ts';

// Léa records and withdraws consent on Karim's plan: members × sections with what is shared now,
// since and until when and how it was recorded; secrecy-bound sections unavailable to Nora (not
// bound by professional secrecy); a confirmation that says in words what will change; and "see
// what they see".

const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';

describeInBrowser('the consent screen in the browser', { timeout: 90_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.setViewportSize({ width: 1280, height: 900 });

  const cell = (section: string, member: string) =>
    page.getByRole('button', { name: new RegExp(`^${section}\\s+${member}\\s`) });

  it('shows members × sections, what is shared since and until when, and the history', async () => {
    await signIn(page, baseUrl, 'lea.lead@demo.example');
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}/consent`);
    await expectText(page.locator('main h1'), /Wie ziet wat — Karim Benali/);
    const headers = await page.locator('.consent-table thead .consent-member').allTextContents();
    // Partners with an account, and members without one yet, whose consent waits for their account
    // (DESIGN.md, "Accounts"); never the lead, the co-lead nor a past member.
    expect([...headers].sort()).toEqual(
      [
        'Paul Verhaegen',
        'Nora El Idrissi',
        'Samuel Lambert',
        'Julie Renard',
        'Dr Hélène Vandamme',
        'Inès Martin',
        'Yasmina Benali',
        'Jacques Lenoir',
      ].sort(),
    );
    await expectText(cell('Doelen', 'Paul Verhaegen'), /Gedeeld\s*sinds .*geen einddatum/);
    await expectText(cell('Hulpvraag', 'Paul Verhaegen'), /Niet gedeeld/);
    // How it was recorded: the history tells who, when and how.
    await expectText(
      page.locator('.grant-history'),
      /Genoteerd door Léa Janssens op .*: de cliënt ging schriftelijk akkoord/,
    );
    await expectText(page.locator('.grant-history'), /Ingetrokken door Karim Benali/);
    await screenshot(page, 'consent-screen');
    await expectAccessibleInEveryLanguage(page);
  });

  it('never offers secrecy-bound sections to Nora, who is not bound by professional secrecy', async () => {
    // The member carries their account's secrecy flag: the screen says why before anyone tries.
    const background = page.locator('tr', { hasText: 'Situatie en voorgeschiedenis' });
    const forbidden = background.locator('td', { hasText: 'Nora El Idrissi' });
    await expectText(forbidden, /Niet toegelaten/);
    expect(await forbidden.getByRole('button').count()).toBe(0);
    // Informal supporters never receive secrecy-bound sections either; a professional without an
    // account yet may be given them, which take effect once their secrecy is confirmed.
    await expectText(background.locator('td', { hasText: 'Yasmina Benali' }), /Niet toegelaten/);
    expect(await cell('Situatie en voorgeschiedenis', 'Yasmina Benali').count()).toBe(0);
    expect(await cell('Situatie en voorgeschiedenis', 'Julie Renard').count()).toBe(1);
    expect(await cell('Situatie en voorgeschiedenis', 'Nora El Idrissi').count()).toBe(0);
    // Sections that are not secrecy-bound stay available to her; a meeting goes to her without its
    // discussion notes (DESIGN.md, "Sections": the meeting is split).
    expect(await cell('Overleg', 'Nora El Idrissi').count()).toBe(1);
    expect(await cell('Doelen', 'Nora El Idrissi').count()).toBe(1);
    // Paul is bound by professional secrecy: for him the section stays available.
    expect(await cell('Situatie en voorgeschiedenis', 'Paul Verhaegen').count()).toBe(1);
    expect(await cell('Overleg', 'Paul Verhaegen').count()).toBe(1);
  });

  it('gives consent until a date, after a confirmation that says what will change', async () => {
    await cell('Doelen', 'Samuel Lambert').click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog, /Ging Karim Benali akkoord dat Samuel Lambert de doelen ziet\?/);
    await dialog.getByRole('radio', { name: 'De cliënt ging schriftelijk akkoord' }).check();
    await dialog.getByRole('radio', { name: 'Tot een datum' }).check();
    const year = new Date().getFullYear() + 1;
    await dialog.getByLabel('Laatste dag').fill(`${year}-06-30`);
    await dialog.getByRole('button', { name: 'Verder' }).click();
    await expectText(
      dialog,
      /Vanaf nu ziet Samuel Lambert de doelen van het plan van Karim Benali\.\s+Tot 30 juni/,
    );
    await expectText(dialog, /Je noteert dat Karim Benali schriftelijk akkoord ging\./);
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: 'Ja, delen' }).click();
    await expectText(
      cell('Doelen', 'Samuel Lambert'),
      new RegExp(`Gedeeld\\s*sinds .*tot 30 jun\\.? ${year}`),
    );
  });

  it('withdraws consent after saying in words what will change', async () => {
    await cell('Crisisplan', 'Paul Verhaegen').click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog, /Paul Verhaegen ziet het crisisplan van het plan van Karim Benali niet meer\./);
    await expectText(dialog, /Dit geldt meteen\./);
    await dialog.getByRole('button', { name: 'Ja, stoppen met delen' }).click();
    await expectText(cell('Crisisplan', 'Paul Verhaegen'), /Niet gedeeld/);
    await expectText(
      page.locator('.grant-history'),
      /Paul Verhaegen — Crisisplan[\s\S]*Ingetrokken door Léa Janssens/,
    );
  });

  it('shows exactly what a member sees', async () => {
    await page.getByRole('button', { name: 'Bekijk wat zij zien: Nora El Idrissi' }).click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog, /Dit is precies wat Nora El Idrissi nu van dit plan ziet\./);
    await dialog.getByRole('heading', { name: 'Doelen', level: 3 }).waitFor();
    await dialog.getByRole('heading', { name: 'Plan van aanpak', level: 3 }).waitFor();
    await expectText(dialog, /Niet met hen gedeeld:.*Situatie en voorgeschiedenis/);
    expect(await dialog.getByRole('heading', { name: 'Situatie en voorgeschiedenis' }).count()).toBe(0);
    await expectNoAxeViolations(page);
    await page.keyboard.press('Escape');
  });
});
