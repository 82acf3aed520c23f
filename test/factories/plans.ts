import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import {
  clients,
  goals,
  grantRevocations,
  grants,
  members,
  planRequests,
  plans,
} from '../../db/schema/index.ts';
import type {
  ConsentMethod,
  GrantAccess,
  LifeDomain,
  MemberStatus,
  Phase,
  Section,
} from '../../domain/index.ts';
import {
  clientRow,
  grantRow,
  memberRow,
  planRow,
  type ClientRow,
  type GrantRow,
  type MemberRow,
  type OrganizationRow,
  type PlanRow,
} from './rows.ts';
import { createOrganization, createUser, type TestUser, type UserOptions } from './users.ts';

// Builders that insert a plan and the people around it: `createPlan` makes the organisation, the
// lead (a member of their own plan, as the app makes them), the client record and the client's
// account; `addPartner` a professional of another organisation with a member row and grants.

const DAY = 86_400_000;

export interface TestPlan<Client extends TestUser | null = TestUser> {
  plan: PlanRow;
  organization: OrganizationRow;
  lead: TestUser;
  leadMember: MemberRow;
  /** The client's account; null when made with `clientAccount: false`. */
  client: Client;
  clientRecord: ClientRow;
}

export interface PlanOptions {
  phase?: Phase;
  organization?: OrganizationRow;
  /** An existing lead (a professional of `organization`), or options for a new one. */
  lead?: TestUser | Omit<UserOptions, 'kind' | 'organization'>;
  clientRecord?: Partial<ClientRow>;
  client?: Omit<UserOptions, 'kind' | 'organization'>;
  plan?: Partial<PlanRow>;
  /** The plan's request: empty by default, as the app opens a plan. */
  request?: { clientWords?: string; clarifiedQuestion?: string };
}

/**
 * Inserts a plan with everything it needs, as the app opens one: an organisation, a lead (member
 * of the plan), a client with an account, an empty request. Defaults: phase `active`, the lead not
 * secrecy-bound.
 */
export async function createPlan(
  db: Executor,
  options?: PlanOptions & { clientAccount?: true },
): Promise<TestPlan<TestUser>>;
export async function createPlan(
  db: Executor,
  options: PlanOptions & { clientAccount: false },
): Promise<TestPlan<null>>;
export async function createPlan(
  db: Executor,
  options: PlanOptions & { clientAccount?: boolean } = {},
): Promise<TestPlan<TestUser | null>> {
  const organization = options.organization ?? (await createOrganization(db));
  const lead = isTestUser(options.lead)
    ? options.lead
    : await createUser(db, { ...options.lead, kind: 'professional', organization });
  const client =
    options.clientAccount === false
      ? null
      : await createUser(db, { ...options.client, kind: 'client', organization: null });
  const clientRecord = clientRow({
    organizationId: organization.id,
    userId: client?.id ?? null,
    // The record carries the account's name, as when a lead registers a client who signs in.
    ...(client ? nameParts(client.name) : {}),
    ...options.clientRecord,
  });
  await db.insert(clients).values(clientRecord);
  const plan = planRow({
    clientId: clientRecord.id,
    leadUserId: lead.id,
    organizationId: organization.id,
    phase: options.phase ?? 'active',
    ...options.plan,
  });
  await db.insert(plans).values(plan);
  const leadMember = memberRow({
    planId: plan.id,
    kind: 'professional',
    userId: lead.id,
    organizationId: organization.id,
    relation: 'Lead',
    closeness: 1,
  });
  await db.insert(members).values(leadMember);
  await db.insert(planRequests).values({ planId: plan.id, updatedBy: lead.id, ...options.request });
  return { plan, organization, lead, leadMember, client, clientRecord };
}

function isTestUser(value: PlanOptions['lead']): value is TestUser {
  return value !== undefined && 'password' in value;
}

function nameParts(name: string): { firstName: string; lastName: string } {
  const [firstName = name, ...rest] = name.split(' ');
  return { firstName, lastName: rest.join(' ') || firstName };
}

/** What the builders below need of a plan: its row and its lead. */
export type PlanRef = Pick<TestPlan<TestUser | null>, 'plan' | 'lead'>;

export interface GrantOptions {
  access?: GrantAccess;
  method?: ConsentMethod;
  /** Default: a day ago. */
  validFrom?: Date;
  validUntil?: Date | null;
  /** Default: the plan's lead. */
  recordedBy?: { id: string };
  note?: string;
}

