import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import type { AuditEvent, CarePlan, CareTeam, Consent, Goal, Patient, Resource } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { appendAuditEvent } from '../../../db/queries/audit.ts';
import { auditEvents } from '../../../db/schema/index.ts';
import { isSecrecyBoundSection, SECTIONS, type Section } from '../../../domain/sections.ts';
import { LOG_PAGE_SIZE } from '../../../server/fhir/plan-bundle.ts';
import { fhirValidator, resourceCounts, type FhirBundle } from '../../consent/fhir-check.ts';
import {
  addCoLead,
  addGoal,
  addGrants,
  addMember,
  addPartner,
  createPlan,
  revokeGrant,
} from '../../factories/plans.ts';
import {
  addAction,
  addAgreement,
  addBackground,
  addCrisisPlan,
  addMeeting,
} from '../../factories/sections.ts';
import { createAdmin, createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs, type SignedInClient } from '../../helpers/session.ts';

// GET /api/plans/:planId/fhir: the plan as a FHIR R4 Bundle, holding only what the caller may read
// (issue 17, part 3). Every bundle any test here receives is validated against the FHIR R4 JSON
// schema and must have 0 errors; what each reader must not see is looked for as canary strings.

const DAY = 86_400_000;
const validator = fhirValidator();
let bundlesValidated = 0;
afterAll(() => {
  process.stdout.write(`fhir: ${bundlesValidated} bundles validated against FHIR R4, 0 errors each\n`);
});

/** The bundle of a 200 answer, validated: 0 schema errors or the test fails. */
async function bundleOf(
  client: SignedInClient,
  planId: string,
): Promise<{ bundle: FhirBundle; raw: string }> {
  const response = await client.get(`/api/plans/${planId}/fhir`);
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
  expect(response.headers['cache-control']).toBe('no-store');
  const bundle = JSON.parse(response.body) as FhirBundle;
  expect(validator.errors(bundle)).toEqual([]);
  bundlesValidated += 1;
  return { bundle, raw: response.body };
}

const resourcesOf = <R extends Resource>(bundle: FhirBundle, type: R['resourceType']): R[] =>
  (bundle.entry ?? []).map((e) => e.resource as unknown as R).filter((r) => r.resourceType === type);

/** Every `urn:uuid:` reference of a bundle names one of its entries. */
function danglingReferences(bundle: FhirBundle, raw: string): string[] {
  const urls = new Set((bundle.entry ?? []).map((e) => e.fullUrl));
  return [...raw.matchAll(/"reference":"(urn:uuid:[0-9a-f-]+)"/g)]
    .map((m) => m[1]!)
    .filter((url) => !urls.has(url));
}

