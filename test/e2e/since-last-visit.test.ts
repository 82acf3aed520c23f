import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { DEMO_IDS } from '../../db/seed/demo.ts';
import { describeInBrowser, startBrowserSession } from '../helpers/browser.ts';
import { expectAccessibleInEveryLanguage, expectText, signIn } from '../helpers/web.ts';

// Issue 14 (part 6): "new since your last visit". Nora opens Karim's plan; the next day Léa has
// changed one of the goals Nora reads. Nora (in French, her language) sees what is new, and only that.

const KARIM_PLAN = DEMO_IDS.karimPlan;

describeInBrowser('new since your last visit', { timeout: 120_000 }, async () => {
  const { baseUrl, context, db } = await startBrowserSession();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  /** A day passes: everything in Karim's plan, and Nora's last look at it, is a day older. */
  const aDayPasses = () =>
    db.transaction(async (tx) => {
      // The threads and the log are append-only (triggers): the test steps around them to move their clock.
      await tx.execute(sql`set local session_replication_role = replica`);
      for (const table of [
        'goals',
        'actions',
        'agreements',
        'meetings',
        'evaluations',
        'plan_requests',
        'crisis_plans',
        'backgrounds',
      ])
        await tx.execute(
          sql`update ${sql.identifier(table)} set updated_at = updated_at - interval '1 day' where plan_id = ${KARIM_PLAN}`,
        );
      for (const table of ['members', 'action_entries', 'meetings'])
        await tx.execute(
          sql`update ${sql.identifier(table)} set created_at = created_at - interval '1 day' where plan_id = ${KARIM_PLAN}`,
        );
      await tx.execute(
        sql`update plan_visits set last_seen_at = last_seen_at - interval '1 day' where plan_id = ${KARIM_PLAN}`,
      );
    });

  it('says nothing on a first visit', async () => {
    await signIn(page, baseUrl, 'nora.partner@demo.example');
    await page.goto(`${baseUrl}/plans/${KARIM_PLAN}`);
    await expectText(page.locator('main h1'), /Karim Benali/);
    expect(await page.locator('.since-last-visit').count()).toBe(0);
    expect(await page.locator('.badge-new').count()).toBe(0);
  });

  it('names the section and marks the goal Léa changed since', async () => {
    await aDayPasses();
    await db.execute(
      sql`update goals set title = 'Werken in het houtatelier', updated_at = now(), updated_by = ${DEMO_IDS.lea}, version = version + 1 where id = ${DEMO_IDS.karimGoalWork}`,
    );
    await page.reload();
    const news = page.locator('.since-last-visit');
    await expectText(news, /Nouveau depuis votre dernière visite/);
    expect(await news.getByRole('link').allTextContents()).toEqual(['Objectifs']);
    await expect.poll(() => page.locator('.badge-new').count()).toBe(1);
    await expectText(page.locator('.item', { has: page.locator('.badge-new') }), /Werken in het houtatelier/);
    await news.getByRole('link', { name: 'Objectifs' }).click();
    expect(new URL(page.url()).hash).toBe('#read-step-goals');
    // Reading the page again within the hour keeps the marks (and checks every language).
    await expectAccessibleInEveryLanguage(page);
    await expect.poll(() => page.locator('.badge-new').count()).toBe(1);
  });
});
