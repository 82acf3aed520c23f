import { chromium, type Browser, type Page, type Response } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import {
  CHROMIUM_PATH,
  describeInBrowser,
  expectNoAxeViolations,
  startBrowserSession,
} from '../helpers/browser.ts';
import { expectAccessibleInEveryLanguage, expectText, screenshot, signIn, signOut } from '../helpers/web.ts';

// Client access by letter (issue 12), through the interface only: Léa (lead, Dutch) registers a
// new client, prints the access letter (only the letter is printed, on one A4 page; the PDF
// downloads), and the client, in a fresh browser, activates with the code, chooses a password, lands
// on their plan and sees their network; later signs in with the sign-in name and shares her goals
// with Nora, the job coach Léa added from the directory; Nora, in her own browser, reads those goals
// and not the crisis plan. The same in French for a second client, with a lost letter cancelled
// first: its code no longer works.

interface LetterAnswer {
  signInName: string;
  code: string;
  activateUrl: string;
  locale: string;
}

const PASSWORD = 'blauwe fiets aan zee';
const GOAL = 'Werken in het houtatelier, vier dagen per week';
const GOAL_WORDS = 'Ik wil iets maken met mijn handen.';
// Written in the crisis plan, which Ilse does not share: Nora must never see it.
const CRISIS = 'Slaapt slecht en belt niemand meer terug';