describe('the plan as a FHIR R4 bundle', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });

  const organization = await createOrganization(db, { name: 'Begeleid Wonen Brussel' });
  const lea = await createProfessional(db, { organization, secrecyBound: true, name: 'Léa Janssens' });
  const karim = await createPlan(db, {
    organization,
    lead: lea,
    client: { name: 'Karim Benali' },
    clientRecord: {
      phone: '+32 470 CANARY-PHONE',
      email: 'canary-email@factory.example',
      address: 'CANARY-ADDRESS Rue 1, 1070 Anderlecht',
    },
    request: { clientWords: 'CANARY-REQUEST mijn eigen woorden' },
  });
  const KARIM = karim.plan.id;
  const tom = await addCoLead(db, karim, { name: 'Tom Colead', secrecyBound: true });
  const paul = await addPartner(db, karim, {
    name: 'Paul Psychiater',
    secrecyBound: true,
    relation: 'Psychiatre',
    grants: ['network', 'goals', 'actions', 'agreements', 'background'],
    grant: { access: 'contribute', note: 'CANARY-GRANT-NOTE' },
  });
  const nora = await addPartner(db, karim, { name: 'Nora Woonbegeleiding', grants: ['goals'] });
  // Nora's agreements grant was withdrawn; her crisis grant ran out.
  const [noraAgreements] = await addGrants(db, karim, nora.member, ['agreements']);
  await revokeGrant(db, karim, noraAgreements!, { reason: 'CANARY-REVOKE-REASON' });
  await addGrants(db, karim, nora.member, ['crisis'], {
    validFrom: new Date(Date.now() - 60 * DAY),
    validUntil: new Date(Date.now() - DAY),
  });
  const sam = await addPartner(db, karim, { name: 'Sam Schuldbemiddeling', grants: ['goals', 'crisis'] });
  await addMember(db, karim, { name: 'Yasmina CANARY-SISTER', relation: 'Sœur' });
  await addMember(db, karim, {
    name: 'Mohamed CANARY-FATHER',
    relation: 'Père',
    status: 'past',
    hidden: true,
    endedOn: '2015-06-30',
  });
  const housing = await addGoal(db, karim, {
    title: 'CANARY-GOAL-HOUSING : un logement à moi', // a French non-breaking space before ':'
    clientWords: 'Ik wil CANARY-GOAL-WORDS alleen wonen',
    status: 'in_progress',
    targetDate: '2026-03-01',
  });
  await addGoal(db, karim, { lifeDomain: 'work_day_activity', title: 'CANARY-GOAL-WORK', status: 'open' });
  await addAction(db, karim, {
    title: 'CANARY-ACTION-TITLE',
    description: 'CANARY-ACTION-DESCRIPTION',
    notes: ['CANARY-ACTION-NOTES'],
    goalId: housing.id,
    ownerMemberId: paul.member.id,
    dueOn: '2026-01-15',
    status: 'doing',
  });
  await addAction(db, karim, { title: 'CANARY-ACTION-EMPTY' });
  await addAgreement(db, karim, { role: 'CANARY-AGREEMENT-ROLE', memberId: paul.member.id });
  await addCrisisPlan(db, karim, { earlySigns: 'CANARY-CRISIS' });
  await addBackground(db, karim, { diagnoses: 'CANARY-BACKGROUND' });
  await addMeeting(db, karim, { title: 'CANARY-MEETING', participants: [paul.member] });

  const stranger = await createProfessional(db, { name: 'Stan Stranger' });
  const other = await createPlan(db, { organization, lead: lea, client: { name: 'Fatima Amrani' } });
  const admin = await createAdmin(db, { organization });

  const asLea = as(app, await signedInAs(app, lea));
  const asTom = as(app, await signedInAs(app, tom.user));
  const asPaul = as(app, await signedInAs(app, paul.user));
  const asNora = as(app, await signedInAs(app, nora.user));
  const asSam = as(app, await signedInAs(app, sam.user));
  const asKarim = as(app, await signedInAs(app, karim.client));

  const eventsOf = (actorUserId: string) =>
    db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.planId, KARIM), eq(auditEvents.actorUserId, actorUserId)));

  it('checks bundles with a validator that rejects what FHIR R4 rejects', () => {
    const withResource = (resource: Record<string, unknown>, fullUrl = 'urn:uuid:a1') => ({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ fullUrl, resource: { id: 'a1', ...resource } }],
    });
    expect(validator.errors(withResource({ resourceType: 'Patient', name: [{ text: 'A' }] }))).toEqual([]);
    for (const bad of [
      withResource({ resourceType: 'Patient', name: [{ text: '' }] }), // FHIR has no empty strings
      withResource({ resourceType: 'Patient', nickname: 'A' }), // no such element
      withResource({ resourceType: 'Project', name: 'A' }), // Medplum's own type, not FHIR R4
      withResource({ resourceType: 'Goal', description: { text: 'A' }, subject: { display: 'A' } }), // no lifecycleStatus
      withResource({ resourceType: 'Patient' }, 'urn:uuid:other'), // fullUrl names another id
      { resourceType: 'Bundle', entry: [] }, // no type
    ])
      expect(validator.errors(bad)).not.toEqual([]);
  });

  it('gives the lead every kind of resource, valid FHIR R4, and logs one read via fhir', async () => {
    const before = (await eventsOf(lea.id)).length;
    const { bundle, raw } = await bundleOf(asLea, KARIM);
    expect(bundle.type).toBe('collection');
    expect(resourceCounts(bundle)).toMatchObject({
      Patient: 1,
      CarePlan: 1,
      CareTeam: 1,
      Goal: 2,
      Consent: paul.grants.length + nora.grants.length + 2 + sam.grants.length,
    });
    expect(resourceCounts(bundle).AuditEvent).toBeGreaterThanOrEqual(1);
    expect(danglingReferences(bundle, raw)).toEqual([]);
    for (const entry of bundle.entry ?? []) expect(entry.fullUrl).toBe(`urn:uuid:${entry.resource.id}`);

    const [patient] = resourcesOf<Patient>(bundle, 'Patient');
    expect(patient?.name).toEqual([{ text: 'Karim Benali' }]);
    expect(patient?.telecom).toContainEqual({ system: 'phone', value: '+32 470 CANARY-PHONE' });
    expect(patient?.address).toEqual([{ text: 'CANARY-ADDRESS Rue 1, 1070 Anderlecht' }]);

    const [carePlan] = resourcesOf<CarePlan>(bundle, 'CarePlan');
    expect(carePlan).toMatchObject({ id: KARIM, status: 'active', intent: 'plan' });
    const activity = carePlan?.activity?.find((a) => a.detail?.code?.text === 'CANARY-ACTION-TITLE');
    expect(activity?.detail).toMatchObject({
      kind: 'Task',
      status: 'in-progress',
      description: 'CANARY-ACTION-DESCRIPTION',
      scheduledPeriod: { end: '2026-01-15' },
      // The owner with their part in the network and organisation (DESIGN.md, "Who owns an action").
      performer: [{ display: expect.stringMatching(/^Paul Psychiater \(Psychiatre, .+\)$/) }],
      goal: [{ reference: `urn:uuid:${housing.id}` }],
    });
    // The thread's notes, each with who wrote it and when.
    expect(activity?.progress).toEqual([
      { text: 'CANARY-ACTION-NOTES', authorString: karim.lead.name, time: expect.any(String) },
    ]);

    const goal = resourcesOf<Goal>(bundle, 'Goal').find((g) => g.id === housing.id);
    expect(goal).toMatchObject({
      lifecycleStatus: 'active',
      category: [
        { coding: [{ system: 'https://liaison.brussels/fhir/CodeSystem/life-domain', code: 'housing' }] },
      ],
      target: [{ dueDate: '2026-03-01' }],
    });
    // The French non-breaking space is a plain space: the only change FHIR's string pattern asks.
    expect(goal?.description).toEqual({ text: 'CANARY-GOAL-HOUSING : un logement à moi' });

    const [careTeam] = resourcesOf<CareTeam>(bundle, 'CareTeam');
    const names = careTeam?.participant?.map((p) => p.member?.display);
    expect(names).toEqual(
      expect.arrayContaining(['Léa Janssens', 'Tom Colead', 'Paul Psychiater', 'Yasmina CANARY-SISTER']),
    );
    // The lead sees past and hidden members too, with the end of their part.
    expect(careTeam?.participant).toContainEqual(
      expect.objectContaining({
        member: { display: 'Mohamed CANARY-FATHER' },
        period: { end: '2015-06-30' },
      }),
    );

    const consents = resourcesOf<Consent>(bundle, 'Consent');
    const withdrawn = consents.find((c) => c.id === noraAgreements!.id);
    expect(withdrawn).toMatchObject({ status: 'inactive', provision: { type: 'permit' } });
    expect(JSON.stringify(withdrawn?.extension)).toContain('CANARY-REVOKE-REASON');
    const paulNetwork = consents.find((c) => c.id === paul.grants[0]!.id);
    expect(paulNetwork).toMatchObject({
      status: 'active',
      scope: { coding: [{ code: 'patient-privacy' }] },
      provision: {
        actor: [{ reference: { display: 'Paul Psychiater' } }],
        code: [{ coding: [{ code: 'network' }] }],
        action: [{ coding: [{ code: 'access' }] }, { coding: [{ code: 'correct' }] }],
      },
    });
    const expired = consents.filter((c) => c.provision?.code?.[0]?.coding?.[0]?.code === 'crisis');
    expect(expired.map((c) => c.status).sort()).toEqual(['active', 'inactive']);

    const after = await eventsOf(lea.id);
    expect(after.length).toBe(before + 1);
    const event = after.at(-1)!;
    expect(event).toMatchObject({ action: 'read', outcome: 'ok', details: { via: 'fhir' } });
    expect([...event.sections].sort()).toEqual(['actions', 'agreements', 'goals', 'network']);
    // The export's own read is in the log it exports.
    const recorded = resourcesOf<AuditEvent>(bundle, 'AuditEvent').map((a) => a.recorded);
    expect(recorded).toContain(event.at.toISOString());
  });

  it('gives a co-lead what the lead gets', async () => {
    const { bundle } = await bundleOf(asTom, KARIM);
    expect(Object.keys(resourceCounts(bundle)).sort()).toEqual(
      ['AuditEvent', 'CarePlan', 'CareTeam', 'Consent', 'Goal', 'Patient'].sort(),
    );
  });

  it('gives a partner with goals only the client’s name, the goals and a plan without activities', async () => {
    const { bundle, raw } = await bundleOf(asNora, KARIM);
    expect(resourceCounts(bundle)).toEqual({ Patient: 1, CarePlan: 1, Goal: 2 });
    expect(danglingReferences(bundle, raw)).toEqual([]);
    const [patient] = resourcesOf<Patient>(bundle, 'Patient');
    expect(Object.keys(patient!).sort()).toEqual(['id', 'name', 'resourceType']);
    const [carePlan] = resourcesOf<CarePlan>(bundle, 'CarePlan');
    expect(carePlan?.activity).toBeUndefined();
    expect(carePlan?.careTeam).toBeUndefined();
    expect(carePlan?.goal).toHaveLength(2);
    expect(raw).toContain('Karim Benali');
    expect(raw).toContain('CANARY-GOAL-WORDS');
    expect(raw).toContain('Léa Janssens'); // every partner sees the lead
    for (const withheld of [
      'CANARY-PHONE',
      'canary-email',
      'CANARY-ADDRESS',
      'CANARY-REQUEST',
      'CANARY-ACTION',
      'CANARY-AGREEMENT',
      'CANARY-CRISIS',
      'CANARY-BACKGROUND',
      'CANARY-MEETING',
      'CANARY-SISTER',
      'CANARY-FATHER',
      'CANARY-GRANT-NOTE',
      'CANARY-REVOKE-REASON',
      'Paul Psychiater',
      'Tom Colead',
      'Sam Schuldbemiddeling',
      'Psychiatre',
      paul.member.id,
      paul.grants[0]!.id,
      noraAgreements!.id,
    ])
      expect(raw).not.toContain(withheld);
    // Her read is logged, naming the one section the bundle carries.
    expect((await eventsOf(nora.user.id)).at(-1)).toMatchObject({
      action: 'read',
      sections: ['goals'],
      details: { via: 'fhir' },
    });
  });

  it('gives a partner with the network, actions and agreements their parts, and no consent or log', async () => {
    const { bundle, raw } = await bundleOf(asPaul, KARIM);
    expect(resourceCounts(bundle)).toEqual({ Patient: 1, CarePlan: 1, CareTeam: 1, Goal: 2 });
    const [patient] = resourcesOf<Patient>(bundle, 'Patient');
    expect(patient?.telecom).toContainEqual({ system: 'phone', value: '+32 470 CANARY-PHONE' });
    const [careTeam] = resourcesOf<CareTeam>(bundle, 'CareTeam');
    const names = careTeam?.participant?.map((p) => p.member?.display);
    expect(names).toEqual(
      expect.arrayContaining(['Léa Janssens', 'Paul Psychiater', 'Yasmina CANARY-SISTER']),
    );
    // A past member hidden by default from partners is not in their team.
    expect(raw).not.toContain('CANARY-FATHER');
    expect(raw).toContain('CANARY-ACTION-NOTES');
    // Background is shared with Paul, but the bundle has no resource for it.
    for (const absent of ['CANARY-BACKGROUND', 'CANARY-CRISIS', 'CANARY-MEETING', 'CANARY-GRANT-NOTE'])
      expect(raw).not.toContain(absent);
    expect((await eventsOf(paul.user.id)).at(-1)?.sections.slice().sort()).toEqual([
      'actions',
      'agreements',
      'goals',
      'network',
    ]);
  });

  it('gives the client their whole plan with consent and log, and does not log their own read', async () => {
    const before = await db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.planId, KARIM));
    const { bundle } = await bundleOf(asKarim, KARIM);
    expect(resourceCounts(bundle)).toMatchObject({ Patient: 1, CarePlan: 1, CareTeam: 1, Goal: 2 });
    expect(resourceCounts(bundle).Consent).toBeGreaterThan(0);
    expect(resourceCounts(bundle).AuditEvent).toBeGreaterThan(0);
    const after = await db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.planId, KARIM));
    expect(after[0]?.n).toBe(before[0]?.n);
    // Someone outside the network is never named in the log the client exports.
    expect(JSON.stringify(bundle)).not.toContain('Stan Stranger');
  });

  it('drops a withdrawn section at the very next request', async () => {
    const first = await bundleOf(asSam, KARIM);
    expect(resourceCounts(first.bundle).Goal).toBe(2);
    const samGoals = sam.grants.find((g) => g.section === 'goals')!;
    const revoked = await asLea.post(`/api/plans/${KARIM}/grants/${samGoals.id}/revoke`, {});
    expect(revoked.statusCode).toBe(200);
    const next = await bundleOf(asSam, KARIM);
    expect(resourceCounts(next.bundle)).toEqual({ Patient: 1, CarePlan: 1 });
    expect(next.raw).not.toContain('CANARY-GOAL');
    expect(resourcesOf<CarePlan>(next.bundle, 'CarePlan')[0]?.goal).toBeUndefined();
  });

  it('answers 404 for a plan the caller may not see, exactly like a plan that does not exist', async () => {
    const missing = await asLea.get(`/api/plans/${randomUUID()}/fhir`);
    expect(missing.statusCode).toBe(404);
    const body = (raw: string) => ({ ...(JSON.parse(raw) as object), instance: null });
    for (const user of [stranger, admin, other.client]) {
      const client = as(app, await signedInAs(app, user));
      const response = await client.get(`/api/plans/${KARIM}/fhir`);
      expect(response.statusCode).toBe(404);
      expect(body(response.body)).toEqual(body((await client.get(`/api/plans/${randomUUID()}/fhir`)).body));
      expect(response.body).not.toContain('Karim');
    }
    // The attempt on an existing plan is logged as refused (by the plan context).
    expect((await eventsOf(stranger.id)).map((e) => e.outcome)).toEqual(['refused']);
  });

  it('requires a session', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/plans/${KARIM}/fhir` });
    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain('Karim');
  });

  it('exports every event of a log longer than one page, streamed page by page', async () => {
    const plan = await createPlan(db, { organization, lead: lea, client: { name: 'Jan Willems' } });
    const events = LOG_PAGE_SIZE * 2 + 17;
    for (let i = 0; i < events; i += 1)
      await appendAuditEvent(db, {
        planId: plan.plan.id,
        actorUserId: i % 3 === 0 ? stranger.id : lea.id,
        action: i % 5 === 0 ? 'update' : 'read',
        outcome: i % 3 === 0 ? 'refused' : 'ok',
        sections: i % 2 === 0 ? ['goals'] : [],
      });
    const response = await asLea.get(`/api/plans/${plan.plan.id}/fhir`);
    // Streamed: no length known beforehand.
    expect(response.headers['content-length']).toBeUndefined();
    const { bundle } = await bundleOf(asLea, plan.plan.id);
    // Two exports by the lead are in the log too.
    expect(resourceCounts(bundle).AuditEvent).toBe(events + 2);
    const [logged] = await db
      .select({ n: count() })
      .from(auditEvents)
      .where(eq(auditEvents.planId, plan.plan.id));
    expect(logged?.n).toBe(events + 2);
    const ids = new Set(resourcesOf<AuditEvent>(bundle, 'AuditEvent').map((a) => a.id));
    expect(ids.size).toBe(events + 2);
    // The outsider is "someone without access", never named.
    expect(JSON.stringify(bundle)).not.toContain('Stan Stranger');
    expect(JSON.stringify(bundle)).toContain('someone without access');
  });

  it('is valid FHIR R4 and holds nothing withheld, for partners with any grants (property)', async () => {
    const plan = await createPlan(db, { organization, lead: lea, client: { name: 'Marie Dubois' } });
    const goal = await addGoal(db, plan, { title: 'PROP-goals' });
    await addAction(db, plan, { title: 'PROP-actions', goalId: goal.id });
    await addAgreement(db, plan, { role: 'PROP-agreements' });
    await addCrisisPlan(db, plan, { earlySigns: 'PROP-crisis' });
    await addBackground(db, plan, { health: 'PROP-background' });
    await addMember(db, plan, { name: 'PROP-network', relation: 'Ami' });
    const carried: Section[] = ['network', 'goals', 'actions', 'agreements'];
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([...SECTIONS], { minLength: 1 }),
        fc.boolean(),
        async (sections, secrecyBound) => {
          const partner = await addPartner(db, plan, { secrecyBound, grants: sections });
          const client = as(app, await signedInAs(app, partner.user));
          // Secrecy-bound sections only reach a secrecy-bound partner; with nothing else, no plan.
          const readable = sections.filter((s) => secrecyBound || !isSecrecyBoundSection(s));
          if (readable.length === 0) {
            expect((await client.get(`/api/plans/${plan.plan.id}/fhir`)).statusCode).toBe(404);
            return;
          }
          const { raw } = await bundleOf(client, plan.plan.id);
          for (const section of [
            'network',
            'goals',
            'actions',
            'agreements',
            'crisis',
            'background',
          ] as const) {
            const shown = raw.includes(`PROP-${section}`);
            // Agreements' own content has no resource: only the contact details come with it.
            const expected =
              section !== 'agreements' && carried.includes(section) && sections.includes(section);
            expect(shown, `${section} with grants ${sections.join(',')}`).toBe(expected);
          }
          expect(raw).not.toMatch(/"resourceType":"(Consent|AuditEvent)"/);
        },
      ),
      { numRuns: 15 },
    );
  });
});
