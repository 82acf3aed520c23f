import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations, startBrowserSession } from '../helpers/browser.ts';
import { apiInPage, expectAccessibleInEveryLanguage, expectText, signIn } from '../helpers/web.ts';

// Continuity (issue 14, part 8): "or a returning client registered again and linked to the earlier
// plan". Marie's plan was closed; she comes back, and Léa opens a new plan for her from the old one,
// which stays closed.

const MARIE_PLAN = 'de000000-0000-4000-8000-000000000404';
const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';

describeInBrowser('a returning client registered again', { timeout: 120_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  it('opens a new plan linked to the closed one, after saying what that does', async () => {
    await signIn(page, baseUrl, 'lea.lead@demo.example');
    await page.goto(`${baseUrl}/plans/${MARIE_PLAN}`);
    await page.getByRole('button', { name: /^Nieuw plan voor Marie/ }).click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog, /Dit plan blijft afgesloten zoals het is, met zijn geschiedenis\./);
    await expectNoAxeViolations(page);
    await dialog
      .getByLabel(/^Wat vraagt Marie .* nu, in eigen woorden\?/)
      .fill('Ik zoek opnieuw een woning.');
    await dialog.getByRole('button', { name: 'Nieuw plan openen' }).click();

    await page.waitForURL((url) => url.pathname.startsWith('/plans/') && !url.pathname.endsWith(MARIE_PLAN));
    await expectText(page.locator('main'), /Dit plan volgt op een eerder, afgesloten plan van Marie/);
    await expectText(page.locator('.stepper-current'), /Inschrijving/);
    await expectText(page.locator('#step-request'), /Ik zoek opnieuw een woning\./);
    await expectAccessibleInEveryLanguage(page);

    // The earlier plan is one link away, and stays closed.
    await page.getByRole('link', { name: 'Naar het eerdere plan' }).click();
    await page.waitForURL(`${baseUrl}/plans/${MARIE_PLAN}`);
    await expectText(page.locator('main'), /Dit plan werd afgesloten op/);
    expect(await page.getByRole('button', { name: 'Plan opnieuw openen' }).count()).toBe(1);
  });

  it('shows Karim, registered again, his new plan with a link to the earlier one', async () => {
    // Léa closes Karim's plan and registers him again (the browser steps are those above).
    const { version } = await apiInPage<{ version: number }>(page, 'GET', `/plans/${KARIM_PLAN}`);
    await apiInPage(
      page,
      'POST',
      `/plans/${KARIM_PLAN}/close`,
      { date: '2026-11-30', reason: 'Doelen bereikt.', reasonKind: 'goals_reached', handover: '' },
      version,
    );
    const next = await apiInPage<{ id: string }>(page, 'POST', `/plans/${KARIM_PLAN}/register-again`, {
      request: { clientWords: 'Ik wil opnieuw begeleiding voor mijn geld.' },
    });
    await context.clearCookies();
    await signIn(page, baseUrl, 'karim.client@demo.example');
    await page.goto(`${baseUrl}/my/plan`);
    await expectText(page.locator('main'), /Ik wil opnieuw begeleiding voor mijn geld\./);
    await expectText(page.locator('main'), /Vous aviez déjà un plan chez nous/);
    await expectAccessibleInEveryLanguage(page);
    await page
      .getByRole('link', { name: /Vers mon plan précédent|Naar mijn eerdere plan|To my earlier plan/ })
      .click();
    await page.waitForURL(`${baseUrl}/plans/${KARIM_PLAN}`);
    expect(next.id).not.toBe(KARIM_PLAN);
  });
});
