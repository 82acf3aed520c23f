import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { SECTION_REGISTRY } from '../../../db/queries/section-registry.ts';
import { SECTION_SCHEMAS } from '../../../domain/schemas/sections.ts';
import { SECTIONS } from '../../../domain/sections.ts';
import { createPlan } from '../../factories/plans.ts';
import { createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// The boundary between PostgreSQL's JSON and the API's types, one section at a time: a record is
// written through the API with every field set to a value other than its default, then read back
// through the section's GET (JSON built by PostgreSQL from the section registry), the item's GET
// (the stored row, picked by the read schema) and the plan's overview. Every field must come back
// as it was written, with exactly the read schema's keys, and the three reads must agree. (The app
// also checks each section's JSON against its read schema in tests and development.)

const json = (response: LightMyRequestResponse): unknown => {
  if (response.statusCode >= 300) throw new Error(`${response.statusCode}: ${response.body}`);
  return response.json();
};
const keysOf = (section: (typeof SECTIONS)[number]) =>
  Object.keys(SECTION_SCHEMAS[section].record.shape).sort();

describe('each section, written with every field and read back', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db, { name: 'Huis van het Kind' });
  const lead = await createProfessional(db, { organization, secrecyBound: true, name: 'Léa Janssens' });
  const partner = await createProfessional(db, { organization, secrecyBound: true, name: 'Paul Verhaegen' });
  const plan = await createPlan(db, { organization, lead, phase: 'goals' });
  const client = as(app, await signedInAs(app, lead));
  const base = `/api/plans/${plan.plan.id}`;

  it('every record has exactly its read schema fields, in every read', async () => {
    for (const section of SECTIONS) {
      const descriptor = SECTION_REGISTRY[section];
      expect(descriptor.section).toBe(section);
      expect(descriptor.schema).toBe(SECTION_SCHEMAS[section].record);
      if (typeof descriptor.fields !== 'function')
        expect(Object.keys(descriptor.fields).sort()).toEqual(keysOf(section));
    }
  });

  it('network: a professional with an account and an organisation, and an informal supporter', async () => {
    const professional = json(
      await client.post(`${base}/members`, {
        kind: 'professional',
        userId: partner.id,
        organizationId: organization.id,
        relation: 'Psychologist',
        lifeDomains: ['health', 'relations'],
        status: 'current',
        hidden: true,
        closeness: 3,
        coLead: false,
      }),
    ) as Record<string, unknown>;
    expect(professional).toEqual({
      id: expect.any(String),
      kind: 'professional',
      name: 'Paul Verhaegen',
      userId: partner.id,
      secrecyBound: true,
      organization: { id: organization.id, name: 'Huis van het Kind' },
      relation: 'Psychologist',
      lifeDomains: ['health', 'relations'],
      status: 'current',
      hidden: true,
      // Hidden by the lead when added: not the client's decision.
      hiddenByClient: false,
      closeness: 3,
      coLead: false,
      endedOn: null,
      version: 1,
    });
    const informal = json(
      await client.post(`${base}/members`, {
        kind: 'informal',
        name: 'Sara',
        relation: 'Sister',
        lifeDomains: ['daily_living'],
        status: 'past',
        closeness: 2,
        endedOn: '2026-01-31',
      }),
    ) as Record<string, unknown>;
    expect(informal).toMatchObject({
      kind: 'informal',
      name: 'Sara',
      userId: null,
      secrecyBound: null,
      organization: null,
      status: 'past',
      endedOn: '2026-01-31',
    });
    const network = json(await client.get(`${base}/members`)) as Array<Record<string, unknown>>;
    expect(network.find((m) => m.id === professional.id)).toEqual(professional);
    expect(network.find((m) => m.id === informal.id)).toEqual(informal);
    for (const member of network) expect(Object.keys(member).sort()).toEqual(keysOf('network'));
  });

  it('request, crisis plan and background: every field', async () => {
    const request = await client.get(`${base}/request`);
    const written = json(
      await client.put(
        `${base}/request`,
        { clientWords: 'Ik wil een eigen huis.', clarifiedQuestion: 'Wonen binnen een jaar?' },
        { headers: { 'if-match': String(request.headers.etag) } },
      ),
    );
    expect(written).toEqual({
      clientWords: 'Ik wil een eigen huis.',
      clarifiedQuestion: 'Wonen binnen een jaar?',
      version: 2,
    });
    expect(json(await client.get(`${base}/request`))).toEqual(written);

    const crisis = { earlySigns: 'Sleeps badly', whatHelps: 'A walk', whomToCall: 'Sara, 0470 00 00 00' };
    expect(json(await client.put(`${base}/crisis`, crisis))).toEqual({ ...crisis, version: 1 });
    expect(json(await client.get(`${base}/crisis`))).toEqual({ ...crisis, version: 1 });

    const background = {
      situation: 'Lives alone',
      health: 'Diabetes',
      diagnoses: 'None known',
      justice: 'No file',
      finances: 'Debt mediation',
    };
    expect(json(await client.put(`${base}/background`, background))).toEqual({ ...background, version: 1 });
    expect(json(await client.get(`${base}/background`))).toEqual({ ...background, version: 1 });
  });

  it('goals, actions, agreements, meetings with a note, evaluations: every field, item and list alike', async () => {
    const goal = {
      lifeDomain: 'housing',
      title: 'A home',
      clientWords: 'Mijn huis',
      status: 'in_progress',
      targetDate: '2026-09-30',
    };
    const goalRead = json(await client.post(`${base}/goals`, goal)) as { id: string };
    expect(goalRead).toEqual({ id: expect.any(String), ...goal, version: 1 });

    const action = {
      title: 'Visit the social housing office',
      goalId: goalRead.id,
      ownerMemberId: plan.leadMember.id,
      description: 'With the client',
      dueOn: '2026-04-15',
      status: 'doing',
    };
    const actionNote = 'Bring the payslips';
    const actionRead = json(await client.post(`${base}/actions`, { ...action, note: actionNote })) as {
      id: string;
    };
    // Its owner comes with it, for readers without the network (DESIGN.md, "Who owns an action").
    const owner = {
      name: plan.lead.name,
      relation: plan.leadMember.relation,
      organization: plan.organization.name,
    };
    // The note begins the action's thread, by its writer, now.
    const thread = [
      {
        id: expect.any(String),
        authorName: plan.lead.name,
        createdAt: expect.any(String),
        status: null,
        note: actionNote,
      },
    ];
    expect(actionRead).toEqual({
      id: expect.any(String),
      ...action,
      owner,
      thread,
      fromMeeting: null,
      version: 1,
    });

    const agreement = {
      role: 'Reference person',
      memberId: plan.leadMember.id,
      agreement: 'Calls every Monday',
      referencePerson: 'Léa',
      callWhen: 'When the rent is late',
    };
    const agreementRead = json(await client.post(`${base}/agreements`, agreement)) as { id: string };
    expect(agreementRead).toEqual({ id: expect.any(String), ...agreement, version: 1 });

    const meeting = {
      heldAt: '2026-03-04T10:15:30.123Z',
      title: 'Network meeting',
      notes: 'Discussed housing',
      decisions: 'Apply for social housing',
      participantMemberIds: [plan.leadMember.id],
      clientTookPart: true,
    };
    const meetingRead = json(await client.post(`${base}/meetings`, meeting)) as { id: string };
    const note = json(
      await client.post(`${base}/meetings/${meetingRead.id}/notes`, { body: 'Went well' }),
    ) as {
      createdAt: string;
    };
    expect(note).toEqual({
      id: expect.any(String),
      body: 'Went well',
      authorName: 'Léa Janssens',
      createdAt: expect.any(String),
    });

    const evaluation = {
      evaluatedOn: '2026-06-01',
      collaborationRating: 4,
      collaborationNotes: 'Good',
      goals: [{ goalId: goalRead.id, rating: 3, notes: 'Halfway' }],
    };
    const evaluationRead = json(await client.post(`${base}/evaluations`, evaluation)) as { id: string };
    expect(evaluationRead).toEqual({ id: expect.any(String), ...evaluation, contributions: [], version: 1 });

    const expectedMeeting = {
      id: meetingRead.id,
      heldAt: meeting.heldAt,
      title: meeting.title,
      notes: meeting.notes,
      decisions: meeting.decisions,
      participants: [{ memberId: plan.leadMember.id, name: 'Léa Janssens' }],
      clientTookPart: true,
      addedNotes: [note],
      version: 1,
    };
    const items = {
      goals: [goalRead, 'goals'],
      actions: [actionRead, 'actions'],
      agreements: [agreementRead, 'agreements'],
      meetings: [expectedMeeting, 'meetings'],
      evaluations: [evaluationRead, 'evaluations'],
    } as const;
    for (const [section, [expected, path]] of Object.entries(items)) {
      // The item route answers from the stored row, the list from PostgreSQL's JSON: the same record.
      expect(json(await client.get(`${base}/${path}/${expected.id}`)), section).toEqual(expected);
      const list = json(await client.get(`${base}/${path}`)) as Array<{ id: string }>;
      expect(
        list.find((record) => record.id === expected.id),
        section,
      ).toEqual(expected);
      for (const record of list)
        expect(Object.keys(record).sort(), section).toEqual(keysOf(section as 'goals'));
    }
  });

  it('closure, and the overview carries every section as its own GET does', async () => {
    const overview = json(await client.get(base)) as { version: number };
    const closure = {
      date: '2026-11-30',
      reason: 'Goals reached',
      reasonKind: 'goals_reached',
      handover: 'To the local welfare office',
    };
    json(await client.post(`${base}/close`, closure, { headers: { 'if-match': `"${overview.version}"` } }));
    const closed = json(await client.get(`${base}/closure`));
    expect(closed).toEqual({
      closedOn: '2026-11-30',
      reason: 'Goals reached',
      reasonKind: 'goals_reached',
      handover: 'To the local welfare office',
      version: 1,
    });

    const after = json(await client.get(base)) as {
      membership: unknown;
      sections: Record<string, { withheld: boolean; content?: unknown }>;
    };
    const paths = { network: 'members' } as Record<string, string>;
    for (const section of SECTIONS) {
      expect(after.sections[section], section).toEqual({
        withheld: false,
        content: json(await client.get(`${base}/${paths[section] ?? section}`)),
      });
    }
    const network = after.sections.network?.content as Array<{ id: string }>;
    expect(after.membership).toEqual(network.find((m) => m.id === plan.leadMember.id));
  });
});
