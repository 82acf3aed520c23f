import { createHash } from 'node:crypto';
import type {
  AuditEvent,
  AuditEventAgent,
  AuditEventEntityDetail,
  CarePlan,
  CarePlanActivity,
  CareTeam,
  CareTeamParticipant,
  CodeableConcept,
  Consent,
  ContactPoint,
  Extension,
  Goal,
  Patient,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type { z } from 'zod';
import type { AccessLogEntrySchema, GrantSchema, PlanOverviewSchema } from '../../domain/schemas/plans.ts';
import { actionOwnerLabel, type SectionRecord } from '../../domain/schemas/sections.ts';
import type { ActionStatus, GoalStatus, Phase } from '../../domain/vocabularies.ts';

// Pure mappings from what the caller was given (their overview, and the grants and log events
// when they may read them) to FHIR R4 resources. Nothing here reads the database or decides
// access: a withheld section arrives as `{ withheld: true }` and produces no resource and no
// reference. Values are only ever copied from those inputs, never looked up.

export type PlanOverview = z.infer<typeof PlanOverviewSchema>;
export type Grant = z.infer<typeof GrantSchema>;
export type AccessLogEntry = z.infer<typeof AccessLogEntrySchema>;
type Member = SectionRecord<'network'>;
type GoalRecord = SectionRecord<'goals'>;
type ActionRecord = SectionRecord<'actions'>;

const LIAISON = 'https://liaison.brussels/fhir';
/** Liaison's own code systems and extensions (stable URIs; the words are the design's words). */
export const FHIR_SYSTEMS = {
  plan: `${LIAISON}/NamingSystem/plan`,
  member: `${LIAISON}/NamingSystem/member`,
  lifeDomain: `${LIAISON}/CodeSystem/life-domain`,
  section: `${LIAISON}/CodeSystem/section`,
  memberRole: `${LIAISON}/CodeSystem/member-role`,
  auditAction: `${LIAISON}/CodeSystem/audit-action`,
  actorKind: `${LIAISON}/CodeSystem/actor-kind`,
  consentMethod: `${LIAISON}/CodeSystem/consent-method`,
  phaseExtension: `${LIAISON}/StructureDefinition/plan-phase`,
  recordingExtension: `${LIAISON}/StructureDefinition/consent-recording`,
  withdrawalExtension: `${LIAISON}/StructureDefinition/consent-withdrawal`,
  organizationExtension: `${LIAISON}/StructureDefinition/agent-organization`,
} as const;

/** A resource of a bundle with the `urn:uuid:` it is known by there. */
export interface Entry<R extends Resource = Resource> {
  fullUrl: string;
  resource: R;
}

const entry = <R extends Resource>(resource: R & { id: string }): Entry<R> => ({
  fullUrl: `urn:uuid:${resource.id}`,
  resource,
});
const refTo = <R extends Resource>(e: Entry<R>): Reference<R> => ({ reference: e.fullUrl });

/**
 * A stable uuid for a resource that has no row of its own (the Patient, the CareTeam, one log
 * event): derived from the plan's id, so that it names nothing else (not the client's record).
 */
export function derivedId(...parts: Array<string | number>): string {
  const hex = createHash('sha256').update(parts.join(':')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Text as a FHIR `string`: never empty (an empty string is not a value), without the control
 * characters FHIR forbids, and with other Unicode spaces (a French non-breaking space before
 * ':' say) as plain spaces, which is all the R4 JSON schema's pattern `^[ \r\n\t\S]+$` accepts.
 */
export function fhirString(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const cleaned = value
    // eslint-disable-next-line no-control-regex -- FHIR strings forbid these control characters
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/(?![ \r\n\t])\s/gu, ' ');
  return cleaned.trim() === '' ? undefined : cleaned;
}

/** Drops the keys whose value is undefined or an empty array: FHIR has no empty elements. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as T;
}

const coding = (system: string, code: string, display?: string): CodeableConcept => ({
  coding: [compact({ system, code, display })],
});
const textConcept = (text: string | undefined): CodeableConcept | undefined =>
  text === undefined ? undefined : { text };

const GOAL_LIFECYCLE = {
  open: 'accepted',
  in_progress: 'active',
  achieved: 'completed',
  dropped: 'cancelled',
} as const satisfies Record<GoalStatus, Goal['lifecycleStatus']>;

const GOAL_ACHIEVEMENT: Partial<Record<GoalStatus, string>> = {
  in_progress: 'in-progress',
  achieved: 'achieved',
};

const ACTIVITY_STATUS = {
  todo: 'not-started',
  doing: 'in-progress',
  done: 'completed',
  cancelled: 'cancelled',
} as const satisfies Record<ActionStatus, NonNullable<CarePlanActivity['detail']>['status']>;

/** A plan is a care plan in progress until it is closed. */
export const carePlanStatus = (phase: Phase): CarePlan['status'] =>
  phase === 'closed' ? 'completed' : 'active';

/** What the mapping is given: the caller's own overview, and what else they may read. */
export interface PlanResourcesInput {
  overview: PlanOverview;
  /** The grants, only when the caller may read them (lead, co-leads, client); else null. */
  grants: Grant[] | null;
  now: Date;
}

export interface PlanResources {
  patient: Entry<Patient>;
  carePlan: Entry<CarePlan>;
  careTeam: Entry<CareTeam> | null;
  goals: Array<Entry<Goal>>;
  consents: Array<Entry<Consent>>;
}

/** The content of the sections the bundle maps, or null for each one withheld from the caller. */
function readableContent(overview: PlanOverview) {
  const { network, goals, actions } = overview.sections;
  return {
    members: network.withheld ? null : network.content,
    goalRecords: goals.withheld ? null : goals.content,
    actions: actions.withheld ? null : actions.content,
  };
}

/** The bounded resources of a plan (everything but the access log), from the caller's view of it. */
export function planResources({ overview, grants, now }: PlanResourcesInput): PlanResources {
  const { members, goalRecords, actions } = readableContent(overview);

  const patient = entry(toPatient(overview));
  const careTeam = members ? entry(toCareTeam(overview, members, patient)) : null;
  const goals = (goalRecords ?? []).map((goal) => entry(toGoal(goal, patient)));
  const carePlan = entry(
    toCarePlan(overview, {
      patient,
      careTeam,
      goals: new Map(goalRecords ? goalRecords.map((g, i) => [g.id, goals[i]!]) : []),
      actions: actions ?? [],
    }),
  );
  const consents = (grants ?? []).map((grant) =>
    entry(toConsent(grant, { overview, patient, members: members ?? [], now })),
  );
  return { patient, carePlan, careTeam, goals, consents };
}

/** The client: their name (everyone who sees the plan), the rest only when the overview has it. */
export function toPatient(overview: PlanOverview): Patient & { id: string } {
  const { client } = overview;
  const telecom: ContactPoint[] = [];
  const phone = fhirString(client.phone);
  const email = fhirString(client.email);
  if (phone) telecom.push({ system: 'phone', value: phone });
  if (email) telecom.push({ system: 'email', value: email });
  const address = fhirString(client.address);
  const language = client.language && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(client.language);
  const extension: Extension[] =
    client.needsInterpreter === undefined
      ? []
      : [
          {
            url: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired',
            valueBoolean: client.needsInterpreter,
          },
        ];
  return compact({
    resourceType: 'Patient' as const,
    id: derivedId('patient', overview.id),
    extension,
    name: [{ text: fhirString(client.name) ?? '?' }],
    telecom,
    address: address ? [{ text: address }] : undefined,
    communication:
      language && client.language
        ? [{ language: coding('urn:ietf:bcp:47', client.language), preferred: true }]
        : undefined,
  });
}

/** The role words of a member in the care team: lead, co-lead, or their kind. */
function memberRole(overview: PlanOverview, member: Pick<Member, 'userId' | 'coLead' | 'kind'>): string {
  if (member.userId !== null && member.userId === overview.lead.userId) return 'lead';
  if (member.coLead) return 'co-lead';
  return member.kind;
}

function participant(
  role: string,
  relation: string | undefined,
  name: string,
  organization: string | undefined,
  endedOn?: string | null,
): CareTeamParticipant {
  return compact({
    role: [coding(FHIR_SYSTEMS.memberRole, role), ...(relation ? [{ text: relation }] : [])],
    member: { display: fhirString(name) ?? '?' },
    onBehalfOf: organization ? { display: organization } : undefined,
    period: endedOn ? { end: endedOn } : undefined,
  });
}

/**
 * The network as the caller reads it (hidden and past members only for those who see them), and
 * always the lead, whom every partner may see.
 */
export function toCareTeam(
  overview: PlanOverview,
  members: Member[],
  patient: Entry<Patient>,
): CareTeam & { id: string } {
  const participants = members.map((member) =>
    participant(
      memberRole(overview, member),
      fhirString(member.relation),
      member.name,
      fhirString(member.organization?.name),
      member.status === 'past' ? member.endedOn : null,
    ),
  );
  if (!members.some((member) => member.userId === overview.lead.userId))
    participants.unshift(
      participant('lead', undefined, overview.lead.name, fhirString(overview.lead.organization.name)),
    );
  const leadOrganization = fhirString(overview.lead.organization.name);
  return compact({
    resourceType: 'CareTeam' as const,
    id: derivedId('care-team', overview.id),
    status: overview.phase === 'closed' ? ('inactive' as const) : ('active' as const),
    name: 'Network',
    subject: refTo(patient),
    participant: participants,
    managingOrganization: leadOrganization ? [{ display: leadOrganization }] : undefined,
  });
}

/** A goal in the client's words, by life domain. */
export function toGoal(goal: GoalRecord, patient: Entry<Patient>): Goal & { id: string } {
  const achievement = GOAL_ACHIEVEMENT[goal.status];
  const words = fhirString(goal.clientWords);
  return compact({
    resourceType: 'Goal' as const,
    id: goal.id,
    lifecycleStatus: GOAL_LIFECYCLE[goal.status],
    achievementStatus: achievement
      ? coding('http://terminology.hl7.org/CodeSystem/goal-achievement', achievement)
      : undefined,
    category: [coding(FHIR_SYSTEMS.lifeDomain, goal.lifeDomain)],
    description: { text: fhirString(goal.title) ?? '?' },
    subject: refTo(patient),
    expressedBy: refTo(patient),
    target: goal.targetDate ? [{ dueDate: goal.targetDate }] : undefined,
    note: words ? [{ text: words, authorReference: refTo(patient) }] : undefined,
  });
}

interface CarePlanLinks {
  patient: Entry<Patient>;
  careTeam: Entry<CareTeam> | null;
  /** The Goal entries by goal id: empty when goals are withheld. */
  goals: Map<string, Entry<Goal>>;
  /** The actions: empty when withheld. */
  actions: ActionRecord[];
}

function toActivity(action: ActionRecord, links: CarePlanLinks): CarePlanActivity {
  const goal = action.goalId ? links.goals.get(action.goalId) : undefined;
  // Whoever reads an action sees who does it (DESIGN.md): the owner comes with the action.
  const owner = action.owner ? actionOwnerLabel(action.owner) : undefined;
  // The thread as FHIR annotations: each note with who wrote it and when (status changes are the
  // activity's status).
  const notes = action.thread.flatMap((entry) => {
    const text = fhirString(entry.note);
    return text ? [compact({ text, authorString: fhirString(entry.authorName), time: entry.createdAt })] : [];
  });
  return compact({
    detail: compact({
      kind: 'Task' as const,
      code: textConcept(fhirString(action.title)),
      goal: goal ? [refTo(goal)] : undefined,
      status: ACTIVITY_STATUS[action.status],
      scheduledPeriod: action.dueOn ? { end: action.dueOn } : undefined,
      performer: owner && fhirString(owner) ? [{ display: fhirString(owner)! }] : undefined,
      description: fhirString(action.description),
    }),
    progress: notes.length > 0 ? notes : undefined,
  });
}

/** The plan itself: its phase, its lead, and the goals and actions the caller reads. */
export function toCarePlan(overview: PlanOverview, links: CarePlanLinks): CarePlan & { id: string } {
  const leadName = fhirString(overview.lead.name);
  return compact({
    resourceType: 'CarePlan' as const,
    id: overview.id,
    extension: [{ url: FHIR_SYSTEMS.phaseExtension, valueCode: overview.phase }],
    identifier: [{ system: FHIR_SYSTEMS.plan, value: overview.id }],
    status: carePlanStatus(overview.phase),
    intent: 'plan' as const,
    title: 'Network plan',
    subject: refTo(links.patient),
    period:
      overview.startedOn || overview.closedAt
        ? compact({ start: overview.startedOn, end: overview.closedAt ?? undefined })
        : undefined,
    author: leadName ? { display: leadName } : undefined,
    careTeam: links.careTeam ? [refTo(links.careTeam)] : undefined,
    goal: [...links.goals.values()].map(refTo),
    activity: links.actions.map((action) => toActivity(action, links)),
  });
}

/** Whether consent holds (or will, from its start): not withdrawn, not ended, plan not closed. */
function consentStatus(grant: Grant, closed: boolean, now: Date): Consent['status'] {
  if (closed || grant.revocation) return 'inactive';
  if (grant.validUntil !== null && new Date(grant.validUntil) <= now) return 'inactive';
  return 'active';
}

const sub = (url: string, value: Omit<Extension, 'url'>): Extension => ({ url, ...value });

/**
 * One grant as a Consent: the client permits one member to access (and, with `contribute`,
 * correct) one section, for a period. How and by whom it was recorded, and its withdrawal, are
 * Liaison extensions (R4's Consent has no element for either).
 */
export function toConsent(
  grant: Grant,
  context: { overview: PlanOverview; patient: Entry<Patient>; members: Member[]; now: Date },
): Consent & { id: string } {
  const { overview, patient, members, now } = context;
  const recipient = members.find((member) => member.id === grant.memberId);
  const recipientName = fhirString(recipient?.name);
  const recording = compact({
    url: FHIR_SYSTEMS.recordingExtension,
    extension: [
      sub('method', { valueCode: grant.method }),
      sub('recordedAt', { valueDateTime: grant.recordedAt }),
      ...(fhirString(grant.recordedBy.name)
        ? [sub('recordedBy', { valueString: fhirString(grant.recordedBy.name)! })]
        : []),
      ...(fhirString(grant.note) ? [sub('note', { valueString: fhirString(grant.note)! })] : []),
    ],
  });
  const revocation = grant.revocation;
  const withdrawal: Extension[] = revocation
    ? [
        {
          url: FHIR_SYSTEMS.withdrawalExtension,
          extension: [
            sub('withdrawnAt', { valueDateTime: revocation.revokedAt }),
            ...(revocation.method ? [sub('method', { valueCode: revocation.method })] : []),
            ...(fhirString(revocation.revokedBy.name)
              ? [sub('withdrawnBy', { valueString: fhirString(revocation.revokedBy.name)! })]
              : []),
            ...(fhirString(revocation.reason)
              ? [sub('reason', { valueString: fhirString(revocation.reason)! })]
              : []),
          ],
        },
      ]
    : [];
  const leadOrganization = fhirString(overview.lead.organization.name);
  return compact({
    resourceType: 'Consent' as const,
    id: grant.id,
    extension: [recording, ...withdrawal],
    status: consentStatus(grant, overview.phase === 'closed' || overview.closedAt !== null, now),
    scope: coding('http://terminology.hl7.org/CodeSystem/consentscope', 'patient-privacy', 'Privacy Consent'),
    category: [coding('http://loinc.org', '59284-0', 'Patient Consent')],
    patient: refTo(patient),
    dateTime: grant.recordedAt,
    performer: [refTo(patient)],
    organization: leadOrganization ? [{ display: leadOrganization }] : undefined,
    policyRule: coding('http://terminology.hl7.org/CodeSystem/v3-ActCode', 'OPTIN', 'opt-in'),
    provision: {
      type: 'permit' as const,
      period: compact({ start: grant.validFrom, end: grant.validUntil ?? undefined }),
      actor: [
        {
          role: coding(
            'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
            'IRCP',
            'information recipient',
          ),
          reference: compact({
            display: recipientName,
            identifier: { system: FHIR_SYSTEMS.member, value: grant.memberId },
          }),
        },
      ],
      action: [
        coding('http://terminology.hl7.org/CodeSystem/consentaction', 'access'),
        ...(grant.access === 'contribute'
          ? [coding('http://terminology.hl7.org/CodeSystem/consentaction', 'correct')]
          : []),
      ],
      code: [coding(FHIR_SYSTEMS.section, grant.section)],
    },
  });
}

/** The audit action as FHIR's C/R/U/D/E. */
function auditAction(action: string): AuditEvent['action'] {
  switch (action) {
    case 'read':
    case 'preview':
    case 'export':
    case 'print':
      return 'R';
    case 'create':
    case 'grant':
      return 'C';
    case 'update':
    case 'revoke':
    case 'close':
    case 'reopen':
      return 'U';
    case 'delete':
      return 'D';
    default:
      return 'E';
  }
}

/** Who did it, exactly as the log says it: a name within the network, else "someone without access". */
function auditAgent(actor: AccessLogEntry['actor']): AuditEventAgent {
  if (actor === null) return { who: { display: 'Liaison' }, requestor: false };
  const organization = fhirString(actor.organization);
  return compact({
    type: coding(FHIR_SYSTEMS.actorKind, actor.kind),
    who: { display: fhirString(actor.name ?? undefined) ?? 'someone without access' },
    requestor: true,
    extension: organization
      ? [{ url: FHIR_SYSTEMS.organizationExtension, valueString: organization }]
      : undefined,
  });
}

/**
 * One event of the plan's access log, as the log route gives it to the caller (actors outside
 * the network already anonymised, recipients only for readers of the grants).
 */
export function toAuditEvent(planId: string, event: AccessLogEntry): Entry<AuditEvent> {
  const detail: AuditEventEntityDetail[] = [];
  if (event.sections.length > 0) detail.push({ type: 'sections', valueString: event.sections.join(',') });
  const subjectType = fhirString(event.subjectType);
  if (subjectType) detail.push({ type: 'subjectType', valueString: subjectType });
  const recipient = fhirString(event.recipient?.name);
  const recipientOrganization = fhirString(event.recipient?.organization);
  if (recipient) detail.push({ type: 'recipient', valueString: recipient });
  if (recipientOrganization)
    detail.push({ type: 'recipientOrganization', valueString: recipientOrganization });
  return entry({
    resourceType: 'AuditEvent' as const,
    id: derivedId('audit-event', planId, event.seq),
    type: {
      system: 'http://dicom.nema.org/resources/ontology/DCM',
      code: '110110',
      display: 'Patient Record',
    },
    subtype: [{ system: FHIR_SYSTEMS.auditAction, code: event.action }],
    action: auditAction(event.action),
    recorded: event.at,
    outcome: event.outcome === 'ok' ? ('0' as const) : ('4' as const),
    ...(event.outcome === 'refused' ? { outcomeDesc: 'refused' } : {}),
    agent: [auditAgent(event.actor)],
    source: {
      site: 'Liaison',
      observer: { display: 'Liaison' },
      type: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
          code: '4',
          display: 'Application Server',
        },
      ],
    },
    entity: [
      compact({
        what: { reference: `urn:uuid:${planId}`, type: 'CarePlan' },
        type: {
          system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
          code: '2',
          display: 'System Object',
        },
        detail,
      }),
    ],
  });
}
