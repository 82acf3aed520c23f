import { elideFrench } from '../../domain/french.ts';
import type { APIResponse, Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations, startBrowserSession } from '../helpers/browser.ts';
import { readableText } from '../helpers/pdf-text.ts';
import {
  apiInPage,
  expectAccessibleInEveryLanguage,
  expectText,
  screenshot,
  signIn,
  signOut,
  switchLanguage,
  tabTo,
  LOCALES,
} from '../helpers/web.ts';

// The exports of issue 17 through the interface: Léa (lead; in Dutch, French and English) downloads Karim's
// plan as PDF, as JSON and as FHIR from the plan page; prints for network members without an account
// what they may read (a shared section on the paper, a withheld one not; nothing shared: the button
// is disabled and says why); Karim downloads his own plan from /my, in his language.

const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';
const JULIE = 'de000000-0000-4000-8000-000000000506'; // rental agency, professional, no account
const HELENE = 'de000000-0000-4000-8000-000000000507'; // clinic psychiatrist, professional, no account

// Demo content: a goal (shared with Julie below), the background (secrecy-bound: recorded for Julie,
// but she has no account, so nobody confirmed her professional secrecy) and the crisis plan (never
// shared with her).
const GOAL = 'Een eigen studio huren via het sociaal verhuurkantoor';
const BACKGROUND = 'Lichte verstandelijke beperking';
const CRISIS = 'Je dors mal plusieurs nuits de suite';

const PLAN_PAGE_WORDS = {
  nl: { pdf: 'Het plan als PDF', json: 'Het plan als bestand (JSON)', fhir: 'FHIR R4 (JSON)' },
  fr: { pdf: 'Le plan en PDF', json: 'Le plan en fichier (JSON)', fhir: 'FHIR R4 (JSON)' },
  en: { pdf: 'The plan as a PDF', json: 'The plan as a file (JSON)', fhir: 'FHIR R4 (JSON)' },
} as const;

const PRINT_WORDS = {
  nl: {
    button: (name: string) => `Druk af wat ${name} mag lezen`,
    nothing: (name: string) => `Er is niets gedeeld met ${name}. Er valt dus niets af te drukken.`,
    paper: (name: string) => `Wat ${name} mag lezen`,
  },
  fr: {
    // French elides before a vowel: « ce qu’Inès Martin ».
    button: (name: string) => elideFrench(`Imprimer ce que ${name} peut lire`),
    nothing: (name: string) => `Rien n’est partagé avec ${name}. Il n’y a donc rien à imprimer.`,
    paper: (name: string) => elideFrench(`Ce que ${name} peut lire`),
  },
  en: {
    button: (name: string) => `Print what ${name} may read`,
    nothing: (name: string) => `Nothing is shared with ${name}. So there is nothing to print.`,
    paper: (name: string) => `What ${name} may read`,
  },
} as const;

interface Downloaded {
  name: string;
  body: Buffer;
}

/** Clicks a control and answers the file the browser downloaded because of it. */
async function download(page: Page, control: Locator): Promise<Downloaded> {
  const downloading = page.waitForEvent('download');
  await control.click();
  const file = await downloading;
  const chunks: Buffer[] = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
  return { name: file.suggestedFilename(), body: Buffer.concat(chunks) };
}