/** Records grants (one per section) for a member, as the lead would. */
export async function addGrants(
  db: Executor,
  { plan, lead }: PlanRef,
  member: { id: string },
  sections: readonly Section[],
  options: GrantOptions = {},
): Promise<GrantRow[]> {
  if (sections.length === 0) return [];
  const rows = sections.map((section) =>
    grantRow({
      planId: plan.id,
      memberId: member.id,
      section,
      access: options.access ?? 'read',
      method: options.method ?? 'written',
      validFrom: options.validFrom ?? new Date(Date.now() - DAY),
      validUntil: options.validUntil ?? null,
      recordedBy: (options.recordedBy ?? lead).id,
      note: options.note ?? null,
    }),
  );
  await db.insert(grants).values(rows);
  return rows;
}

/** Ends a grant (default: withdrawn in the app by the lead, an hour ago). */
export async function revokeGrant(
  db: Executor,
  { plan, lead }: PlanRef,
  grant: { id: string },
  options: { revokedBy?: { id: string }; revokedAt?: Date; method?: ConsentMethod; reason?: string } = {},
): Promise<void> {
  await db.insert(grantRevocations).values({
    grantId: grant.id,
    planId: plan.id,
    revokedBy: (options.revokedBy ?? lead).id,
    revokedAt: options.revokedAt ?? new Date(Date.now() - DAY / 24),
    method: options.method ?? 'in_app',
    reason: options.reason ?? null,
  });
}

export interface MemberOptions {
  relation?: string;
  status?: MemberStatus;
  hidden?: boolean;
  closeness?: number;
  coLead?: boolean;
  lifeDomains?: LifeDomain[];
  removedAt?: Date | null;
}

export interface TestPartner {
  user: TestUser;
  member: MemberRow;
  grants: GrantRow[];
}

/**
 * Adds a professional to the plan's network: a new user (of a new organisation unless given) or
 * an existing one, a member row, and a grant per section in `grants` (default: none).
 */
export async function addPartner(
  db: Executor,
  plan: PlanRef,
  options: MemberOptions &
    Omit<UserOptions, 'kind'> & {
      user?: TestUser;
      grants?: readonly Section[];
      grant?: GrantOptions;
    } = {},
): Promise<TestPartner> {
  const {
    user: existing,
    grants: sections = [],
    grant,
    relation,
    status,
    hidden,
    closeness,
    coLead,
    lifeDomains,
    removedAt,
    ...userOptions
  } = options;
  const user = existing ?? (await createUser(db, { ...userOptions, kind: 'professional' }));
  const member = memberRow({
    planId: plan.plan.id,
    kind: 'professional',
    userId: user.id,
    organizationId: user.organizationId,
    relation: relation ?? 'Partner',
    ...(status ? { status } : {}),
    ...(hidden !== undefined ? { hidden } : {}),
    ...(closeness !== undefined ? { closeness } : {}),
    ...(coLead !== undefined ? { coLead } : {}),
    ...(lifeDomains ? { lifeDomains } : {}),
    ...(removedAt ? { removedAt } : {}),
    ...(status === 'past' ? { endedOn: new Date(Date.now() - DAY).toISOString().slice(0, 10) } : {}),
  });
  await db.insert(members).values(member);
  return { user, member, grants: await addGrants(db, plan, member, sections, grant) };
}

/** A co-lead: a professional of the plan's organisation, member with `coLead`. */
export function addCoLead(
  db: Executor,
  plan: PlanRef & { organization: OrganizationRow },
  options: Omit<MemberOptions, 'coLead'> & Omit<UserOptions, 'kind' | 'organization'> = {},
): Promise<TestPartner> {
  return addPartner(db, plan, {
    relation: 'Co-lead',
    ...options,
    organization: plan.organization,
    coLead: true,
  });
}

/** A member without an account: an informal supporter by default (a name and a relation). */
export async function addMember(
  db: Executor,
  { plan }: PlanRef,
  overrides: Partial<MemberRow> = {},
): Promise<MemberRow> {
  const row = memberRow({
    planId: plan.id,
    kind: 'informal',
    name: `Supporter ${randomUUID().slice(0, 8)}`,
    relation: 'Friend',
    ...overrides,
  });
  await db.insert(members).values(row);
  return row;
}

/** A goal of the plan. */
export async function addGoal(
  db: Executor,
  { plan }: PlanRef,
  overrides: Partial<typeof goals.$inferInsert> = {},
): Promise<typeof goals.$inferInsert & { id: string }> {
  const row = {
    id: randomUUID(),
    planId: plan.id,
    lifeDomain: 'housing' as const,
    title: `Goal ${randomUUID().slice(0, 8)}`,
    ...overrides,
  };
  await db.insert(goals).values(row);
  return row;
}
