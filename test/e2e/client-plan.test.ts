import type { Page, Response } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import {
  expectAccessibleInEveryLanguage,
  expectText,
  screenshot,
  signIn,
  switchLanguage,
} from '../helpers/web.ts';

// Karim, the client (French), on a phone (390 × 844): his crisis plan is one tap from his home
// page, with the numbers to call as links; his whole plan (who does what, whom to call, the
// meetings, the evaluations) reads in plain words in French, Dutch and English (issue 13, item 4).
// Every page passes axe in every language, none scrolls sideways, and the app's own requests are
// never refused (403) nor missed (404). French puts a no-break space before ? and :, hence \s.

const PHONE = { width: 390, height: 844 };

/** The page is no wider than the screen: nothing to scroll sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

describeInBrowser('the client reads their whole plan', { timeout: 120_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.setViewportSize(PHONE);

  // Every answer of the API to the pages, to show that the app never asks what it may not read.
  const answers: Array<{ status: number; request: string }> = [];
  page.on('response', (response: Response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/'))
      answers.push({ status: response.status(), request: `${response.request().method()} ${url.pathname}` });
  });

  it('Karim opens his crisis plan from his home page in one tap, and reads whom to call', async () => {
    await signIn(page, baseUrl, 'karim.client@demo.example');
    await page.waitForURL(`${baseUrl}/my`);
    await expectText(page.locator('main h1'), /Bonjour Karim/);

    // The crisis plan is the first thing on the page, whole on the first screen.
    const crisisLink = page.getByRole('link', { name: /^Mon plan de crise/ });
    const box = await crisisLink.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(PHONE.height);
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'client-home-phone-fr');

    await crisisLink.click();
    await page.waitForURL(`${baseUrl}/my/crisis`);
    await expectText(page.locator('main h1'), /Mon plan de crise/);
    const main = page.locator('main');
    await expectText(main, /Je dors mal plusieurs nuits de suite\./);
    await expectText(main, /Boire un café avec Léa\./);

    // Whom to call: each number is a link that calls it, 112 included.
    const whomToCall = page.locator('section', { has: page.getByRole('heading', { name: 'Qui j’appelle' }) });
    await expect.poll(() => whomToCall.locator('a[href="tel:+3225550112"]').count()).toBe(1);
    await expect.poll(() => whomToCall.locator('a[href="tel:+3225550300"]').count()).toBe(1);
    await expect.poll(() => main.locator('a[href="tel:112"]').count()).toBeGreaterThanOrEqual(2);
    // The people of his agreements, with when to call them.
    await expectText(main, /Yasmina Benali, \+32 470 55 09 87/);
    await expect.poll(() => main.locator('a[href="tel:+32470550987"]').count()).toBe(1);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'client-crisis-phone-fr');
  });

  it('reads who does what, his agreements, the meetings and the evaluations, and writes his question in his words', async () => {
    await page.getByRole('link', { name: /^Retour à mon plan/ }).click();
    await page.waitForURL(`${baseUrl}/my`);
    await page.getByRole('link', { name: /^Tout mon plan/ }).click();
    await page.waitForURL(`${baseUrl}/my/plan`);
    const main = page.locator('main');
    await expectText(page.locator('main h1'), /Tout mon plan/);

    // Who does what, by when, where it stands: in short sentences.
    const actions = page.locator('section', { has: page.locator('#actions-title') });
    await expectText(actions, /Nora El Idrissi fait ceci\./);
    await expectText(actions, /Léa Janssens fait ceci\..*C’est fait\./s);
    await expectText(actions, /Pour le .*\d{4}\./);
    await expectText(actions, /Arrêté\. Cela ne se fera pas\./);

    // Agreements: who helps him, when to call, how to reach them.
    const agreements = page.locator('section', { has: page.locator('#agreements-title') });
    await expectText(agreements, /Léa Janssens, de Begeleid Wonen Brussel vzw, est votre accompagnateur\./);
    await expectText(agreements, /Samuel Lambert \(Le Relais de la Nuit asbl\)/);
    await expectText(agreements, /Quand appeler\s\?/);
    await expect.poll(() => agreements.locator('a[href="tel:+3225550300"]').count()).toBe(1);

    // The meeting: what was decided, and what was said (the notes too: it is his plan).
    const meetings = page.locator('section', { has: page.locator('#meetings-title') });
    await expectText(meetings, /Netwerkoverleg Karim: wonen en werk/);
    await expectText(meetings, /Ce qui a été décidé.*Léa plant het bezoek aan de studio/s);
    // The four numbered decisions, one a line.
    await expect.poll(() => meetings.locator('.my-decisions li').count()).toBe(4);
    await meetings.getByText('Lire ce qui a été dit').click();
    await expect.poll(() => meetings.getByText(/Paul: behandeling stabiel/).isVisible()).toBe(true);

    const evaluations = page.locator('section', { has: page.locator('#evaluations-title') });
    await expectText(evaluations, /Le travail ensemble\s:\s4\ssur\s5\./);
    const closure = page.locator('section', { has: page.locator('#closure-title') });
    await expectText(closure, /Votre accompagnement continue\./);

    // His question, in his own words, written from here.
    await page.getByRole('button', { name: 'Écrire avec mes mots: Ce que je demande' }).click();
    const words = main.getByLabel('Avec mes mots');
    await words.fill('Je veux ma clé à moi.');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expectText(
      page.locator('section', { has: page.locator('#request-title') }),
      /Je veux ma clé à moi\./,
    );

    await expectNoSidewaysScroll(page);
    await screenshot(page, 'client-plan-phone-fr');
  });

  it('reads the same in Dutch and in English', async () => {
    const main = page.locator('main');
    await switchLanguage(page, 'nl');
    await expectText(page.locator('main h1'), /Mijn hele plan/);
    await expectText(main, /Nora El Idrissi doet dit\./);
    await expectText(main, /Wanneer bel je\?/);
    await expectText(main, /Samenwerken: 4\sop\s5\./);
    await expectNoSidewaysScroll(page);

    await switchLanguage(page, 'en');
    await expectText(page.locator('main h1'), /My whole plan/);
    await expectText(main, /Nora El Idrissi does this\./);
    await expectText(main, /When do you call\?/);
    await expectText(main, /Working together: 4\sout\sof\s5\./);
    await expectNoSidewaysScroll(page);

    await page.getByRole('link', { name: 'My crisis plan' }).first().click();
    await page.waitForURL(`${baseUrl}/my/crisis`);
    await expectText(main, /Whom I call/);
    await expect.poll(() => main.locator('a[href="tel:+3225550112"]').count()).toBeGreaterThanOrEqual(1);
    await switchLanguage(page, 'nl');
    await expectText(main, /Wie ik bel/);
    await expectText(main, /Ben je in gevaar\?/);
    await expectNoSidewaysScroll(page);
    await switchLanguage(page, 'fr');
  });

  it('passes axe on every page of his plan, in every language, with no sideways scroll', async () => {
    for (const path of ['/my', '/my/crisis', '/my/plan']) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator('main h1').waitFor();
      // What is folded open too, so that axe reads all of it.
      for (const details of await page.locator('main details').all())
        await details.locator('summary').click();
      await expectAccessibleInEveryLanguage(page, 'fr');
      await expectNoSidewaysScroll(page);
    }
  });

  it('never got a 403 or a 404 from the API', () => {
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.status === 403 || answer.status === 404)).toEqual([]);
  });
});
