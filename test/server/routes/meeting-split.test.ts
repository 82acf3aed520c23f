import { describe, expect, it } from 'vitest';
import { meetingNotes, meetings } from '../../../db/schema/index.ts';
import { addPartner, createPlan } from '../../factories/plans.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// DESIGN.md, "Sections" (issue 14): a meeting's date, title, participants and decisions go to every
// partner with a `meetings` grant; its discussion notes — the lead's and those added — only to
// those bound by professional secrecy. Before, the whole meeting was refused (403) to Sam, who took
// part and owns a decision.
describe('a consultation shared with partners', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const plan = await createPlan(db);
  const sam = await addPartner(db, plan, {
    name: 'Sam Schuldbemiddeling',
    secrecyBound: false,
    grants: ['meetings'],
  });
  const paul = await addPartner(db, plan, {
    name: 'Paul Psychiater',
    secrecyBound: true,
    grants: ['meetings'],
  });
  const [meeting] = await db
    .insert(meetings)
    .values({
      planId: plan.plan.id,
      heldAt: new Date('2026-11-10T10:00:00Z'),
      title: 'Overleg 10 november',
      notes: 'DISCUSSION-CANARY the lead wrote',
      decisions: 'Sam calls the landlord',
      clientTookPart: true,
    })
    .returning();
  await db.insert(meetingNotes).values({
    planId: plan.plan.id,
    meetingId: meeting!.id,
    authorUserId: paul.user.id,
    body: 'ADDED-NOTE-CANARY from Paul',
  });
  const get = async (user: Parameters<typeof signedInAs>[1], path: string) =>
    as(app, await signedInAs(app, user)).get(`/api/plans/${plan.plan.id}${path ? `/${path}` : ''}`);

  it('shows a partner not bound by secrecy the meeting without its discussion notes, in every read', async () => {
    for (const path of ['meetings', `meetings/${meeting!.id}`, '']) {
      const response = await get(sam.user, path);
      expect(response.statusCode, `${path}: ${response.body}`).toBe(200);
      expect(response.body, path).toContain('Overleg 10 november');
      expect(response.body, path).toContain('Sam calls the landlord');
      expect(response.body, path).not.toContain('DISCUSSION-CANARY');
      expect(response.body, path).not.toContain('ADDED-NOTE-CANARY');
    }
    const [listed] = (await get(sam.user, 'meetings')).json<
      Array<{ notes: string | null; addedNotes: unknown[] }>
    >();
    // Who took part (the client too) is not bound by secrecy.
    expect(listed).toMatchObject({ notes: null, addedNotes: [], clientTookPart: true });
  });

  it('shows a partner bound by secrecy the whole meeting, notes included', async () => {
    const [listed] = (await get(paul.user, 'meetings')).json<
      Array<{ notes: string | null; addedNotes: Array<{ body: string }> }>
    >();
    expect(listed?.notes).toBe('DISCUSSION-CANARY the lead wrote');
    expect(listed?.addedNotes.map((note) => note.body)).toEqual(['ADDED-NOTE-CANARY from Paul']);
  });
});
