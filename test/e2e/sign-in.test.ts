import { describe, expect, it } from 'vitest';
import { browserAvailable, expectNoAxeViolations, startBrowserSession } from '../helpers/browser.ts';

describe.runIf(browserAvailable())('sign-in in the browser', async () => {
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
    await page.waitForURL(`${baseUrl}/`);
    await expect.poll(() => page.locator('h1').textContent()).toContain('Léa');
    // Léa's language is Dutch.
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    await expectNoAxeViolations(page);
    await page.close();
  });
});
