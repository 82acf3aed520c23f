import { z } from 'zod';

/**
 * The FHIR R4 Bundle the export answers, described loosely: FHIR's own specification (and its
 * JSON schema, which the tests validate every bundle against) is the contract, not this schema.
 * It documents the answer only; a streamed answer is never serialized through it.
 */
export const FhirBundleSchema = z
  .object({
    resourceType: z.literal('Bundle'),
    type: z.literal('collection'),
    timestamp: z.string(),
    entry: z.array(
      z.object({ fullUrl: z.string(), resource: z.object({ resourceType: z.string() }).loose() }).loose(),
    ),
  })
  .loose()
  .meta({
    id: 'FhirBundle',
    description:
      'A FHIR R4 Bundle of type collection (application/fhir+json): Patient, CarePlan, CareTeam, Goal, ' +
      'Consent and AuditEvent resources, each only as far as the caller may read the plan. See ' +
      'https://hl7.org/fhir/R4/bundle.html.',
  });

export type FhirBundle = z.infer<typeof FhirBundleSchema>;
