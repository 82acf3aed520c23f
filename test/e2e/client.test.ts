import { expect, it } from 'vitest';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import {
  expectAccessibleInEveryLanguage,
  expectText,
  screenshot,
  signIn,
  signOut,
  tabTo,
} from '../helpers/web.ts';

// Karim, the client (French): his plan in plain language, used with the keyboard only — signing
// in, stopping and restarting sharing his goals with Paul, reading who looked at his plan, writing
// his request in his own words, hiding someone of his network. Every client page passes axe in
// every language.

const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';

describeInBrowser('the client in the browser', { timeout: 90_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.setViewportSize({ width: 1280, height: 900 });

  it('Paul reads the plan first (for the access log)', async () => {
    await signIn(page, baseUrl, 'paul.partner@demo.example');
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
    await page.getByRole('heading', { name: 'Doelen', level: 3 }).waitFor();
    await signOut(page);
  });

  it('runs the client journey with the keyboard only', async () => {
    const press = (key: string) => page.keyboard.press(key);

    // Sign in.
    await page.goto(`${baseUrl}/login`);
    await tabTo(page, /^#email/);
    await page.keyboard.type('karim.client@demo.example');
    await press('Tab');
    await page.keyboard.type('liaison-demo');
    await press('Enter');
    await page.waitForURL(`${baseUrl}/my`);
    await expectText(page.locator('main h1'), /Bonjour Karim/);
    await screenshot(page, 'client-home-fr');

    // Who sees what: stop sharing the goals with Paul, after a confirmation in words.
    await tabTo(page, /^Qui voit quoi/);
    await press('Enter');
    await page.waitForURL(`${baseUrl}/my/sharing`);
    // Everyone who reads his plan is named: the lead, and the co-lead Tom (issue 13, item 5).
    await expectText(page.locator('main'), /Léa Janssens est votre accompagnat/);
    await expectText(
      page.locator('main'),
      /Tom De Smet travaille avec votre accompagnateur et voit aussi tout votre plan\./,
    );
    await tabTo(page, /^Arrêter de partager: vos objectifs, Paul Verhaegen/);
    await press('Enter');
    const dialog = page.getByRole('dialog');
    await expectText(dialog, /Paul Verhaegen ne verra plus vos objectifs\./);
    await tabTo(page, /^Oui, arrêter de partager/);
    await press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
    const goalsRow = page
      .locator('.person', { hasText: 'Paul Verhaegen' })
      .locator('.share-row', { hasText: 'Vos objectifs' });
    await expectText(goalsRow, /Paul ne peut pas voir ceci\./);

    // And share them again: focus is already on the row's new button.
    const focused = () =>
      page.evaluate<string | null>(`document.activeElement?.getAttribute('aria-label') ?? null`);
    await expect.poll(focused).toBe('Partager: vos objectifs, Paul Verhaegen');
    await press('Enter');
    await expectText(dialog, /Voulez-vous que Paul Verhaegen voie vos objectifs \?/);
    await tabTo(page, /^Continuer/);
    await press('Enter');
    await expectText(dialog, /À partir de maintenant, Paul Verhaegen verra vos objectifs\./);
    await tabTo(page, /^Oui, partager/);
    await press('Enter');
    await expectText(goalsRow, /Paul peut voir ceci\./);
    await expect.poll(focused).toBe('Arrêter de partager: vos objectifs, Paul Verhaegen');

    // Who looked at my plan: Paul's read, as a sentence.
    await tabTo(page, /^Retour à mon plan/, 80, 'Shift+Tab');
    await press('Enter');
    await page.waitForURL(`${baseUrl}/my`);
    await tabTo(page, /^Qui a regardé mon plan/);
    await press('Enter');
    await expectText(page.locator('.log-list'), /Paul Verhaegen de CGG Noordwest Brussel vzw a lu /);

    // My goals: the request in his own words.
    await tabTo(page, /^Retour à mon plan/, 80, 'Shift+Tab');
    await press('Enter');
    await tabTo(page, /^Mes objectifs/);
    await press('Enter');
    await tabTo(page, /^Écrire avec mes mots: Ce que je demande/);
    await press('Enter');
    await press('Control+A');
    await page.keyboard.type('Je veux ma clé à moi, et garder mon travail.');
    await tabTo(page, /^Enregistrer/);
    await press('Enter');
    await expectText(page.locator('.own-goal').first(), /Je veux ma clé à moi, et garder mon travail\./);

    // My network: hide a person from the partners.
    await tabTo(page, /^Retour à mon plan/, 80, 'Shift+Tab');
    await press('Enter');
    await tabTo(page, /^Mon réseau/);
    await press('Enter');
    await tabTo(page, /^Jacques Lenoir/);
    await press('Enter');
    await expectText(dialog, /Les partenaires qui peuvent voir le réseau voient cette personne\./);
    await tabTo(page, /^Cacher aux partenaires/);
    await press('Enter');
    await expectText(dialog, /Caché : les partenaires ne voient pas cette personne\./);
    await press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('passes axe on every client page, in every language', async () => {
    for (const path of ['/my', '/my/network', '/my/sharing', '/my/log', '/my/goals']) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator('main h1').waitFor();
      await expectAccessibleInEveryLanguage(page, 'fr');
    }
  });
});
