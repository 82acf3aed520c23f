import { expect, it } from 'vitest';
import { grants } from '../../db/schema/index.ts';
import { grantRow } from '../factories/rows.ts';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import { expectAccessibleInEveryLanguage, expectText, signIn, signOut } from '../helpers/web.ts';

// Evaluating together (issue 14, part 7): Nora, with the client's consent to contribute to the
// evaluations, and Karim himself each give their own rating of the evaluation; Léa reads them
// side by side on the plan page.

const KARIM_PLAN = 'de000000-0000-4000-8000-000000000401';
const KARIM_MEMBER_NORA = 'de000000-0000-4000-8000-000000000504';
const LEA = 'de000000-0000-4000-8000-000000000202';

describeInBrowser('evaluating together in the browser', { timeout: 120_000 }, async () => {
  const { baseUrl, context, db } = await startBrowserSession();
  // Karim agreed (in writing) that Nora adds her own words to the evaluations.
  await db.insert(grants).values(
    grantRow({
      planId: KARIM_PLAN,
      memberId: KARIM_MEMBER_NORA,
      section: 'evaluations',
      access: 'contribute',
      method: 'written',
      validFrom: new Date(Date.now() - 86_400_000),
      recordedBy: LEA,
    }),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  it('lets Nora add her rating with the faces scale, by keyboard', async () => {
    await signIn(page, baseUrl, 'nora.partner@demo.example');
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
    await page.getByRole('button', { name: 'Donner votre avis' }).click();
    const form = page.getByRole('form', { name: 'Votre avis sur cette évaluation' });
    const goals = form.getByRole('group', { name: 'Comment se sont passés les objectifs ?' });
    // The radio group is used as screen readers and keyboards know it: focus, then arrows.
    await goals.getByRole('radio', { name: 'Bien', exact: true }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => goals.getByRole('radio', { name: 'Bien', exact: true }).isChecked()).toBe(true);
    await form.getByLabel('Sur les objectifs, avec vos mots').fill('Karim vient chaque jour à l’atelier.');
    await form
      .getByRole('group', { name: 'Comment s’est passée la collaboration ?' })
      .getByRole('radio', { name: 'Très bien' })
      .check();
    await expectAccessibleInEveryLanguage(page);
    await form.getByRole('button', { name: 'Enregistrer mon avis' }).click();
    await expectText(page.locator('.contributions'), /Votre avis[\s\S]*Bien[\s\S]*Karim vient chaque jour/);
    await expect.poll(() => page.getByRole('button', { name: 'Changer votre avis' }).count()).toBe(1);
    await expectAccessibleInEveryLanguage(page);
    await signOut(page);
  });

  it('lets Karim say what he thinks from his own plan, in plain words (French, his language)', async () => {
    await signIn(page, baseUrl, 'karim.client@demo.example');
    await page.goto(`${baseUrl}/my/plan`);
    await page.getByRole('button', { name: 'Dire ce que vous pensez' }).click();
    const form = page.getByRole('form', { name: 'Ce que vous pensez' });
    // Without a face or a word, nothing is sent and the form says why.
    await form.getByRole('button', { name: 'Enregistrer mon avis' }).click();
    await expectText(form, /Choisissez un visage ou écrivez quelques mots\./);
    await form
      .getByRole('group', { name: 'Comment ça s’est passé avec votre réseau ?' })
      .getByRole('radio', { name: 'Moyen' })
      .check();
    await form.getByLabel('Dites-le avec vos mots').last().fill('Parfois trop de monde en même temps.');
    await form.getByRole('button', { name: 'Enregistrer mon avis' }).click();
    await expectText(page.locator('.contributions'), /Votre avis[\s\S]*Moyen[\s\S]*Parfois trop de monde/);
    // Nora's rating is there too, under her name.
    await expectText(page.locator('.contributions'), /Nora El Idrissi/);
    await expectAccessibleInEveryLanguage(page);
    await signOut(page);
  });

  it('shows Léa both ratings beside her evaluation', async () => {
    await signIn(page, baseUrl, 'lea.lead@demo.example');
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
    const said = page.locator('.contributions');
    await expectText(said, /Nora El Idrissi[\s\S]*Goed/);
    await expectText(said, /Karim Benali[\s\S]*Gaat wel[\s\S]*Parfois trop de monde en même temps\./);
    expect(await said.locator('.contribution').count()).toBe(2);
    await expectAccessibleInEveryLanguage(page);
  });
});
