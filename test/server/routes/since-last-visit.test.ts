import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addGoal, addPartner, createPlan } from '../../factories/plans.ts';
import { addAction, addAgreement, addBackground, addMeeting } from '../../factories/sections.ts';
import { createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// Issue 14 (part 6): "new since your last visit", for each user, over what they may read. Sam
// (not bound by secrecy) reads goals, actions and meetings; Paul (bound) reads the meetings with
// their discussion notes; agreements and background are shared with neither.

interface SinceLastVisit {
  since: string | null;
  sections: string[];
  items: string[];
}

describe('new since your last visit', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db, { name: 'Begeleid Wonen Test' });
  const leaUser = await createProfessional(db, { organization });
  const karim = await createPlan(db, { organization, lead: leaUser });
  const sam = await addPartner(db, karim, { grants: ['goals', 'actions', 'meetings'] });
  const paul = await addPartner(db, karim, { secrecyBound: true, grants: ['meetings'] });
  const lea = as(app, await signedInAs(app, leaUser));
  const samClient = as(app, await signedInAs(app, sam.user));
  const paulClient = as(app, await signedInAs(app, paul.user));
  const planUrl = `/api/plans/${karim.plan.id}`;

  // What was there before anyone looked.
  const oldGoal = await addGoal(db, karim, { title: 'Een woning vinden' });
  const meeting = await addMeeting(db, karim, { title: 'Netwerkoverleg', notes: 'Eerste gesprek.' });
  const action = await addAction(db, karim, { title: 'Bezoek aan de studio', ownerMemberId: sam.member.id });
  /** Everything written in the plan so far happened three hours ago. */
  const ageEverything = async () => {
    for (const table of ['goals', 'meetings', 'actions', 'agreements', 'backgrounds'])
      await db.execute(
        sql`update ${sql.identifier(table)} set updated_at = updated_at - interval '3 hours', created_at = created_at - interval '3 hours' where plan_id = ${karim.plan.id}`,
      );
    await db.execute(
      sql`update members set created_at = created_at - interval '3 hours' where plan_id = ${karim.plan.id}`,
    );
    // The thread is append-only (a trigger); the test steps around it to move its clock, nothing else.
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(
        sql`update action_entries set created_at = created_at - interval '3 hours' where plan_id = ${karim.plan.id}`,
      );
    });
  };
  await ageEverything();

  const visit = async (client: typeof lea) => {
    const response = await client.get(planUrl);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ sinceLastVisit: SinceLastVisit }>().sinceLastVisit;
  };
  /** Two hours pass for this user: their next read is a new visit. */
  const later = (userId: string) =>
    db.execute(
      sql`update plan_visits set last_seen_at = last_seen_at - interval '2 hours' where plan_id = ${karim.plan.id} and user_id = ${userId}`,
    );

  it('has nothing to say on a first visit', async () => {
    for (const client of [samClient, paulClient, lea])
      expect(await visit(client)).toEqual({ since: null, sections: [], items: [] });
  });

  it('names what others changed since, among what the reader sees, and nothing else', async () => {
    for (const user of [sam.user, paul.user, leaUser]) await later(user.id);
    // Léa writes: a goal, a note in the action's thread, the meeting's discussion notes, and two
    // sections neither partner reads.
    const newGoal = (
      await lea.post(`${planUrl}/goals`, { lifeDomain: 'work_day_activity', title: 'Werk' })
    ).json<{
      id: string;
    }>();
    expect(newGoal.id).toBeTruthy();
    const actionNote = await lea.patch(
      `${planUrl}/actions/${action.id}`,
      { note: 'Afspraak op dinsdag.' },
      { headers: { 'if-match': '"1"' } },
    );
    expect(actionNote.statusCode, actionNote.body).toBe(200);
    await db.execute(
      sql`update meetings set notes = 'Karim is ongerust over de verhuis.', updated_at = now(), updated_by = ${leaUser.id} where id = ${meeting.id}`,
    );
    // Written without an author (an import, say): news to everyone who reads them.
    const agreement = await addAgreement(db, karim, { role: 'Huisbaas', updatedBy: null });
    await addBackground(db, karim, { updatedBy: null });

    const seenBySam = await visit(samClient);
    expect(seenBySam.since).not.toBeNull();
    // The goal and the thread; the meeting's change was to its discussion notes, which Sam never reads.
    expect(seenBySam.sections).toEqual(['goals', 'actions']);
    expect([...seenBySam.items].sort()).toEqual([newGoal.id, action.id].sort());
    expect(seenBySam.items).not.toContain(oldGoal.id);
    expect(seenBySam.items).not.toContain(meeting.id);
    expect(seenBySam.items).not.toContain(agreement.id);

    const seenByPaul = await visit(paulClient);
    expect(seenByPaul.sections).toEqual(['meetings']);
    expect(seenByPaul.items).toEqual([meeting.id]);

    // Léa's own writes are not news to her; what she did not write is.
    const seenByLea = await visit(lea);
    expect(seenByLea.items).not.toContain(newGoal.id);
    expect(seenByLea.items).not.toContain(action.id);
    expect(seenByLea.sections).toContain('agreements');
    expect(seenByLea.sections).toContain('background');
  });

  it('keeps the marks when the page is read again within the hour, and clears them at the next visit', async () => {
    const again = await visit(samClient);
    expect(again.sections).toEqual(['goals', 'actions']);
    await ageEverything();
    await later(sam.user.id);
    expect(await visit(samClient)).toMatchObject({ sections: [], items: [] });
  });

  it('marks a new meeting for a partner who reads it without its notes', async () => {
    await ageEverything();
    await later(sam.user.id);
    const created = await lea.post(`${planUrl}/meetings`, {
      heldAt: new Date().toISOString(),
      title: 'Tweede overleg',
      decisions: 'Sam zoekt een plaats in de opvang.',
    });
    expect(created.statusCode, created.body).toBe(201);
    const seen = await visit(samClient);
    expect(seen.sections).toEqual(['meetings']);
    expect(seen.items).toEqual([created.json<{ id: string }>().id]);
  });

  it('is not part of a preview of what someone else sees', async () => {
    const preview = await lea.get(`${planUrl}/preview?memberId=${sam.member.id}`);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.body).not.toContain('sinceLastVisit');
  });
});