describeInBrowser('client access by letter in the browser', { timeout: 120_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  // The client's own browser: nothing of Léa's session, cookies or language.
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  afterAll(() => browser.close());

  const lead = await context.newPage();
  lead.setDefaultTimeout(20_000);
  await lead.setViewportSize({ width: 1280, height: 900 });
  // window.print() is recorded instead of opening the print dialog.
  await lead.addInitScript('window.print = () => { window.__printed = (window.__printed ?? 0) + 1; };');

  /** Registers a client through the form; answers the plan's id. */
  async function register(page: Page, firstName: string, lastName: string, language?: string) {
    await page.goto(`${baseUrl}/plans/new`);
    await page.getByLabel('Voornaam').fill(firstName);
    await page.getByLabel('Achternaam').fill(lastName);
    if (language) await page.getByLabel(/Taal die de cliënt verkiest/).selectOption(language);
    await page.getByRole('button', { name: 'Inschrijven en het plan openen' }).click();
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
    return new URL(page.url()).pathname.split('/').at(-1) ?? '';
  }

  /** A page in a browser context of its own: nothing of anyone else's session, cookies or language. */
  async function freshPage(locale: string, width = 390, height = 844) {
    const own = await browser.newContext({ locale });
    const page = await own.newPage();
    page.setDefaultTimeout(20_000);
    await page.setViewportSize({ width, height });
    return { own, page };
  }

  /** Presses the button that makes the letter; answers what the server sent (the code is only there). */
  async function makeLetter(page: Page, button: () => Promise<void>): Promise<LetterAnswer> {
    const answer = page.waitForResponse(
      (r: Response) => /\/client-access$/.test(r.url()) && r.request().method() === 'POST',
    );
    await button();
    const letter = (await (await answer).json()) as LetterAnswer;
    await page.locator('.access-letter').waitFor();
    return letter;
  }

  /** The activation link as the QR code holds it, on the address this test server listens on. */
  const activationLink = (letter: LetterAnswer) => {
    const url = new URL(letter.activateUrl);
    expect(url.pathname).toBe('/activate');
    expect(url.searchParams.get('login')).toBe(letter.signInName);
    expect(url.searchParams.get('code')).toBe(letter.code);
    return `${baseUrl}${url.pathname}${url.search}`;
  };

  it('Léa gives a new client access with a letter, in Dutch; the client activates and shares her goals with Nora, who reads them', async () => {
    await signIn(lead, baseUrl, 'lea.lead@demo.example');
    const planId = await register(lead, 'Ilse', 'Wouters');

    // ---- Léa writes a first goal with Ilse, and the crisis plan (which Ilse will not share).
    await lead.getByRole('button', { name: 'Een doel toevoegen' }).click();
    await lead.getByLabel('Doel', { exact: true }).fill(GOAL);
    await lead.getByLabel('Levensdomein').selectOption({ label: 'Werk en dagbesteding' });
    await lead.getByLabel('In de woorden van de cliënt').fill(GOAL_WORDS);
    await lead.locator('#step-goals').getByRole('button', { name: 'Bewaren' }).click();
    await expectText(lead.locator('#step-goals'), new RegExp(GOAL));
    await lead.getByRole('button', { name: 'Schrijven: Crisisplan' }).click();
    await lead.getByLabel('Eerste signalen').fill(CRISIS);
    await lead.getByRole('button', { name: 'Bewaren' }).click();
    await expectText(lead.locator('main'), new RegExp(CRISIS));

    // ---- Léa adds Nora (job coach at Atelier Horizon) from the directory: she has an account.
    await lead.locator('nav.tabs').getByRole('link', { name: 'Netwerk' }).click();
    await lead.getByRole('button', { name: 'Iemand toevoegen' }).click();
    await lead.getByRole('link', { name: 'Zoeken in de wegwijzer' }).click();
    await lead.waitForURL(/\/directory\?planId=/);
    // Many organisations are called "Horizon": Léa knows it is the workshop in Evere.
    await lead.getByLabel('Woorden').fill('Atelier Horizon');
    await lead.getByLabel('Postcode').fill('1140');
    await lead.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await lead.waitForURL(/postcode=1140/);
    await lead
      .locator('.card')
      .filter({ has: lead.getByRole('heading', { name: 'Atelier Horizon', exact: true }) })
      .getByRole('button', { name: /Toevoegen aan het netwerk van Ilse Wouters/ })
      .click();
    const add = lead.getByRole('dialog');
    const nora = add.getByRole('radio', { name: /Nora El Idrissi/ });
    await nora.waitFor();
    await nora.check();
    await add.getByLabel('Relatie met de cliënt').fill('Jobcoach');
    await add.getByRole('checkbox', { name: 'Werk en dagbesteding' }).check();
    await add.getByRole('button', { name: 'Toevoegen aan het netwerk', exact: true }).click();
    await lead.waitForURL(`${baseUrl}/plans/${planId}/network`);
    await lead
      .locator('svg.network-map')
      .getByRole('button', { name: /^Nora El Idrissi/ })
      .waitFor();

    // ---- From the plan's tabs to the access page: no access yet.
    await lead.locator('nav.tabs').getByRole('link', { name: 'Toegang tot Liaison' }).click();
    await lead.waitForURL(`${baseUrl}/plans/${planId}/access`);
    await expectText(lead.locator('main h1'), /Toegang tot Liaison voor Ilse Wouters/);
    await expectText(lead.locator('main'), /Ilse heeft nog geen toegang tot Liaison\./);
    expect(await lead.getByLabel('Taal van de brief').inputValue()).toBe('');
    await expectAccessibleInEveryLanguage(lead);

    // ---- The letter: its sign-in name and code, Print and Download PDF.
    const letter = await makeLetter(lead, () => lead.getByRole('button', { name: 'De brief maken' }).click());
    expect(letter.locale).toBe('nl');
    expect(letter.signInName).toMatch(/^ilse-\d{4}$/);
    const shown = lead.locator('.access-letter');
    await expectText(shown, /Jouw toegang tot Liaison/);
    await expectText(shown.locator('.sign-in-name'), new RegExp(`^${letter.signInName}$`));
    expect((await shown.locator('.code').textContent())?.replace(/\s/g, '')).toBe(letter.code);
    await expectText(lead.getByRole('heading', { level: 2, name: /De brief voor Ilse is klaar/ }), /klaar/);
    expect(await lead.evaluate<string | undefined>('document.activeElement?.textContent')).toMatch(/klaar/);
    await expectNoAxeViolations(lead);
    await lead.setViewportSize({ width: 1280, height: 1400 });
    await screenshot(lead, 'access-letter-nl');
    await lead.setViewportSize({ width: 1280, height: 900 });

    await lead.getByRole('button', { name: 'Afdrukken' }).click();
    expect(await lead.evaluate<number>('window.__printed ?? 0')).toBe(1);

    const downloading = lead.waitForEvent('download');
    await lead.getByRole('button', { name: 'Pdf downloaden' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`liaison-letter-${letter.signInName}.pdf`);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // ---- Printed, the page is the letter alone, on one A4 page.
    await lead.emulateMedia({ media: 'print' });
    expect(await lead.locator('.site-header').isVisible()).toBe(false);
    expect(await lead.locator('.plan-header').isVisible()).toBe(false);
    expect(await lead.getByRole('button', { name: 'Afdrukken' }).isVisible()).toBe(false);
    expect(await shown.isVisible()).toBe(true);
    const printed = (await lead.pdf({ preferCSSPageSize: true })).toString('latin1');
    expect(printed.match(/\/Type\s*\/Page\b(?!s)/g)?.length).toBe(1);
    await lead.emulateMedia({ media: 'screen' });

    // ---- Back on the access page: the letter works until … and is not used yet.
    await lead.getByRole('button', { name: 'Klaar' }).click();
    await expectText(
      lead.locator('main'),
      /De brief van .+ werkt tot .+\. Ilse heeft hem nog niet gebruikt\./,
    );
    await expectText(lead.locator('main'), new RegExp(letter.signInName));

    // ---- Ilse, in her own browser, opens the link of the QR code.
    const { own, page: client } = await freshPage('nl-BE');
    await client.goto(activationLink(letter));
    await expectText(client.locator('main h1'), /Je account activeren/);
    expect(await client.getByLabel('Je gebruikersnaam').inputValue()).toBe(letter.signInName);
    expect(await client.getByLabel('Je code').inputValue()).toBe(letter.code);
    expect(await client.getByLabel('Je gebruikersnaam').getAttribute('autocomplete')).toBe('username');
    expect(await client.getByLabel('Je code').getAttribute('autocomplete')).toBe('one-time-code');
    expect(await client.getByLabel('Kies een wachtwoord').getAttribute('autocomplete')).toBe('new-password');
    await expectAccessibleInEveryLanguage(client, 'nl');

    // A password that is too short, then two that differ: each time, what to do.
    await client.getByLabel('Kies een wachtwoord').fill('fiets');
    await client.getByRole('button', { name: 'Mijn account activeren' }).click();
    await expectText(
      client.locator('#password-error'),
      /Je wachtwoord is te kort\. Gebruik minstens 10 tekens\./,
    );
    expect(await client.evaluate<string | undefined>('document.activeElement?.id')).toBe('password');
    await client.getByLabel('Kies een wachtwoord').fill(PASSWORD);
    await client.getByLabel('Typ je wachtwoord nog een keer').fill('blauwe fiets aan de zee');
    await client.getByRole('button', { name: 'Mijn account activeren' }).click();
    await expectText(client.locator('#repeat-error'), /De twee wachtwoorden zijn niet hetzelfde/);
    await client.getByLabel('Wachtwoord tonen').check();
    expect(await client.getByLabel('Kies een wachtwoord').getAttribute('type')).toBe('text');
    await client.getByLabel('Typ je wachtwoord nog een keer').fill(PASSWORD);
    await client.getByRole('button', { name: 'Mijn account activeren' }).click();

    // Her plan: her network, with Léa in it.
    await client.waitForURL(`${baseUrl}/my`);
    await expectText(client.locator('main h1'), /Dag Ilse/);
    await client.getByRole('link', { name: /Mijn netwerk/ }).click();
    await expectText(client.locator('main'), /Léa Janssens/);
    await expectText(client.locator('main'), /Nora El Idrissi/);

    // Later: she signs in with her sign-in name, not an e-mail address.
    await signOut(client);
    await client.getByLabel('E-mailadres of gebruikersnaam').fill(letter.signInName);
    await client.getByLabel('Wachtwoord', { exact: true }).fill(PASSWORD);
    await client.getByRole('button', { name: 'Aanmelden', exact: true }).click();
    await client.waitForURL(`${baseUrl}/my`);
    await expectText(client.locator('main h1'), /Dag Ilse/);

    // She shares her goals with Nora, and nothing else.
    await client.getByRole('link', { name: /Wie ziet wat/ }).click();
    await client.waitForURL(`${baseUrl}/my/sharing`);
    const goalsRow = client
      .locator('.person', { hasText: 'Nora El Idrissi' })
      .locator('.share-row', { hasText: 'Je doelen' });
    await expectText(goalsRow, /Nora kan dit niet zien\./);
    await client.getByRole('button', { name: 'Delen: je doelen, Nora El Idrissi' }).click();
    const share = client.getByRole('dialog');
    await expectText(share, /Wil je dat Nora El Idrissi je doelen ziet\?/);
    await share.getByRole('button', { name: 'Verder' }).click();
    await expectText(share, /Vanaf nu ziet Nora El Idrissi je doelen\./);
    await share.getByRole('button', { name: 'Ja, delen' }).click();
    await expect.poll(() => share.count()).toBe(0);
    await expectText(goalsRow, /Nora kan dit zien\./);
    await client.getByRole('button', { name: 'Stoppen met delen: je doelen, Nora El Idrissi' }).waitFor();
    await client.getByRole('button', { name: 'Delen: je crisisplan, Nora El Idrissi' }).waitFor();
    await expectNoAxeViolations(client);
    await own.close();

    // ---- Nora, in her own browser (her interface is in French), reads Ilse's goals, not her
    // crisis plan.
    const { own: noraOwn, page: partner } = await freshPage('fr-BE', 1280, 900);
    await signIn(partner, baseUrl, 'nora.partner@demo.example');
    await partner
      .locator('section', { hasText: 'Partagés avec moi' })
      .getByRole('link', { name: 'Ilse Wouters' })
      .click();
    await partner.waitForURL(`${baseUrl}/plans/${planId}`);
    await partner.getByRole('heading', { name: 'Objectifs', exact: true, level: 3 }).waitFor();
    await partner.getByText(GOAL).waitFor();
    await partner.getByText(GOAL_WORDS).waitFor();
    await expectText(partner.locator('main'), /Pas partagé avec vous/);
    await expectText(partner.locator('main'), /le plan de crise/);
    expect(await partner.locator('main').textContent()).not.toContain(CRISIS);
    expect(await partner.getByRole('heading', { name: 'Plan de crise' }).count()).toBe(0);
    await expectNoAxeViolations(partner);
    await noraOwn.close();

    // ---- Léa sees that Ilse used her letter.
    await lead.reload();
    await expectText(
      lead.locator('main'),
      /Ilse heeft zich aangemeld met de brief van .+ en heeft een wachtwoord gekozen\./,
    );
    await expectText(lead.locator('main'), /Ilse meldt zich aan met deze gebruikersnaam/);
  });

  it('in French: a lost letter is cancelled, a new one is made, the old code no longer works', async () => {
    const planId = await register(lead, 'Amina', 'Diallo', 'fr');
    await lead.goto(`${baseUrl}/plans/${planId}/access`);
    await expectText(lead.locator('main'), /Amina heeft nog geen toegang tot Liaison\./);

    // The client's language is French: so is the letter, the interface stays Léa's.
    const lost = await makeLetter(lead, () => lead.getByRole('button', { name: 'De brief maken' }).click());
    expect(lost.locale).toBe('fr');
    await expectText(lead.locator('.access-letter'), /Votre accès à Liaison/);
    expect(await lead.locator('.access-letter').getAttribute('lang')).toBe('fr');
    await screenshot(lead, 'access-letter-fr');
    await lead.getByRole('button', { name: 'Klaar' }).click();

    // The letter is lost: cancelled, after a confirmation.
    await lead.getByRole('button', { name: 'De brief annuleren' }).click();
    const cancel = lead.getByRole('dialog');
    await expectText(cancel, /De code op deze brief werkt dan niet meer\./);
    await cancel.getByRole('button', { name: 'Ja, de brief annuleren' }).click();
    await expectText(lead.locator('main'), /De brief van .+ is geannuleerd\./);
    await expect.poll(() => lead.getByRole('dialog').count()).toBe(0);
    expect(await lead.getByRole('button', { name: 'De brief annuleren', exact: true }).count()).toBe(0);

    // A new letter: Amina has an account now, so Léa is told what a new letter ends.
    await expectText(
      lead.locator('main'),
      /Een nieuwe brief beëindigt de oude code en het wachtwoord van Amina/,
    );
    await lead.getByRole('button', { name: 'Een nieuwe brief maken' }).click();
    const confirm = lead.getByRole('dialog');
    await expectText(confirm, /Ook het wachtwoord van Amina werkt dan niet meer/);
    const letter = await makeLetter(lead, () =>
      confirm.getByRole('button', { name: 'Ja, een nieuwe brief maken' }).click(),
    );
    expect(letter.signInName).toBe(lost.signInName);
    expect(letter.code).not.toBe(lost.code);
    await expectNoAxeViolations(lead);

    // ---- Amina, in her own browser, in French: the old code first.
    const { own, page: client } = await freshPage('fr-BE');
    await client.goto(activationLink(lost));
    await expectText(client.locator('main h1'), /Activer votre compte/);
    await client.getByLabel('Choisissez un mot de passe').fill(PASSWORD);
    await client.getByLabel('Tapez encore une fois votre mot de passe').fill(PASSWORD);
    await client.getByRole('button', { name: 'Activer mon compte' }).click();
    await expectText(client.getByRole('alert').first(), /Ce nom d’utilisateur et ce code ne marchent pas\./);
    await expectText(
      client.getByRole('alert').first(),
      /Demandez une nouvelle lettre à votre accompagnateur\./,
    );
    expect(await client.evaluate<string | undefined>('document.activeElement?.id')).toBe('code');
    await expectNoAxeViolations(client);
    await screenshot(client, 'activate-invalid-code-fr');

    // The new letter's code works.
    await client.getByLabel('Votre code').fill(letter.code);
    await client.getByRole('button', { name: 'Activer mon compte' }).click();
    await client.waitForURL(`${baseUrl}/my`);
    await expectText(client.locator('main h1'), /Bonjour Amina/);
    expect(await client.locator('html').getAttribute('lang')).toBe('fr');
    await client.getByRole('link', { name: /Mon réseau/ }).click();
    await expectText(client.locator('main'), /Léa Janssens/);
    await own.close();
  });
});
