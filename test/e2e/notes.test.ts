import { expect, it } from 'vitest';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import { expectAccessibleInEveryLanguage, expectText, signIn, switchLanguage } from '../helpers/web.ts';

// Issue 14 (parts 4 and 5): Paul (psychiatrist, bound by professional secrecy, `contribute` on
// Karim's meetings and actions) adds a note to the consultation he took part in and a note to the
// action he owns, from the web app; both threads keep the new note and the earlier ones.

const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';

describeInBrowser('notes from partners in the browser', { timeout: 120_000 }, async () => {
  const { baseUrl, context } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  it('lets Paul add a meeting note and an action note; each thread keeps them and the earlier notes', async () => {
    await signIn(page, baseUrl, 'paul.partner@demo.example');
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
    const meeting = page.locator('.item', { hasText: 'Netwerkoverleg Karim: wonen en werk' });
    await expectText(meeting, /Karim na het overleg nog gezien/);

    // The meeting: a note to the consultation he took part in.
    await meeting
      .getByRole('button', { name: 'Een notitie toevoegen: Netwerkoverleg Karim: wonen en werk' })
      .click();
    await expectText(meeting, /alleen gelezen door de begeleider, de cliënt en hulpverleners/);
    await meeting
      .getByLabel('Jouw notitie over dit overleg')
      .fill('PAUL-MEETING-NOTE: medicatie ongewijzigd.');
    await meeting.getByRole('button', { name: 'Bewaren' }).click();
    await expectText(meeting, /Je notitie is toegevoegd\./);
    await expectText(meeting, /PAUL-MEETING-NOTE: medicatie ongewijzigd\./);
    await expectText(meeting, /Karim na het overleg nog gezien/);

    // The action he owns: a note and a status, appended to its thread.
    const action = page.locator('.item', {
      hasText: 'Maandelijkse consultatie en opvolging van de behandeling',
    });
    await action.getByRole('button', { name: /^Bijwerken: / }).click();
    await action.getByLabel('Stand van zaken').selectOption('done');
    await action.getByLabel('Een notitie toevoegen').fill('PAUL-ACTION-NOTE: volgende consultatie in maart.');
    await action.getByRole('button', { name: 'Bewaren' }).click();
    await expectText(action, /PAUL-ACTION-NOTE: volgende consultatie in maart\./);
    await expectText(action, /Volgende afspraak vastgelegd\. Geen wijziging nodig\./);
    await expectText(action, /Stand van zaken: Klaar/);

    // After a reload both threads still hold every note, the earlier ones first.
    await page.reload();
    const thread = action.locator('.action-thread li');
    await expect.poll(() => thread.count()).toBe(2);
    expect(await thread.nth(0).textContent()).toContain('Volgende afspraak vastgelegd');
    expect(await thread.nth(1).textContent()).toContain('PAUL-ACTION-NOTE');
    const notes = meeting.locator('.notes li');
    const texts = await notes.allTextContents();
    expect(texts.some((t) => t.includes('Karim na het overleg nog gezien'))).toBe(true);
    expect(texts.at(-1)).toContain('PAUL-MEETING-NOTE');
    await expectAccessibleInEveryLanguage(page);

    // In French the forms read the same way, and pass axe open.
    await switchLanguage(page, 'fr');
    await meeting
      .getByRole('button', { name: 'Ajouter une note: Netwerkoverleg Karim: wonen en werk' })
      .click();
    await expectText(meeting, /Votre note sur cette concertation/);
    await expectAccessibleInEveryLanguage(page, 'fr');
    await meeting.getByRole('button', { name: 'Annuler' }).click();
    await switchLanguage(page, 'nl');
  });
});
