import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { buildTestApp, DEMO_PASSWORD } from '../helpers/app.ts';
import { CHROMIUM_PATH, describeInBrowser, expectNoAxeViolations } from '../helpers/browser.ts';
import { startSmtpServer } from '../helpers/smtp.ts';
import {
  apiInPage,
  expectAccessibleInEveryLanguage,
  expectText,
  signIn,
  switchLanguage,
} from '../helpers/web.ts';

// How real people get in (issue 12), in the browser with a real SMTP server: a lead working in
// French invites a professional of a directory organisation that has nobody in Liaison, records
// consent before the account exists, and the invited professional creates the account from the
// e-mail in a fresh browser and lands on the plan; then, in Dutch, a password is changed, the
// other device is signed out, "sign out everywhere" ends this one too, and a forgotten password is
// reset by e-mail.

const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';
const CLINIC = 'Clinique psychiatrique Les Saules';

/** A path of the app from a link in an e-mail (whose host is the configured one, not this server). */
function pathOf(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

describeInBrowser('invitations, passwords and devices in the browser', { timeout: 120_000 }, async () => {
  const smtp = await startSmtpServer();
  const { app } = await buildTestApp({ config: { SMTP_URL: smtp.url } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
  afterAll(async () => {
    await browser.close();
  });

  /** A fresh browser context: no cookie, no stored language (another person, or another device). */
  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  const lead = await freshPage();
  const invitedEmail = 'claire.dumont@les-saules.example';

  it('a lead in French invites a professional of an organisation without Liaison users and shares the goals with her, in one dialog', async () => {
    await signIn(lead, baseUrl, 'lea.lead@demo.example');
    await switchLanguage(lead, 'fr');
    await lead.goto(
      `${baseUrl}/directory?planId=${KARIM_PLAN}&q=clinique+psychiatrique+saules&postcode=1083`,
    );
    const card = lead.locator('.directory-results > li', { hasText: CLINIC });
    await card.getByRole('button', { name: /Ajouter au réseau de Karim Benali/ }).click();
    const dialog = lead.getByRole('dialog');
    await dialog.getByRole('radio', { name: /Inviter quelqu’un qui travaille ici/ }).check();
    // The e-mail is checked before anything is sent or written.
    await dialog.getByLabel('Nom', { exact: true }).fill('Claire Dumont');
    await dialog.getByLabel('Adresse e-mail').fill('claire.dumont');
    await dialog.getByLabel('Lien avec la personne').fill('Psychiatre de la clinique');
    await dialog.getByRole('checkbox', { name: 'Objectifs' }).check();
    const share = dialog.getByRole('button', { name: 'Karim Benali a dit oui : ajouter et partager' });
    await share.click();
    await expectText(dialog.locator('.field-invalid').first(), /n’est pas valable/);
    await dialog.getByLabel('Adresse e-mail').fill(invitedEmail);
    await dialog.getByLabel('Langue de l’e-mail').selectOption('fr');
    await dialog.getByLabel(/Indiquer sa profession/).fill('psychiatre');
    await expectNoAxeViolations(lead);
    await share.click();
    await expectText(dialog, /Un e-mail a été envoyé à claire\.dumont@les-saules\.example/);
    await expectText(dialog, /Claire Dumont n’a pas encore de compte Liaison : cela prendra effet/);
    await dialog.getByRole('button', { name: 'Vers le réseau' }).click();
    await lead.waitForURL(`${baseUrl}/plans/${KARIM_PLAN}/network`);
  });

  it('recorded the consent for the invited member before the account exists, with a note that says so', async () => {
    const members = await apiInPage<Array<{ id: string; name: string; userId: string | null }>>(
      lead,
      'GET',
      `/plans/${KARIM_PLAN}/members`,
    );
    const claire = members.find((m) => m.name === 'Claire Dumont');
    expect(claire?.userId).toBeNull();
    const grants = await apiInPage<{ items: Array<{ memberId: string; section: string; method: string }> }>(
      lead,
      'GET',
      `/plans/${KARIM_PLAN}/grants`,
    );
    expect(grants.items.filter((g) => g.memberId === claire?.id).map((g) => [g.section, g.method])).toEqual([
      ['goals', 'verbal'],
    ]);
    await lead.goto(`${baseUrl}/plans/${KARIM_PLAN}/consent`);
    await expectText(
      lead.locator('thead'),
      /Pas encore de compte : prend effet dès que Claire Dumont en a un/,
    );
  });

  it('the invited professional opens the e-mailed link in a fresh browser, creates the account and lands on the plan', async () => {
    const mail = await smtp.waitForMail((m) => m.to.includes(invitedEmail));
    const link = mail.links.find((l) => l.includes('/invitation/'));
    expect(link).toBeDefined();
    // E-mails never carry plan content (DESIGN.md, "Accounts").
    expect(mail.text).not.toContain('Karim');

    const claire = await freshPage();
    await claire.goto(`${baseUrl}${pathOf(link ?? '')}`);
    await expectText(claire.locator('main h1'), /Bienvenue dans Liaison/);
    await expectText(claire.locator('main'), /Léa Janssens vous invite dans Liaison/);
    await expectText(claire.locator('main'), /Clinique psychiatrique Les Saules/);
    expect(await claire.locator('main').textContent()).not.toContain('Karim');
    await expectAccessibleInEveryLanguage(claire, 'fr');

    // The rule in plain words, before anything is sent.
    await claire.getByLabel('Nouveau mot de passe', { exact: true }).fill('court');
    await claire.getByRole('button', { name: 'Créer mon compte' }).click();
    await expectText(claire.locator('.field-invalid').first(), /trop court/);
    await claire.getByLabel('Nouveau mot de passe', { exact: true }).fill('les saules en automne');
    await claire.getByLabel('Nouveau mot de passe, encore une fois').fill('les saules en automne');
    await claire.getByRole('button', { name: 'Créer mon compte' }).click();
    await claire.waitForURL(`${baseUrl}/plans/${KARIM_PLAN}`);
    await expectText(claire.locator('main h1'), /Karim/);
    await expectText(claire.locator('.signed-in'), /Claire Dumont/);
    // The grant recorded before the account existed has taken effect.
    await expectText(claire.locator('main'), /Objectifs/);

    // The link was for one use only: it now gets the one kind answer.
    const again = await freshPage();
    await again.goto(`${baseUrl}${pathOf(link ?? '')}`);
    await expectText(again.locator('main'), /ne fonctionne plus|no longer works|werkt niet meer/);
  });

  it('in Dutch: changes the password, which signs the other device out; then signs out everywhere', async () => {
    const here = await freshPage();
    const other = await freshPage();
    await signIn(other, baseUrl, 'tom.colead@demo.example');
    await signIn(here, baseUrl, 'tom.colead@demo.example');
    await here.getByRole('link', { name: 'Mijn account' }).click();
    await here.waitForURL(`${baseUrl}/account`);
    await expect.poll(() => here.locator('.device-list > li').count()).toBe(2);
    await expectText(here.locator('.device-list'), /Dit toestel/);
    await expectAccessibleInEveryLanguage(here, 'nl');

    await here.getByLabel('Huidig wachtwoord').fill('niet-mijn-wachtwoord');
    await here.getByLabel('Nieuw wachtwoord', { exact: true }).fill('groene fiets in de regen');
    await here.getByLabel('Nieuw wachtwoord nog eens').fill('groene fiets in de regen');
    await here.getByRole('button', { name: 'Mijn wachtwoord wijzigen' }).click();
    await expectText(here.locator('.field-invalid').first(), /Je huidige wachtwoord klopt niet/);
    await here.getByLabel('Huidig wachtwoord').fill(DEMO_PASSWORD);
    await here.getByRole('button', { name: 'Mijn wachtwoord wijzigen' }).click();
    await expectText(here.locator('main'), /Je wachtwoord is gewijzigd/);
    await expect.poll(() => here.locator('.device-list > li').count()).toBe(1);
    await expectText(here.locator('main'), /Je bent nergens anders aangemeld/);

    // The other device's session has ended.
    await other.reload();
    await other.waitForURL(/\/login/);

    await here.getByRole('button', { name: 'Overal afmelden' }).click();
    const dialog = here.getByRole('dialog');
    await expectText(dialog, /Je wordt afgemeld op dit toestel/);
    await expectNoAxeViolations(here);
    await dialog.getByRole('button', { name: 'Ja, overal afmelden' }).click();
    await here.waitForURL(/\/login\?signedOut=everywhere/);
    await expectText(here.locator('main'), /Je bent overal afgemeld/);

    // The new password works.
    await here.locator('#email').fill('tom.colead@demo.example');
    await here.locator('#password').fill('groene fiets in de regen');
    await here.locator('form button[type=submit]').click();
    await here.waitForURL((url) => !url.pathname.startsWith('/login'));
  });

  it('in Dutch: a forgotten password is reset with the e-mailed link', async () => {
    const page = await freshPage();
    await page.goto(`${baseUrl}/login`);
    await switchLanguage(page, 'nl');
    await page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
    await page.waitForURL(`${baseUrl}/forgot-password`);
    await expectNoAxeViolations(page);
    await page.getByLabel('E-mailadres').fill('nora.partner@demo.example');
    await page.getByRole('button', { name: 'Stuur me een link' }).click();
    await expectText(
      page.locator('main'),
      /Als nora\.partner@demo\.example bij een account in Liaison hoort/,
    );

    const mail = await smtp.waitForMail((m) => m.to.includes('nora.partner@demo.example'));
    const link = mail.links.find((l) => l.includes('/reset-password/'));
    expect(link).toBeDefined();
    await page.goto(`${baseUrl}${pathOf(link ?? '')}`);
    await expectText(page.locator('main h1'), /Kies een nieuw wachtwoord/);
    await expectNoAxeViolations(page);
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('de zee bij oostende');
    await page.getByLabel('Nieuw wachtwoord nog eens').fill('de zee bij oostend');
    await page.getByRole('button', { name: 'Mijn nieuwe wachtwoord bewaren' }).click();
    await expectText(page.locator('.field-invalid').first(), /niet hetzelfde/);
    await page.getByLabel('Nieuw wachtwoord nog eens').fill('de zee bij oostende');
    await page.getByRole('button', { name: 'Mijn nieuwe wachtwoord bewaren' }).click();
    await page.waitForURL(/\/login\?reset=done/);
    await expectText(page.locator('main'), /Je nieuwe wachtwoord is bewaard/);
  });

  it('in Dutch: the organisation admin edits the directory entry; a change made meanwhile keeps the typed text', async () => {
    const page = await freshPage();
    await signIn(page, baseUrl, 'ada.admin@demo.example');
    await page.getByRole('link', { name: 'Onze organisatie' }).click();
    await page.waitForURL(`${baseUrl}/admin/organization`);
    await expectAccessibleInEveryLanguage(page, 'nl');
    await page.getByLabel('Telefoon').fill('02 555 01 11');
    await page.getByRole('button', { name: 'Bewaren', exact: true }).click();
    await expectText(page.locator('main'), /De fiche is bewaard/);

    // Someone else saves the entry meanwhile.
    const me = await apiInPage<{ organization: { id: string } }>(page, 'GET', '/me');
    const entry = await apiInPage<{ version: number }>(page, 'GET', `/organizations/${me.organization.id}`);
    await apiInPage(
      page,
      'PATCH',
      `/organizations/${me.organization.id}`,
      { openingHours: 'ma–vr 9–17 u' },
      entry.version,
    );

    await page.getByLabel('Postcode').fill('1000');
    await page.getByRole('button', { name: 'Bewaren', exact: true }).click();
    await expectText(
      page.getByRole('alert').filter({ hasText: 'Iemand anders' }),
      /staat nog in het formulier/,
    );
    expect(await page.getByLabel('Postcode').inputValue()).toBe('1000');
    await page.getByRole('button', { name: 'Mijn wijzigingen bovenop de hunne bewaren' }).click();
    await expectText(page.locator('main'), /De fiche is bewaard/);
    expect(await page.getByLabel('Openingsuren').inputValue()).toBe('ma–vr 9–17 u');
    expect(await page.getByLabel('Postcode').inputValue()).toBe('1000');
  });
});
