import { and, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { appendAuditEvent } from '../../../db/queries/audit.ts';
import { auditEvents } from '../../../db/schema/index.ts';
import { PlanExportSchema } from '../../../domain/schemas/exports.ts';
import { SECTIONS } from '../../../domain/sections.ts';
import { EXPORT_LOG_PAGE } from '../../../server/exports/plan-export.ts';
import { PLAN_PDF_TEXTS } from '../../../server/exports/plan-pdf-texts.ts';
import { addCoLead, addGoal, addGrants, addMember, addPartner, createPlan } from '../../factories/plans.ts';
import { addAction, addBackground, addCrisisPlan } from '../../factories/sections.ts';
import { createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { readableText, sameSpaces } from '../../helpers/pdf-text.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// Issue 17: the client's export (JSON and PDF) and the plan printed for a member without an account.

describe('exports and prints', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db, { name: 'Huis Zonder Naam' });
  const leaUser = await createProfessional(db, { organization, name: 'Léa Janssens', locale: 'nl' });
  // Karim reads Liaison in Dutch (his account); Chloé has no account and speaks French.
  const karim = await createPlan(db, {
    organization,
    lead: leaUser,
    client: { name: 'Karim Benali', locale: 'nl' },
  });
  const chloe = await createPlan(db, {
    organization,
    lead: leaUser,
    clientAccount: false,
    clientRecord: { firstName: 'Chloé', lastName: 'Dubois', preferredLanguage: 'fr' },
  });
  const closed = await createPlan(db, {
    organization,
    lead: leaUser,
    phase: 'closed',
    plan: { closedAt: new Date() },
  });
  await addGoal(db, karim, { title: 'Goal GOALS-CANARY-KARIM', clientWords: 'Een eigen studio' });
  await addAction(db, karim, { title: 'Action ACTIONS-CANARY-KARIM' });
  await addCrisisPlan(db, karim, { earlySigns: 'CRISIS-CANARY-KARIM' });
  await addBackground(db, karim, { situation: 'BACKGROUND-CANARY-KARIM' });
  await addGoal(db, chloe, { title: 'Objectif GOALS-CANARY-CHLOE' });
  const paul = await addPartner(db, karim, { grants: ['goals', 'network'], name: 'Paul Peeters' });
  const tom = await addCoLead(db, karim, { name: 'Tom Co-lead' });
  // Inès has no account: the client agreed in writing that she may read the goals, the actions
  // and (recorded, but never for someone nobody confirmed bound by secrecy) the background.
  const ines = await addMember(db, karim, { name: 'Inès Martin', relation: 'Zus' });
  await addGrants(db, karim, ines, ['goals', 'actions', 'background'], {
    method: 'written',
    validUntil: new Date(Date.UTC(2027, 2, 3, 12)),
  });
  const nobody = await addMember(db, karim, { name: 'Jan Zonder Toestemming', relation: 'Buur' });
  const pending = await addMember(db, karim, {
    kind: 'professional',
    name: 'Dr. Sarah Pending',
    organizationId: organization.id,
    relation: 'Psychiater',
  });
  await addGrants(db, karim, pending, ['crisis', 'background']);
  const stranger = await createProfessional(db);

  const lea = as(app, await signedInAs(app, leaUser));
  const client = as(app, await signedInAs(app, karim.client));
  const partner = as(app, await signedInAs(app, paul.user));
  const coLead = as(app, await signedInAs(app, tom.user));
  const outsider = as(app, await signedInAs(app, stranger));

  const url = (planId: string, path: string) => `/api/plans/${planId}/${path}`;
  const events = async (planId: string, action: string) =>
    db
      .select({
        actor: auditEvents.actorUserId,
        outcome: auditEvents.outcome,
        sections: auditEvents.sections,
        subjectId: auditEvents.subjectId,
        details: auditEvents.details,
      })
      .from(auditEvents)
      .where(and(eq(auditEvents.planId, planId), eq(auditEvents.action, action)));

  describe('GET /plans/:planId/export (JSON)', () => {
    it('requires a session', async () => {
      const response = await app.inject({ method: 'GET', url: url(karim.plan.id, 'export') });
      expect(response.statusCode).toBe(401);
    });

    it('answers 404 to someone who may not see the plan, and 403 (logged) to a partner', async () => {
      expect((await outsider.get(url(karim.plan.id, 'export'))).statusCode).toBe(404);
      const refused = await partner.get(url(karim.plan.id, 'export'));
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body).not.toContain('CANARY');
      expect(await events(karim.plan.id, 'export')).toEqual([
        expect.objectContaining({ actor: paul.user.id, outcome: 'refused' }),
      ]);
    });

    it('gives the lead the whole plan, round-tripping through its schema, as an attachment', async () => {
      const response = await lea.get(url(karim.plan.id, 'export'));
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['content-type']).toContain('application/json');
      expect(response.headers['cache-control']).toBe('no-store');
      const disposition = String(response.headers['content-disposition']);
      expect(disposition).toMatch(/^attachment; filename="liaison-plan-\d{4}-\d{2}-\d{2}\.json"$/);
      expect(disposition).not.toMatch(/karim|benali/i);
      const body: unknown = JSON.parse(response.body);
      const parsed = PlanExportSchema.parse(body);
      // Nothing stripped, nothing missing: the schema documents exactly what is written.
      expect(parsed).toEqual(body);
      expect(parsed.plan.client.name).toBe('Karim Benali');
      for (const section of SECTIONS) expect(parsed.plan.sections[section].withheld).toBe(false);
      expect(response.body).toContain('GOALS-CANARY-KARIM');
      expect(response.body).toContain('BACKGROUND-CANARY-KARIM');
      expect(response.body).not.toContain('GOALS-CANARY-CHLOE');
      // The consent history with how, by whom and when it was recorded.
      const inesGrants = parsed.consent.grants.filter((grant) => grant.memberId === ines.id);
      expect(inesGrants.map((grant) => grant.section).sort()).toEqual(['actions', 'background', 'goals']);
      expect(inesGrants.every((g) => g.method === 'written' && g.recordedBy.id === leaUser.id)).toBe(true);
      // The sections as the overview route answers them.
      const overview = await lea.get(`/api/plans/${karim.plan.id}`);
      expect(parsed.plan.sections).toEqual(overview.json<{ sections: unknown }>().sections);
      // Its own event is in the log it carries.
      expect(parsed.accessLog[0]).toMatchObject({ action: 'export', actor: { id: leaUser.id } });
      const exported = (await events(karim.plan.id, 'export')).filter((e) => e.outcome === 'ok');
      expect(exported).toEqual([expect.objectContaining({ actor: leaUser.id })]);
      expect([...(exported[0]?.sections ?? [])].sort()).toEqual([...SECTIONS].sort());
    });

    it('exports a history longer than a page whole, newest first, each event once', async () => {
      const planId = chloe.plan.id;
      const extra = EXPORT_LOG_PAGE * 2 + 7;
      for (let i = 0; i < extra; i++)
        await appendAuditEvent(db, { planId, actorUserId: leaUser.id, action: 'read', sections: ['goals'] });
      const response = await lea.get(url(planId, 'export'));
      expect(response.statusCode).toBe(200);
      const parsed = PlanExportSchema.parse(JSON.parse(response.body));
      const [{ n } = { n: 0 }] = await db
        .select({ n: count() })
        .from(auditEvents)
        .where(eq(auditEvents.planId, planId));
      expect(parsed.accessLog).toHaveLength(n);
      expect(n).toBeGreaterThan(extra);
      const seqs = parsed.accessLog.map((event) => event.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      expect(new Set(seqs).size).toBe(seqs.length);
    });

    it('lets the client export their own plan, also once it is closed, and logs it', async () => {
      const own = await client.get(url(karim.plan.id, 'export'));
      expect(own.statusCode).toBe(200);
      expect(PlanExportSchema.parse(JSON.parse(own.body)).plan.myRole).toBe('client');
      expect(await events(karim.plan.id, 'export')).toContainEqual(
        expect.objectContaining({ actor: karim.client.id, outcome: 'ok' }),
      );
      const closedPlan = await as(app, await signedInAs(app, closed.client)).get(
        url(closed.plan.id, 'export'),
      );
      expect(closedPlan.statusCode).toBe(200);
    });
  });

  describe('GET /plans/:planId/export.pdf', () => {
    it('requires a session, hides the plan from strangers and refuses partners', async () => {
      expect((await app.inject({ method: 'GET', url: url(karim.plan.id, 'export.pdf') })).statusCode).toBe(
        401,
      );
      expect((await outsider.get(url(karim.plan.id, 'export.pdf'))).statusCode).toBe(404);
      expect((await partner.get(url(karim.plan.id, 'export.pdf'))).statusCode).toBe(403);
    });

    it("writes the plan in the client's language (Dutch), with the network, who may read what and who looked", async () => {
      const started = performance.now();
      const response = await client.get(url(karim.plan.id, 'export.pdf'));
      const ms = performance.now() - started;
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="liaison-plan-[\d-]+\.pdf"$/,
      );
      const pdf = response.rawPayload;
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = readableText(pdf);
      const nl = PLAN_PDF_TEXTS.nl;
      for (const expected of [
        nl.exportTitle('Karim Benali'),
        nl.partPlan,
        nl.section.goals,
        nl.section.crisis,
        nl.section.background,
        nl.partNetwork,
        nl.partShares,
        nl.partLooks,
        'GOALS-CANARY-KARIM',
        'CRISIS-CANARY-KARIM',
        'Inès Martin',
        // Paul may read the goals and the network; Inès (no account) is told only what she may receive.
        nl.sharesWith('Paul Peeters', `${nl.section.network} en ${nl.section.goals}`),
        nl.sharesWith('Inès Martin', `${nl.section.goals} en ${nl.section.actions}`),
      ])
        expect(text).toContain(sameSpaces(expected));
      expect(text).not.toContain(PLAN_PDF_TEXTS.fr.partPlan);
      expect(text).toMatch(/Léa Janssens \(Huis Zonder Naam\): \d+ keer/);
      expect(text).not.toContain('\ufffd');
      console.info(`export.pdf: ${pdf.length} bytes in ${ms.toFixed(0)} ms`);
    });

    it('writes French for a client recorded as French-speaking, exported by the lead', async () => {
      const response = await lea.get(url(chloe.plan.id, 'export.pdf'));
      expect(response.statusCode).toBe(200);
      const text = readableText(response.rawPayload);
      const fr = PLAN_PDF_TEXTS.fr;
      for (const expected of [
        fr.exportTitle('Chloé Dubois'),
        fr.partPlan,
        fr.section.goals,
        fr.section.crisis,
        'GOALS-CANARY-CHLOE',
      ])
        expect(text).toContain(sameSpaces(expected));
      expect(text).not.toContain(PLAN_PDF_TEXTS.nl.partPlan);
    });
  });

  describe('GET /plans/:planId/print', () => {
    const printUrl = (memberId: string, planId = karim.plan.id) => url(planId, `print?memberId=${memberId}`);

    it('requires a session and a valid member id', async () => {
      expect((await app.inject({ method: 'GET', url: printUrl(ines.id) })).statusCode).toBe(401);
      for (const bad of [
        url(karim.plan.id, 'print'),
        url(karim.plan.id, 'print?memberId=nope'),
        `${printUrl(ines.id)}&x=1`,
      ]) {
        const response = await lea.get(bad);
        expect(response.statusCode, bad).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
      expect((await lea.get(printUrl(chloe.plan.id))).statusCode).toBe(404);
      // A member of another plan is not a member of this one.
      expect((await lea.get(printUrl(chloe.leadMember.id))).statusCode).toBe(404);
    });

    it('refuses (403, logged) the client and partners, and hides the plan from strangers', async () => {
      expect((await outsider.get(printUrl(ines.id))).statusCode).toBe(404);
      for (const who of [client, partner]) {
        const response = await who.get(printUrl(ines.id));
        expect(response.statusCode).toBe(403);
        expect(response.body).not.toContain('CANARY');
      }
      const refused = (await events(karim.plan.id, 'print')).filter((e) => e.outcome === 'refused');
      expect(refused.map((e) => e.actor).sort()).toEqual([karim.client.id, paul.user.id].sort());
      expect((await lea.get(printUrl(closed.leadMember.id, closed.plan.id))).statusCode).toBe(403);
    });

    it('prints for a member without an account exactly what they may read, never the secrecy-bound background', async () => {
      const started = performance.now();
      const response = await lea.get(printUrl(ines.id));
      const ms = performance.now() - started;
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      const text = readableText(response.rawPayload);
      const nl = PLAN_PDF_TEXTS.nl;
      expect(text).toContain(sameSpaces(nl.printTitle('Inès Martin')));
      expect(text).toContain('GOALS-CANARY-KARIM');
      expect(text).toContain('ACTIONS-CANARY-KARIM');
      for (const withheld of [
        'BACKGROUND-CANARY-KARIM',
        'CRISIS-CANARY-KARIM',
        nl.section.background,
        nl.section.crisis,
      ])
        expect(text).not.toContain(withheld);
      // The footer: the consent, since when and how, until when, the day and who printed it.
      expect(text).toContain(
        sameSpaces(
          nl.printFooterConsent(
            'Karim Benali',
            'Inès Martin',
            `${nl.section.goals} en ${nl.section.actions}`,
          ),
        ),
      );
      expect(text).toContain(nl.method.written);
      expect(text).toContain(sameSpaces(nl.printFooterUntil('3 maart 2027')));
      expect(text).toMatch(/Afgedrukt op .* door Léa Janssens\./);
      console.info(`print: ${response.rawPayload.length} bytes in ${ms.toFixed(0)} ms`);

      const printed = (await events(karim.plan.id, 'print')).filter((e) => e.outcome === 'ok');
      expect(printed).toEqual([
        {
          actor: leaUser.id,
          outcome: 'ok',
          sections: ['goals', 'actions'],
          subjectId: ines.id,
          details: { memberId: ines.id },
        },
      ]);
      // The client sees it in their log, with the member it was printed for.
      const log = await client.get(url(karim.plan.id, 'access-log'));
      const entry = log
        .json<{ items: Array<{ action: string; recipient: { name: string } | null }> }>()
        .items.find((item) => item.action === 'print');
      expect(entry?.recipient?.name).toBe('Inès Martin');
    });

    it('prints in French when asked, for a co-lead too; a professional without an account gets no background either', async () => {
      const response = await coLead.get(`${printUrl(pending.id)}&lang=fr`);
      expect(response.statusCode).toBe(200);
      const text = readableText(response.rawPayload);
      expect(text).toContain(sameSpaces(PLAN_PDF_TEXTS.fr.printTitle('Dr. Sarah Pending')));
      expect(text).toContain('CRISIS-CANARY-KARIM');
      expect(text).not.toContain('BACKGROUND-CANARY-KARIM');
      expect(text).not.toContain('GOALS-CANARY-KARIM');
    });

    it('prints for a member with an account what "see what they see" shows', async () => {
      const response = await lea.get(printUrl(paul.member.id));
      expect(response.statusCode).toBe(200);
      const text = readableText(response.rawPayload);
      expect(text).toContain('GOALS-CANARY-KARIM');
      expect(text).not.toContain('ACTIONS-CANARY-KARIM');
      expect(text).not.toContain('CRISIS-CANARY-KARIM');
    });

    it('answers 409 when nothing is shared with the member, and logs no print', async () => {
      const before = (await events(karim.plan.id, 'print')).length;
      const response = await lea.get(printUrl(nobody.id));
      expect(response.statusCode).toBe(409);
      expect(response.json<{ type: string }>().type).toContain('nothing-shared');
      expect((await events(karim.plan.id, 'print')).length).toBe(before);
      await db.execute(sql`select 1`);
    });
  });
});