/** The accessible description of the focused element (its aria-describedby texts). */
function focusedDescription(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const ids = (document.activeElement?.getAttribute('aria-describedby') ?? '').split(/\\s+/).filter(Boolean);
    return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ').replace(/\\s+/g, ' ').trim();
  })()`);
}

describeInBrowser('the exports in the browser', { timeout: 180_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.setViewportSize({ width: 1280, height: 900 });

  for (const locale of LOCALES) {
    it(`Léa downloads the plan as PDF, JSON and FHIR from the plan page (${locale})`, async () => {
      if (locale === 'nl') await signIn(page, baseUrl, 'lea.lead@demo.example');
      await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
      await switchLanguage(page, locale);
      const words = PLAN_PAGE_WORDS[locale];
      const section = page.locator('section.plan-downloads');

      // By keyboard: each link is reached with Tab and has its name.
      await page.locator('main h1').focus();
      await tabTo(page, new RegExp(`^${words.pdf}`), 200);
      await tabTo(page, new RegExp(`^${words.json.replace(/[()]/g, '\\$&')}`), 5);
      await tabTo(page, /^FHIR R4 \(JSON\)/, 5);

      const pdf = await download(page, section.getByRole('link', { name: words.pdf, exact: true }));
      expect(pdf.name).toMatch(/^liaison-plan-\d{4}-\d{2}-\d{2}\.pdf$/);
      expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // The whole plan in the client's language (Karim's is French), whatever Léa's interface says.
      const text = readableText(pdf.body);
      expect(text).toContain('Le plan de Karim Benali');
      // All of it: also what the printed pages below must leave out (so those checks can fail).
      expect(text).toContain(GOAL);
      expect(text).toContain(BACKGROUND);
      expect(text).toContain(CRISIS);

      const json = await download(page, section.getByRole('link', { name: words.json, exact: true }));
      expect(json.name).toMatch(/^liaison-plan-\d{4}-\d{2}-\d{2}\.json$/);
      const exported = JSON.parse(json.body.toString('utf8')) as { plan: { id: string } };
      expect(exported.plan.id).toBe(KARIM_PLAN);

      const fhir = await download(page, section.getByRole('link', { name: words.fhir, exact: true }));
      expect(fhir.name).toMatch(/\.json$/);
      const bundle = JSON.parse(fhir.body.toString('utf8')) as {
        resourceType: string;
        type: string;
        entry: { resource: { resourceType: string; id: string } }[];
      };
      expect(bundle.resourceType).toBe('Bundle');
      expect(bundle.type).toBe('collection');
      expect(bundle.entry.find((e) => e.resource.resourceType === 'CarePlan')?.resource.id).toBe(KARIM_PLAN);

      await expectNoAxeViolations(page);
    });
  }

  /** Opens a member's dialog from the network map; answers the dialog. */
  async function openMember(name: string): Promise<Locator> {
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}/network`);
    await page
      .locator('svg.network-map')
      .getByRole('button', { name: new RegExp(`^${name}`) })
      .click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog.locator('h2'), new RegExp(name));
    return dialog;
  }

  it('Léa records consent for two members without an account', async () => {
    // Julie: her goals (shared) and the background (secrecy-bound: recorded, not in force for
    // someone without an account). Hélène: the background only, so nothing she may read.
    await apiInPage(page, 'POST', `/plans/${KARIM_PLAN}/grants`, {
      memberId: JULIE,
      sections: ['goals', 'background'],
      access: 'read',
      method: 'verbal',
    });
    await apiInPage(page, 'POST', `/plans/${KARIM_PLAN}/grants`, {
      memberId: HELENE,
      sections: ['background'],
      access: 'read',
      method: 'written',
    });
  });

  for (const locale of LOCALES) {
    it(`Léa prints what Julie Renard may read, and nothing of what is withheld (${locale})`, async () => {
      await page.goto(`${baseUrl}/plans/${KARIM_PLAN}/network`);
      await switchLanguage(page, locale);
      const words = PRINT_WORDS[locale];
      const dialog = await openMember('Julie Renard');
      const print = dialog.getByRole('link', { name: words.button('Julie Renard'), exact: true });
      await print.waitFor();

      // Reached with Tab inside the dialog, described by what it prints.
      await tabTo(page, new RegExp(`^${words.button('Julie Renard')}`), 30);
      expect(await focusedDescription(page)).toMatch(/Julie Renard/);
      await expectNoAxeViolations(page);
      if (locale === 'nl') await screenshot(page, 'print-for-member-nl', false);

      const href = (await print.getAttribute('href')) ?? '';
      expect(new URL(href, baseUrl).searchParams.get('memberId')).toBe(JULIE);
      expect(new URL(href, baseUrl).searchParams.get('lang')).toBe(locale);

      // The paper opens in a tab of its own. Chromium's PDF viewer takes the answer's body, so the
      // request is passed on here and its answer kept: the bytes the server sent for that click.
      let answer: APIResponse | undefined;
      await context.route('**/api/plans/*/print?*', async (route) => {
        answer = await route.fetch();
        await route.fulfill({ response: answer });
      });
      const opened = context.waitForEvent('page');
      await print.press('Enter');
      const tab = await opened;
      await expect.poll(() => answer !== undefined).toBe(true);
      await context.unrouteAll();
      expect(new URL(tab.url()).pathname).toBe(`/api/plans/${KARIM_PLAN}/print`);
      expect(answer?.status()).toBe(200);
      expect(answer?.headers()['content-type']).toBe('application/pdf');
      const paper = (await answer?.body()) ?? Buffer.alloc(0);
      expect(paper.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = readableText(paper);
      expect(text).toContain(words.paper('Julie Renard'));
      expect(text).toContain(GOAL);
      expect(text).not.toContain(BACKGROUND);
      expect(text).not.toContain(CRISIS);
      await tab.close();
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
    });

    it(`for a member with nothing she may read, the print button is disabled and says why (${locale})`, async () => {
      const words = PRINT_WORDS[locale];
      for (const name of ['Inès Martin', 'Dr Hélène Vandamme']) {
        const dialog = await openMember(name);
        const print = dialog.getByRole('button', { name: words.button(name), exact: true });
        expect(await print.getAttribute('aria-disabled')).toBe('true');
        await expectText(dialog, new RegExp(words.nothing(name).replace(/[.]/g, '\\.')));
        expect(await dialog.getByRole('link', { name: words.button(name) }).count()).toBe(0);

        // Still reached with Tab, so that a screen reader user hears why it does nothing.
        await tabTo(page, new RegExp(`^${words.button(name)}`), 30);
        expect(await focusedDescription(page)).toBe(words.nothing(name));
        const pages = context.pages().length;
        await page.keyboard.press('Enter');
        // Forced: Playwright itself will not click a control that says it is disabled.
        await print.click({ force: true });
        expect(context.pages().length).toBe(pages);
        await expectNoAxeViolations(page);
        await page.keyboard.press('Escape');
        await expect.poll(() => dialog.count()).toBe(0);
      }
      // The server agrees: for Hélène the background is not hers to read without an account.
      const refused = await context.request.get(
        `${baseUrl}/api/plans/${KARIM_PLAN}/print?memberId=${HELENE}&lang=${locale}`,
      );
      expect(refused.status()).toBe(409);
    });
  }

  it('when consent cannot be read, the dialog says so instead of "nothing is shared"', async () => {
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}/network`);
    await switchLanguage(page, 'nl');
    await context.route('**/api/plans/*/grants', (route) => route.abort());
    await page
      .locator('svg.network-map')
      .getByRole('button', { name: /^Julie Renard/ })
      .click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog.locator('.member-print [role=alert]'), /Er is geen verbinding met Liaison/);
    await context.unrouteAll();
    expect(await dialog.textContent()).not.toContain(PRINT_WORDS.nl.nothing('Julie Renard'));
    expect(await dialog.getByRole('link', { name: PRINT_WORDS.nl.button('Julie Renard') }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('Karim downloads his own plan from /my, in his language', async () => {
    await signOut(page);
    await signIn(page, baseUrl, 'karim.client@demo.example');
    expect(new URL(page.url()).pathname).toBe('/my');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');

    const link = page.getByRole('link', {
      name: 'Télécharger mon plan pour le lire ou l’imprimer (PDF)',
      exact: true,
    });
    await page.locator('main h1').focus();
    await tabTo(page, /^Télécharger mon plan pour le lire/, 40);
    const french = await download(page, link);
    expect(french.name).toMatch(/^liaison-plan-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(french.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(readableText(french.body)).toContain('Le plan de Karim Benali');
    await tabTo(page, /^Télécharger mon plan pour l’emporter/, 5);
    const json = await download(
      page,
      page.getByRole('link', {
        name: 'Télécharger mon plan pour l’emporter vers un autre service (fichier)',
        exact: true,
      }),
    );
    expect((JSON.parse(json.body.toString('utf8')) as { plan: { id: string } }).plan.id).toBe(KARIM_PLAN);
    // No FHIR for the client: that link is for other services' systems.
    expect(await page.getByRole('link', { name: /FHIR/ }).count()).toBe(0);
    await expectAccessibleInEveryLanguage(page, 'nl');

    // Karim chose Dutch: his plan now comes in Dutch.
    const dutch = await download(
      page,
      page.getByRole('link', { name: 'Download mijn plan om te lezen of af te drukken (PDF)', exact: true }),
    );
    const text = readableText(dutch.body);
    expect(text).toContain('Het plan van Karim Benali');
    expect(text).not.toContain('Le plan de Karim Benali');
    await switchLanguage(page, 'fr');

    // On a phone, the long link names wrap inside their buttons: nothing sticks out of the page.
    await page.goto(`${baseUrl}/my`);
    await page.setViewportSize({ width: 390, height: 844 });
    const downloads = page.locator('section.plan-downloads');
    await downloads.scrollIntoViewIfNeeded();
    expect(
      await page.evaluate<boolean>(
        'document.documentElement.scrollWidth <= document.documentElement.clientWidth',
      ),
    ).toBe(true);
    for (const link of await downloads.getByRole('link').all()) {
      const box = await link.boundingBox();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 999) <= 390).toBe(true);
    }
    await screenshot(page, 'my-downloads-phone-fr', false);
    await page.setViewportSize({ width: 1280, height: 900 });

    // What the print button promised Léa: Karim sees in his log that she printed for Julie.
    await page.goto(`${baseUrl}/my/log`);
    await expectText(page.locator('main'), /Léa Janssens [^.]*a imprimé vos objectifs pour Julie Renard/);
  });
});
