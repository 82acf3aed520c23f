import type { z } from 'zod';
import {
  findDocument,
  findMeeting,
  insertDocument,
  insertMeetingNote,
  updateSectionItem,
  type DocumentSubject,
  type SectionChanges,
  type SectionRow,
} from '../../db/queries/section-writes.ts';
import { asSubject, SECTION_SUBJECTS, type Section } from '../../policies/index.ts';
import { NotFound, PreconditionFailed } from '../errors.ts';
import { recordFromRow } from '../../db/queries/section-registry.ts';
import {
  SECTION_SCHEMAS,
  type AddMeetingNoteSchema,
  type SectionRecord,
} from '../../domain/schemas/sections.ts';
import { SECTION_PATHS } from '../../domain/sections.ts';
import { writeAudited } from './audited-write.ts';
import type { PlanContext } from './context.ts';
import { authorizeFields, written } from './section-items.ts';
import { refuse } from './refusals.ts';
import { requireVersion } from './versioning.ts';

/** A section that is one document per plan (request, crisis plan, background). */
export interface PlanDocument<S extends DocumentSubject, Out, Put> {
  section: Section;
  path: string;
  subject: S;
  noun: string;
  schema: z.ZodType<Out>;
  putSchema: z.ZodType<Put>;
  toResponse: (row: SectionRow<S>) => Out;
}

type DocumentSection = 'request' | 'crisis' | 'background';
type DocumentOf<S extends DocumentSection> = PlanDocument<
  (typeof SECTION_SUBJECTS)[S],
  SectionRecord<S>,
  z.infer<(typeof SECTION_SCHEMAS)[S]['update']>
>;

/** A one-document section: its path, subject, schemas and answer come from the section registry. */
function planDocument<S extends DocumentSection>(section: S, noun: string): DocumentOf<S> {
  const schemas = SECTION_SCHEMAS[section];
  return {
    section,
    path: SECTION_PATHS[section],
    subject: SECTION_SUBJECTS[section],
    noun,
    // As for the collections: the registry's schemas are the section's by construction.
    schema: schemas.record as unknown as DocumentOf<S>['schema'],
    putSchema: schemas.update as unknown as DocumentOf<S>['putSchema'],
    toResponse: (row) => recordFromRow(section, row),
  };
}

export const requestDocument = planDocument('request', 'request');
export const crisisDocument = planDocument('crisis', 'crisis plan');
export const backgroundDocument = planDocument('background', 'background');

/**
 * Creates the document, or changes the fields sent: If-Match is required once it exists, and must
 * be absent before (a precondition on a document that does not exist cannot hold, RFC 9110).
 */
export async function putDocument<S extends DocumentSubject, Out, Put extends SectionChanges<S>>(
  ctx: PlanContext,
  d: PlanDocument<S, Out, Put>,
  body: Put,
  ifMatch: string | undefined,
): Promise<{ created: boolean; row: SectionRow<S> }> {
  const { ability, planId } = ctx;
  const fields = Object.keys(body);
  const refusal = { sections: [d.section], detail: `Only the lead and co-leads write the ${d.noun}.` };
  if (!ability.can('create', d.subject) && !ability.can('update', d.subject))
    await refuse(ctx, { action: 'update', ...refusal });
  const existing = await findDocument(ctx.db, ability, planId, d.subject);
  const event = (action: 'create' | 'update') => (row: { id: string }) => ({
    action,
    sections: [d.section],
    subjectType: d.subject,
    subjectId: row.id,
    details: { fields },
  });
  if (!existing) {
    if (!ability.can('create', asSubject(d.subject, { planId })))
      await refuse(ctx, { action: 'create', ...refusal });
    if (ifMatch !== undefined) throw new PreconditionFailed();
    const row = await writeAudited(
      ctx,
      async (tx) => {
        const inserted = await insertDocument(tx, d.subject, { planId, userId: ctx.user.id }, body);
        // Someone else created it in the meantime: their version must be read first.
        if (!inserted) throw new PreconditionFailed();
        return inserted;
      },
      event('create'),
    );
    return { created: true, row };
  }
  await authorizeFields(
    ctx,
    { section: d.section, noun: d.noun, subject: asSubject(d.subject, existing) },
    fields,
  );
  const expectedVersion = requireVersion(ifMatch, existing.version);
  const row = await writeAudited(
    ctx,
    async (tx) =>
      written(
        await updateSectionItem(
          tx,
          d.subject,
          { planId, id: existing.id, expectedVersion, userId: ctx.user.id },
          body,
        ),
      ),
    event('update'),
  );
  return { created: false, row };
}

/** Adds a note to a meeting the user took part in (contributing partners, the lead, co-leads). */
export async function addMeetingNote(
  ctx: PlanContext,
  meetingId: string,
  body: z.infer<typeof AddMeetingNoteSchema>,
) {
  const meeting = await findMeeting(ctx.db, ctx.ability, ctx.planId, meetingId);
  if (!meeting) throw new NotFound();
  const note = asSubject('MeetingNote', {
    planId: ctx.planId,
    participantMemberIds: meeting.participantMemberIds,
  });
  if (!ctx.ability.can('create', note))
    await refuse(ctx, {
      action: 'create',
      sections: ['meetings'],
      detail: ctx.ability.can('create', 'MeetingNote')
        ? 'You can add notes only to meetings you took part in.'
        : 'Adding notes to meetings needs the client’s consent to contribute to meetings.',
    });
  const created = await writeAudited(
    ctx,
    (tx) =>
      insertMeetingNote(tx, {
        planId: ctx.planId,
        meetingId: meeting.id,
        authorUserId: ctx.user.id,
        body: body.body,
      }),
    (row) => ({
      action: 'create',
      sections: ['meetings'],
      subjectType: 'MeetingNote',
      subjectId: row.id,
      details: { meetingId: meeting.id },
    }),
  );
  return {
    id: created.id,
    body: created.body,
    authorName: created.authorName,
    createdAt: created.createdAt.toISOString(),
  };
}
