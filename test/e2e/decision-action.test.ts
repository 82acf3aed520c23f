import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations, startBrowserSession } from '../helpers/browser.ts';
import { expectAccessibleInEveryLanguage, expectText, signIn } from '../helpers/web.ts';

// Issue 14 (part 4), consultations: a decision becomes an action with an owner in one step, and
// the client is among who took part.
// Léa takes decision 2 of the November consultation ("Nora bekijkt de overstap naar het
// houtatelier…") and gives it to Nora; the action keeps the decision, and Nora sees it as hers.

const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';
const MEETING = 'Netwerkoverleg Karim: wonen en werk';
const DECISION = 'Nora bekijkt de overstap naar het houtatelier met de chef.';

describeInBrowser('a decision becomes an action', { timeout: 120_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const title = `Overstap houtatelier bespreken ${Date.now()}`;

  it('asks who does it, then makes the action from the decision Léa chose', async () => {
    await signIn(page, baseUrl, 'lea.lead@demo.example');
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
    const meetings = page.locator('#step-meetings');
    await meetings.getByRole('button', { name: `Van een beslissing een actie maken (${MEETING})` }).click();
    const form = meetings.locator('form');
    await form.getByLabel('Beslissing').selectOption({ label: DECISION });
    await form.getByLabel('Actie', { exact: true }).fill(title);
    await form.getByRole('button', { name: 'Actie maken' }).click();
    // Nobody chosen yet: said next to the field, nothing written.
    await expectText(form.locator('.field-invalid'), /Kies wie deze actie doet\./);
    await expectNoAxeViolations(page);
    const owner = form.getByLabel('Wie doet het');
    const nora = await owner.locator('option', { hasText: 'Nora El Idrissi' }).getAttribute('value');
    await owner.selectOption(nora ?? '');
    await form.getByRole('button', { name: 'Actie maken' }).click();

    const action = page.locator('#step-approach .item', { hasText: title });
    await expectText(action, /Nora El Idrissi/);
    await expectText(action, new RegExp(`Beslist in het overleg\\s*${DECISION.replace(/\./g, '\\.')}`));
    await expectAccessibleInEveryLanguage(page);
  });

  it('shows Nora the action as hers', async () => {
    await context.clearCookies();
    await signIn(page, baseUrl, 'nora.partner@demo.example');
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
    const action = page.locator('.item', { hasText: title });
    await expectText(action, /Nora El Idrissi/);
    expect(await action.count()).toBe(1);
  });

  // Issue 14: the client takes part in consultations without being a member of their own network.
  it('names Karim among who took part, to Léa and to Karim himself, and lets Léa record it', async () => {
    await context.clearCookies();
    await signIn(page, baseUrl, 'lea.lead@demo.example');
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
    const meeting = page.locator('#step-meetings .item', { hasText: MEETING });
    await expectText(meeting, /Deelnemers:\s*Karim Benali, /);
    await meeting
      .getByRole('button', { name: /^Wijzigen/ })
      .first()
      .click();
    const tookPart = meeting.getByRole('checkbox', { name: 'Karim Benali was erbij' });
    expect(await tookPart.isChecked()).toBe(true);
    await tookPart.uncheck();
    await meeting.getByRole('button', { name: 'Bewaren' }).click();
    await expect
      .poll(async () => (await meeting.textContent()) ?? '')
      .not.toMatch(/Deelnemers:\s*Karim Benali/);
    await meeting
      .getByRole('button', { name: /^Wijzigen/ })
      .first()
      .click();
    await meeting.getByRole('checkbox', { name: 'Karim Benali was erbij' }).check();
    await meeting.getByRole('button', { name: 'Bewaren' }).click();
    await expectText(meeting, /Deelnemers:\s*Karim Benali, /);

    await context.clearCookies();
    await signIn(page, baseUrl, 'karim.client@demo.example');
    await page.goto(`${baseUrl}/my/plan`);
    await expectText(page.locator('.my-meeting', { hasText: MEETING }), /Qui était là\s*:\s*vous, /);
  });
});
