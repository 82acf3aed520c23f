import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations, startBrowserSession } from '../helpers/browser.ts';
import {
  expectAccessibleInEveryLanguage,
  expectText,
  signIn,
  signOut,
  switchLanguage,
} from '../helpers/web.ts';

// Continuity (issue 14, part 8): Léa opens Marie's closed plan again for a new start, then hands
// Karim's plan over to her colleague Tom and leaves its network; Tom leads it from then on.

const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';
const MARIE_PLAN = 'de000000-0000-4000-8000-000000000404';

describeInBrowser('handover and reopening in the browser', { timeout: 150_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  it('opens a closed plan again after saying what that does', async () => {
    await signIn(page, baseUrl, 'lea.lead@demo.example');
    await page.goto(`${baseUrl}/plans/${MARIE_PLAN}`);
    await expectAccessibleInEveryLanguage(page);
    // The dialog, checked in French and in Dutch.
    await switchLanguage(page, 'fr');
    await page.getByRole('button', { name: 'Rouvrir le plan' }).click();
    await expectText(page.getByRole('dialog'), /Les accords donnés avant restent terminés/);
    await expectNoAxeViolations(page);
    await page.keyboard.press('Escape');
    await switchLanguage(page, 'nl');
    await page.getByRole('button', { name: 'Plan opnieuw openen' }).click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog, /Iedereen van het netwerk van vroeger wordt verleden/);
    await expectNoAxeViolations(page);
    await dialog
      .getByLabel('Waarom het plan opnieuw opengaat')
      .fill('Marie vraagt opnieuw hulp bij het wonen.');
    await dialog.getByRole('button', { name: 'Plan opnieuw openen' }).click();
    // A new start: the plan can be closed again, and handed over.
    await expect.poll(() => page.getByRole('button', { name: 'Plan afsluiten' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Plan opnieuw openen' }).count()).toBe(0);
    await expectAccessibleInEveryLanguage(page);
  });

  it('hands Karim’s plan over to Tom with Karim’s consent, and Léa no longer sees it', async () => {
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
    await switchLanguage(page, 'fr');
    await page.getByRole('button', { name: 'Confier le plan' }).click();
    await expectText(page.getByRole('dialog'), /Faites-le seulement si la personne est d’accord/);
    await expectNoAxeViolations(page);
    await page.keyboard.press('Escape');
    await switchLanguage(page, 'nl');
    await page.getByRole('button', { name: 'Plan doorgeven' }).click();
    const dialog = page.getByRole('dialog');
    const newLead = dialog.getByLabel('Nieuwe referentiebegeleider');
    await expect.poll(() => newLead.locator('option', { hasText: 'Tom De Smet' }).count()).toBe(1);
    // Without the consent, nothing is sent and the form says what is missing.
    await dialog.getByRole('button', { name: 'Plan doorgeven' }).click();
    await expectText(dialog.locator('.field-invalid').first(), /Vul dit in/);
    await newLead.selectOption({ label: 'Tom De Smet' });
    await dialog.getByLabel('Ik verlaat het netwerk').check();
    await dialog.getByLabel('de cliënt zei het (mondeling)').check();
    await dialog.getByLabel('Notitie').fill('Karim ging akkoord op het gesprek van maandag.');
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: 'Plan doorgeven' }).click();
    await page.waitForURL(`${baseUrl}/plans`);
    await page.locator('main h1').first().waitFor();
    expect(await page.locator('main').getByRole('link', { name: 'Karim Benali' }).count()).toBe(0);
    await signOut(page);
  });

  it('lets Tom lead Karim’s plan from then on', async () => {
    await signIn(page, baseUrl, 'tom.colead@demo.example');
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
    await expect.poll(() => page.getByRole('button', { name: 'Plan doorgeven' }).count()).toBe(1);
    await expectAccessibleInEveryLanguage(page);
  });
});
