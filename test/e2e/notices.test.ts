import { expect, it } from 'vitest';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import { expectAccessibleInEveryLanguage, expectText, signIn, signOut } from '../helpers/web.ts';

// The inbox in the browser (issue 14, parts 2 and 3): Karim writes to his support worker from his
// phone, in French; Léa finds the notice through the bell, reads the message and marks it read;
// the digest switch on the account page. Keyboard-reachable, and axe-clean in every language.

describeInBrowser('notices in the browser', { timeout: 120_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  // Unique, so that the notice found is this test's.
  const message = `Mon rendez-vous chez le médecin est déplacé (${Date.now()})`;

  it('lets Karim write to his support worker from a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, baseUrl, 'karim.client@demo.example');
    await page.goto(`${baseUrl}/my`);
    const form = page.locator('section', { has: page.locator('#write-title') });
    await expectText(form.locator('h2'), /Écrire à votre accompagnateur/);
    // An empty message is refused with words, not sent.
    await form.getByRole('button', { name: 'Envoyer' }).click();
    await expectText(page.locator('#write-feedback'), /Écrivez d’abord quelque chose/);
    await form.getByLabel('Votre message').fill(message);
    await form.getByLabel('Votre message').press('Tab');
    await page.keyboard.press('Enter');
    await expectText(page.locator('#write-feedback'), /Votre message a été envoyé à Léa/);
    expect(await page.evaluate('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(390);
    await expectAccessibleInEveryLanguage(page);
    await signOut(page);
  });

  it('brings the message to Léa through the bell, and marks it read', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, baseUrl, 'lea.lead@demo.example');
    const bell = page.getByRole('link', { name: /^Berichten: \d+ nieuw$/ });
    const unreadBefore = Number((await bell.getAttribute('aria-label'))?.match(/\d+/)?.[0]);
    expect(unreadBefore).toBeGreaterThanOrEqual(1);
    await bell.click();
    await page.waitForURL(`${baseUrl}/notifications`);
    const notice = page.locator('article', { hasText: message });
    await expectText(notice.locator('h2'), /Een bericht van je cliënt/);
    await expectText(notice, /Karim Benali/);
    await expectAccessibleInEveryLanguage(page);

    await notice.getByRole('button', { name: /^Markeer als gelezen/ }).click();
    await expect.poll(() => notice.getByRole('button', { name: /^Markeer als gelezen/ }).count()).toBe(0);
    await expect
      .poll(async () => await page.getByRole('link', { name: /^Berichten:/ }).getAttribute('aria-label'))
      .toBe(unreadBefore === 1 ? 'Berichten: geen nieuwe' : `Berichten: ${unreadBefore - 1} nieuw`);
  });

  it('lets Léa switch the daily e-mail off and on again on her account page', async () => {
    await page.goto(`${baseUrl}/account`);
    const digest = page.getByLabel('Stuur me één e-mail per dag als er nieuwe berichten zijn');
    const before = await digest.isChecked();
    await digest.setChecked(!before);
    await expectText(page.locator('main'), /Bewaard\./);
    await page.reload();
    expect(await digest.isChecked()).toBe(!before);
    await digest.setChecked(before);
    await expectText(page.locator('main'), /Bewaard\./);
    await expectAccessibleInEveryLanguage(page);
  });
});
