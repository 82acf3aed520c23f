import { expect, it } from 'vitest';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import { expectText, signIn, signOut } from '../helpers/web.ts';

// The whole consent journey, through the interface only, against the real server and database:
// Tom (lead of Fatima's plan, Dutch) registers a new client, adds Paul from the directory to
// Fatima's network and records that Fatima agreed to share her goals; Paul sees the goals and not
// her background; Fatima withdraws; Paul no longer sees anything; Fatima's access log tells her
// that Paul read her goals.

const FATIMA_PLAN = 'de000000-0000-4000-8000-000000000402';
const SECRET = 'Alleen voor het beroepsgeheim: schulden bij de huisbaas';

describeInBrowser('the consent journey in the browser', { timeout: 90_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();

  it('lead registers, adds from the directory and shares; partner reads; client withdraws and sees who read', async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);

    // ---- Tom registers a new client: the plan opens, in the first phase.
    await signIn(page, baseUrl, 'tom.colead@demo.example');
    await page.getByRole('link', { name: 'Een cliënt inschrijven' }).click();
    await page.getByLabel('Voornaam').fill('Jonas');
    await page.getByLabel('Achternaam').fill('Peeters');
    await page.getByRole('button', { name: 'Inschrijven en het plan openen' }).click();
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
    await expectText(page.locator('main h1'), /Netwerkplan van Jonas Peeters/);
    await expectText(page.locator('.stepper-current'), /Inschrijving/);

    // ---- Fatima's plan: Tom writes her background (secrecy-bound), to check Paul never sees it.
    await page.goto(`${baseUrl}/plans/${FATIMA_PLAN}`);
    await page.getByRole('button', { name: 'Schrijven: Situatie en voorgeschiedenis' }).click();
    await page.getByLabel('Situatie', { exact: true }).fill(SECRET);
    await page.getByRole('button', { name: 'Bewaren' }).click();
    await expectText(page.locator('#step-request'), new RegExp(SECRET));

    // ---- Add Paul from the directory.
    await page.locator('nav.tabs').getByRole('link', { name: 'Netwerk' }).click();
    await page.getByRole('button', { name: 'Iemand toevoegen' }).click();
    await page.getByRole('link', { name: 'Zoeken in de wegwijzer' }).click();
    await page.waitForURL(/\/directory\?planId=/);
    await page.getByLabel('Woorden').fill('psychiatrie');
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await page.waitForURL(/q=psychiatrie/);
    const card = page.locator('.card', { hasText: 'Centrum Geestelijke Gezondheidszorg Noordwest' });
    await card.getByRole('button', { name: /Toevoegen aan het netwerk van Fatima Amrani/ }).click();
    const add = page.getByRole('dialog');
    const paulChoice = add.getByRole('radio', { name: /Paul Verhaegen/ });
    await paulChoice.waitFor();
    expect(await paulChoice.isChecked()).toBe(true);
    await add.getByLabel('Relatie met de cliënt').fill('Psychiater');
    await add.getByRole('checkbox', { name: 'Gezondheid' }).check();
    await add.getByRole('button', { name: 'Toevoegen aan het netwerk', exact: true }).click();
    await page.waitForURL(new RegExp(`/plans/${FATIMA_PLAN}/network$`));
    await page
      .locator('svg.network-map')
      .getByRole('button', { name: /^Paul Verhaegen/ })
      .waitFor();

    // ---- Record that Fatima agreed that Paul sees her goals (she said so).
    await page.locator('nav.tabs').getByRole('link', { name: 'Toestemming' }).click();
    await page.getByRole('button', { name: /^Doelen\s+Paul Verhaegen\s+Niet gedeeld$/ }).click();
    const share = page.getByRole('dialog');
    await share.getByRole('button', { name: 'Verder' }).click();
    await expectText(share, /Vanaf nu ziet Paul Verhaegen de doelen van het plan van Fatima Amrani\./);
    await expectText(share, /Je noteert dat Fatima Amrani het mondeling zei\./);
    await share.getByRole('button', { name: 'Ja, delen' }).click();
    await page.getByRole('button', { name: /^Doelen\s+Paul Verhaegen\s+Gedeeld sinds/ }).waitFor();
    await signOut(page);

    // ---- Paul sees Fatima's goals, and that the background is not shared, never its content.
    await signIn(page, baseUrl, 'paul.partner@demo.example');
    await page
      .locator('section', { hasText: 'Met mij gedeeld' })
      .getByRole('link', { name: 'Fatima Amrani' })
      .click();
    await page.waitForURL(new RegExp(`/plans/${FATIMA_PLAN}$`));
    await page.getByRole('heading', { name: 'Doelen', exact: true, level: 3 }).waitFor();
    await expectText(page.locator('main'), /Een stage starten in de beschutte werkplaats/);
    await expectText(page.locator('main'), /Niet met jou gedeeld/);
    await expectText(page.locator('main'), /de situatie en voorgeschiedenis/);
    expect(await page.locator('main').textContent()).not.toContain(SECRET);
    expect(await page.getByRole('heading', { name: 'Situatie en voorgeschiedenis' }).count()).toBe(0);
    await signOut(page);

    // ---- Fatima withdraws: she stops sharing her goals with Paul.
    await signIn(page, baseUrl, 'fatima.client@demo.example');
    await page.getByRole('link', { name: /Wie ziet wat/ }).click();
    await page.getByRole('button', { name: 'Stoppen met delen: je doelen, Paul Verhaegen' }).click();
    const withdraw = page.getByRole('dialog');
    await expectText(withdraw, /Paul Verhaegen ziet je doelen niet meer\./);
    await withdraw.getByRole('button', { name: 'Ja, stoppen met delen' }).click();
    await page.getByRole('button', { name: 'Delen: je doelen, Paul Verhaegen' }).waitFor();
    await signOut(page);

    // ---- Paul no longer sees the goals: the plan is gone from his list and answers "not found".
    await signIn(page, baseUrl, 'paul.partner@demo.example');
    expect(await page.getByRole('link', { name: 'Fatima Amrani' }).count()).toBe(0);
    await page.goto(`${baseUrl}/plans/${FATIMA_PLAN}`);
    await expectText(page.locator('main'), /Deze pagina bestaat niet/);
    expect(await page.locator('main').textContent()).not.toContain('Een stage starten');
    await signOut(page);

    // ---- Fatima's access log tells her, in a sentence, that Paul read her goals.
    await signIn(page, baseUrl, 'fatima.client@demo.example');
    await page.getByRole('link', { name: /Wie keek naar mijn plan/ }).click();
    await expectText(
      page.locator('.log-list'),
      /Paul Verhaegen van CGG Noordwest Brussel vzw las je doelen, (vandaag|gisteren|op \d+ \w+) om \d{2}:\d{2}/,
    );
    await page.close();
  }, 120_000);
});
