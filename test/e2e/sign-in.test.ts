import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations, startBrowserSession } from '../helpers/browser.ts';

describeInBrowser('sign-in in the browser', {}, async () => {
  const { baseUrl, context } = await startBrowserSession();

  it('sends a visitor to sign-in, signs Léa in and greets her, in her language', async () => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(/\/login\?next=/);
    await expectNoAxeViolations(page);

    await page.getByLabel(/e-?mail/i).fill('lea.lead@demo.example');
    await page
      .getByLabel(/password|wachtwoord|mot de passe/i)
      .first()
      .fill('wrong password');
    await page.getByRole('button', { name: /sign in|aanmelden|se connecter/i }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/\S/);

    await page
      .getByLabel(/password|wachtwoord|mot de passe/i)
      .first()
      .fill('liaison-demo');
    await page.getByRole('button', { name: /sign in|aanmelden|se connecter/i }).click();
    // Back where she was going: home, which for a lead is her plans.
    await page.waitForURL(`${baseUrl}/plans`);
    await expect.poll(() => page.locator('.signed-in').textContent()).toContain('Léa Janssens');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Mijn plannen');
    // Léa's language is Dutch.
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    await expectNoAxeViolations(page);
    await page.close();
  });
});
