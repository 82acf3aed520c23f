import { expect, it } from 'vitest';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import { apiInPage, expectAccessibleInEveryLanguage, expectText, signIn, signOut } from '../helpers/web.ts';

// Issue 15: the client's registration details are shown on the plan and corrected by the lead,
// and read by the client on their own plan; typed text survives a save that meets a newer version
// (412): two tabs edit the same goal, the second save keeps what was typed, shows the newer
// version, and saves again.

const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';

interface Overview {
  client: { version?: number };
  sections: { goals: { content: Array<{ id: string; title: string; version: number }> } };
}

describeInBrowser(
  'the lead edits: registration details, and a save that meets a newer version',
  { timeout: 180_000 },
  async () => {
    const { baseUrl, context } = await startBrowserSession();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.setViewportSize({ width: 1280, height: 900 });

    it('shows Karim’s registration details to Léa and lets her correct them', async () => {
      await signIn(page, baseUrl, 'lea.lead@demo.example');
      await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
      const details = page.locator('.editable', { has: page.locator('.client-details') });
      await expectText(details, /Geboortedatum/);
      await expectText(details, /Telefoon/);
      await expectText(details, /Heeft een tolk nodig/);

      await page.getByRole('button', { name: 'Wijzigen: Persoonlijke gegevens' }).click();
      const form = page.getByRole('form', { name: 'Persoonlijke gegevens' });
      await form.getByLabel('Telefoon').fill('+32 2 555 77 88');
      await form
        .getByRole('textbox', { name: 'Adres (niet verplicht)', exact: true })
        .fill('Hoogstraat 12, 1000 Brussel');
      await expectAccessibleInEveryLanguage(page);
      await form.getByRole('button', { name: 'Bewaren' }).click();
      await expectText(details, /\+32 2 555 77 88/);
      await expectText(details, /Hoogstraat 12, 1000 Brussel/);
      await expectAccessibleInEveryLanguage(page);
    });

    it('keeps what Léa typed when another tab saved the goal first, shows the newer version, and saves again', async () => {
      const other = await context.newPage();
      await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
      const overview = await apiInPage<Overview>(page, 'GET', `/plans/${KARIM_PLAN}`);
      const goal = overview.sections.goals.content[0]!;

      // The first tab opens the goal's form and types.
      await page.getByRole('button', { name: `Wijzigen: ${goal.title}` }).click();
      // The form, whatever its name: it is named by the goal's title, which the other tab changes.
      const form = page.locator('#step-goals form');
      const typed = 'Een eigen studio met begeleiding, tegen de zomer';
      await form.getByLabel('Doel', { exact: true }).fill(typed);

      // Meanwhile the second tab saves the same goal.
      await other.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
      await other.getByRole('button', { name: `Wijzigen: ${goal.title}` }).click();
      const otherForm = other.getByRole('form', { name: goal.title });
      await otherForm.getByLabel('Doel', { exact: true }).fill('Samen een studio zoeken');
      await otherForm.getByRole('button', { name: 'Bewaren' }).click();
      await expectText(other.locator('main'), /Samen een studio zoeken/);

      // The first tab's save meets the newer version: 412, and nothing of the typing is lost.
      const refused = page.waitForResponse(
        (r) => r.url().includes(`/goals/${goal.id}`) && r.request().method() === 'PATCH',
      );
      await form.getByRole('button', { name: 'Bewaren' }).click();
      expect((await refused).status()).toBe(412);
      await expectText(form, /Iemand anders bewaarde een nieuwere versie/);
      expect(await form.getByLabel('Doel', { exact: true }).inputValue()).toBe(typed);
      // The newer version is shown beside the form.
      await expectText(page.locator('.newer-version'), /Samen een studio zoeken/);
      await expectAccessibleInEveryLanguage(page);

      // Saving again saves what was typed over the newer version.
      const saved = page.waitForResponse(
        (r) => r.url().includes(`/goals/${goal.id}`) && r.request().method() === 'PATCH',
      );
      await form.getByRole('button', { name: 'Bewaren' }).click();
      expect((await saved).status()).toBe(200);
      await expect.poll(() => page.locator('.newer-version').count()).toBe(0);
      await expectText(page.locator('#step-goals'), new RegExp(typed));
      const after = await apiInPage<Overview>(page, 'GET', `/plans/${KARIM_PLAN}`);
      expect(after.sections.goals.content.find((g) => g.id === goal.id)?.title).toBe(typed);
      await other.close();
    });

    it('shows Karim his own details, and only to read', async () => {
      await signOut(page);
      await signIn(page, baseUrl, 'karim.client@demo.example');
      await page.goto(`${baseUrl}/my/plan`);
      const mine = page.locator('section', { has: page.locator('#details-title') });
      await expectText(mine, /\+32 2 555 77 88/);
      await expectText(mine, /Léa Janssens/);
      expect(await mine.getByRole('button').count()).toBe(0);
      await expectAccessibleInEveryLanguage(page);
    });
  },
);
