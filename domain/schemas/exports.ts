import { z } from 'zod';
import { UuidSchema } from './common.ts';
import { VisibilityDecisionSchema } from './members.ts';
import { AccessLogEntrySchema, GrantSchema, PlanOverviewSchema } from './plans.ts';

/** The format's name and version: a program reading an export checks both before anything else. */
export const PLAN_EXPORT_FORMAT = 'liaison-plan-export';
export const PLAN_EXPORT_VERSION = 1;

/**
 * The whole plan as the client (or the lead on their behalf) takes it elsewhere (GDPR articles 15
 * and 20): the plan with every section as the exporter reads it (the network's members are the
 * `network` section), the consent history (grants with how, by whom and when they were recorded,
 * and their revocations), the client's visibility decisions, and the access log, oldest event last
 * as the log is read (newest first). Field by field the same shapes as the API's own answers.
 */
export const PlanExportSchema = z
  .object({
    format: z.literal(PLAN_EXPORT_FORMAT),
    version: z.literal(PLAN_EXPORT_VERSION),
    exportedAt: z.iso.datetime({ offset: true }),
    exportedBy: z.object({ id: z.uuid(), name: z.string() }),
    plan: PlanOverviewSchema,
    consent: z.object({
      grants: z.array(GrantSchema),
      visibilityDecisions: z.array(VisibilityDecisionSchema),
    }),
    /** Every event of the plan's access log, newest first (the export's own event included). */
    accessLog: z.array(AccessLogEntrySchema),
  })
  .meta({ id: 'PlanExport' });

export type PlanExport = z.infer<typeof PlanExportSchema>;

/** The printed plan for one member: who it is for (a member id of this plan). */
export const PrintQuerySchema = z.object({ memberId: UuidSchema }).strict();

/** A PDF document, as OpenAPI describes a binary answer. */
export const PdfSchema = z.string().meta({ format: 'binary', description: 'A PDF document' });
