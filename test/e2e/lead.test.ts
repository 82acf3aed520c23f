import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations, startBrowserSession } from '../helpers/browser.ts';
import {
  apiInPage,
  expectAccessibleInEveryLanguage,
  expectText,
  screenshot,
  signIn,
} from '../helpers/web.ts';

// Léa, lead support worker (Dutch): her clients, registering a client, the plan page step by step,
// editing a section (and someone else editing it first), moving along the method, closing a plan.

const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';
const JAN_PLAN = 'de000000-0000-4000-8000-000000000403';

describeInBrowser('the lead in the browser', { timeout: 90_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.setViewportSize({ width: 1280, height: 900 });

  it('lists her clients with phase and next evaluation, and searches them', async () => {
    await signIn(page, baseUrl, 'lea.lead@demo.example');
    expect(page.url()).toBe(`${baseUrl}/plans`);
    const rows = page.locator('section', { hasText: 'Mijn cliënten' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await expectText(rows.filter({ hasText: 'Karim Benali' }), /Partners en overleg/);
    await expectAccessibleInEveryLanguage(page);

    await page.getByLabel('Naam van de cliënt').fill('karim');
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await page.waitForURL(/q=karim/);
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Naam van de cliënt').fill('');
    await page.getByLabel('Fase').selectOption('closed');
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await page.waitForURL(/phase=closed/);
    await expectText(rows, /Marie Dubois/);
    await page.getByLabel('Naam van de cliënt').fill('niemand-zo');
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await expectText(page.locator('main'), /Geen enkele cliënt past bij deze zoekopdracht/);
  });

  it('has an accessible registration form that says what is missing', async () => {
    await page.goto(`${baseUrl}/plans/new`);
    await page.getByRole('button', { name: 'Inschrijven en het plan openen' }).click();
    await expectText(page.locator('.field-invalid').first(), /Vul dit in/);
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('first-name');
    await expectAccessibleInEveryLanguage(page);
  });

  it('shows the plan one step of the method after the other, in every language', async () => {
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
    await expectText(page.locator('main h1'), /Netwerkplan van Karim Benali/);
    const steps = await page.locator('main section.step h2').allTextContents();
    expect(steps.map((s) => s.replace(/\s+/g, ' ').trim())).toEqual([
      '1 Inschrijving',
      '2 Vraagverduidelijking',
      '3 Doelen',
      '4 Plan van aanpak',
      '5 Partners en afspraken',
      '6 Overleg',
      '7 Evaluatie',
      '8 Einde van de samenwerking',
    ]);
    // Issue 15: one name per step: the stepper says what the sections say, and takes you there.
    // (A step done shows a check, not its number.)
    const name = (text: string) =>
      text
        .replace(/\s+/g, ' ')
        .replace(/ — .*$/, '')
        .replace(/^\d+ /, '')
        .trim();
    const stepper = await page.locator('.stepper-step a').allTextContents();
    expect(stepper.map(name)).toEqual(steps.map(name));
    // Working with the partners is one phase of two steps: choosing them and consulting them.
    expect(await page.locator('.stepper-current').allTextContents()).toEqual([
      expect.stringMatching(/Partners en afspraken/),
      expect.stringMatching(/Overleg/),
    ]);
    await expectText(page.locator('#step-approach'), /acties? (is|zijn) te laat/);
    await page.setViewportSize({ width: 1280, height: 1600 });
    await screenshot(page, 'lead-plan-page', false);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('.stepper-step a', { hasText: 'Evaluatie' }).click();
    expect(new URL(page.url()).hash).toBe('#step-evaluation');
    await expectAccessibleInEveryLanguage(page);
  });

  it('edits a section, and says so when someone else changed it first', async () => {
    await page.getByRole('button', { name: 'Wijzigen: Hulpvraag' }).click();
    await page
      .getByLabel('Verduidelijkte vraag')
      .fill('Een eigen studio, en het werk in de werkplaats houden.');
    await page.getByRole('button', { name: 'Bewaren' }).click();
    await expectText(
      page.locator('#step-request'),
      /Een eigen studio, en het werk in de werkplaats houden\./,
    );

    // Léa opens the form; meanwhile a colleague saves another version.
    await page.getByRole('button', { name: 'Wijzigen: Hulpvraag' }).click();
    await page.getByLabel('Verduidelijkte vraag').fill('Mijn versie');
    const current = await apiInPage<{ version: number }>(page, 'GET', `/plans/${KARIM_PLAN}/request`);
    await apiInPage(
      page,
      'PUT',
      `/plans/${KARIM_PLAN}/request`,
      { clarifiedQuestion: 'De versie van Tom' },
      current.version,
    );
    await page.getByRole('button', { name: 'Bewaren' }).click();
    // Issue 15: what she typed stays, the newer version is shown above it; cancelling keeps Tom's.
    const form = page.locator('#step-request form');
    await expectText(form, /Iemand anders bewaarde een nieuwere versie/);
    expect(await page.getByLabel('Verduidelijkte vraag').inputValue()).toBe('Mijn versie');
    await expectText(page.locator('#step-request .newer-version'), /De versie van Tom/);
    await form.getByRole('button', { name: 'Annuleren' }).click();
    await expectText(page.locator('#step-request'), /De versie van Tom/);
    expect(await page.locator('#step-request').textContent()).not.toContain('Mijn versie');
  });

  it('moves a plan along the method, says why it cannot go on, and closes it after confirming', async () => {
    await page.goto(`${baseUrl}/plans/${JAN_PLAN}`);
    await expectText(page.locator('.stepper-current'), /Inschrijving/);
    await page.getByRole('button', { name: 'Naar de volgende stap: Vraagverduidelijking' }).click();
    await expectText(page.locator('.stepper-current'), /Vraagverduidelijking/);
    // The lead goes on where the work of that step is done.
    await expect
      .poll(() => page.evaluate<string | undefined>('document.activeElement?.id'))
      .toBe('step-request-title');
    await page.getByRole('button', { name: 'Naar de volgende stap: Doelen' }).click();
    await expectText(page.locator('.stepper [role=alert]'), /Schrijf eerst de verduidelijkte vraag op/);

    await page.getByRole('button', { name: 'Het plan afsluiten' }).click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog, /Elke toestemming stopt nu\. Partners zien niets meer van dit plan\./);
    await dialog.getByRole('button', { name: 'Ja, het plan afsluiten' }).click();
    // The kind of reason and the lead's words are both asked for.
    await expect.poll(() => dialog.locator('.field-invalid').count()).toBe(2);
    await expectText(dialog.locator('fieldset.field-invalid'), /Waarom stopt de samenwerking\?.*Vul dit in/s);
    await expectNoAxeViolations(page);
    await dialog.getByRole('radio', { name: 'Verhuisd' }).check();
    await dialog
      .getByLabel('In je eigen woorden')
      .fill('Jan verhuist naar Gent; de begeleiding daar neemt over.');
    await dialog.getByLabel('Overdracht').fill('Overdracht aan het CAW in Gent.');
    await dialog.getByRole('button', { name: 'Ja, het plan afsluiten' }).click();
    await expectText(page.locator('main'), /Dit plan werd afgesloten op/);
    await expectText(page.locator('#step-closure'), /Reden\s*Verhuisd/);
    await expectText(page.locator('.stepper-current'), /Einde van de samenwerking/);
    expect(await page.getByRole('button', { name: /^Wijzigen/ }).count()).toBe(0);
  });

  it('shows who looked at a plan, as sentences', async () => {
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}/access-log`);
    await expectText(page.locator('.log-list'), /Léa Janssens|Jij/);
    await expectAccessibleInEveryLanguage(page);
  });
});
