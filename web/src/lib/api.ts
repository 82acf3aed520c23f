/**
 * The one client of the Liaison API (`/api`). Every page loads and saves through it.
 * Types come from the server's own zod schemas, so the two can't drift apart.
 */
import { browser } from '$app/environment';
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import type {
  AcceptInvitationSchema,
  AccessLetterSchema,
  ChangePasswordSchema,
  ClientAccessSchema,
  CreateInvitationSchema,
  DeviceListSchema,
  InvitationDetailsSchema,
  InvitationSchema,
  SignedInSchema,
} from '$domain/schemas/accounts';
import type { LoginInput, LoginResponseSchema, Me, UpdateMeSchema } from '$domain/schemas/auth';
import type { CreateRoleTemplateSchema, RoleTemplateSchema } from '$domain/schemas/role-templates';
import type { Problem } from '$domain/schemas/common';
import type {
  AddPartnerSchema,
  CreateMemberSchema,
  MemberSchema,
  UpdateMemberSchema,
  VisibilityDecisionSchema,
} from '$domain/schemas/members';
import type {
  OrganizationListSchema,
  OrganizationSchema,
  UpdateOrganizationSchema,
} from '$domain/schemas/organizations';
import type { OutboxListSchema, OutboxMessageSchema } from '$domain/schemas/outbox';
import type { NotificationListSchema, NotificationSchema } from '$domain/schemas/notifications';
import type { Figures, FiguresQuery } from '$domain/schemas/figures';
import type {
  ClosePlanSchema,
  CreatePlanSchema,
  UpdateClientSchema,
  UpdatePlanSchema,
} from '$domain/schemas/plan-lifecycle';
import type {
  AccessLogEntrySchema,
  AccessLogGroupSchema,
  AccessLogGroupsSchema,
  AccessLogSchema,
  CreateGrantSchema,
  GrantSchema,
  PlanListSchema,
  PlanOverviewSchema,
  PlanSummarySchema,
  PreviewSchema,
} from '$domain/schemas/plans';
import type {
  ActionFromDecisionSchema,
  ActionSchema,
  AgreementSchema,
  BackgroundSchema,
  ClosureSchema,
  CreateActionSchema,
  CreateAgreementSchema,
  CreateEvaluationContributionSchema,
  CreateEvaluationSchema,
  CreateGoalSchema,
  CreateMeetingSchema,
  CrisisPlanSchema,
  EvaluationContributionSchema,
  EvaluationSchema,
  GoalSchema,
  MeetingNoteSchema,
  MeetingSchema,
  PlanRequestSchema,
  PutBackgroundSchema,
  PutCrisisPlanSchema,
  PutRequestSchema,
  UpdateActionSchema,
  UpdateAgreementSchema,
  UpdateEvaluationContributionSchema,
  UpdateEvaluationSchema,
  UpdateGoalSchema,
  UpdateMeetingSchema,
} from '$domain/schemas/sections';
import type {
  CreateUserSchema,
  ManagedUserListSchema,
  ManagedUserSchema,
  UpdateUserSchema,
} from '$domain/schemas/users';
import type { Locale } from '$domain/vocabularies';
import type {
  HandoverRecordSchema,
  HandoverSchema,
  RegisterAgainSchema,
  ReopenPlanSchema,
} from '$domain/schemas/continuity';
import type { z } from 'zod';
import { isLoginPath, nextParam } from './navigation';

export type { LoginInput, Me };
export type LoginResponse = z.infer<typeof LoginResponseSchema>;
export type UpdateMeInput = z.input<typeof UpdateMeSchema>;
export type FieldError = NonNullable<Problem['errors']>[number];

export type PlanSummary = z.infer<typeof PlanSummarySchema>;
export type PlanList = z.infer<typeof PlanListSchema>;
export type PlanOverview = z.infer<typeof PlanOverviewSchema>;
export type PlanSections = PlanOverview['sections'];
export type Member = z.infer<typeof MemberSchema>;
export type VisibilityDecision = z.infer<typeof VisibilityDecisionSchema>;
export type PlanRequest = z.infer<typeof PlanRequestSchema>;
export type Goal = z.infer<typeof GoalSchema>;
export type Action = z.infer<typeof ActionSchema>;
export type ActionFromDecisionInput = z.input<typeof ActionFromDecisionSchema>;
export type Agreement = z.infer<typeof AgreementSchema>;
export type CrisisPlan = z.infer<typeof CrisisPlanSchema>;
export type Background = z.infer<typeof BackgroundSchema>;
export type Meeting = z.infer<typeof MeetingSchema>;
export type MeetingNote = z.infer<typeof MeetingNoteSchema>;
export type Evaluation = z.infer<typeof EvaluationSchema>;
export type HandoverInput = z.input<typeof HandoverSchema>;
export type HandoverRecord = z.infer<typeof HandoverRecordSchema>;
export type ReopenPlanInput = z.input<typeof ReopenPlanSchema>;
export type RegisterAgainInput = z.input<typeof RegisterAgainSchema>;
export type EvaluationContribution = z.infer<typeof EvaluationContributionSchema>;
export type CreateEvaluationContributionInput = z.input<typeof CreateEvaluationContributionSchema>;
export type UpdateEvaluationContributionInput = z.input<typeof UpdateEvaluationContributionSchema>;
export type Closure = z.infer<typeof ClosureSchema>;
export type Grant = z.infer<typeof GrantSchema>;
export type Preview = z.infer<typeof PreviewSchema>;
export type AccessLog = z.infer<typeof AccessLogSchema>;
export type AccessLogEntry = z.infer<typeof AccessLogEntrySchema>;
export type AccessLogGroups = z.infer<typeof AccessLogGroupsSchema>;
export type AccessLogGroup = z.infer<typeof AccessLogGroupSchema>;
export type ManagedUser = z.infer<typeof ManagedUserSchema>;
export type Organization = z.infer<typeof OrganizationSchema>;
export type OrganizationList = z.infer<typeof OrganizationListSchema>;
export interface OrganizationSearch {
  q?: string;
  sector?: string;
  language?: string;
  municipality?: string;
  postcode?: string;
  limit?: number;
  cursor?: string;
}
export type ManagedUserList = z.infer<typeof ManagedUserListSchema>;
export type UpdateOrganizationInput = z.input<typeof UpdateOrganizationSchema>;
export type Invitation = z.infer<typeof InvitationSchema>;
export type InvitationDetails = z.infer<typeof InvitationDetailsSchema>;
/** An invitation from a plan (the plan is in the path, never in the body). */
export type CreateInvitationInput = z.input<typeof CreateInvitationSchema>;
export type AcceptInvitationInput = z.input<typeof AcceptInvitationSchema>;
export type SignedIn = z.infer<typeof SignedInSchema>;
export type ClientAccess = z.infer<typeof ClientAccessSchema>;
export type AccessLetter = z.infer<typeof AccessLetterSchema>;
export type ChangePasswordInput = z.input<typeof ChangePasswordSchema>;
export type Device = z.infer<typeof DeviceListSchema>['items'][number];
export type OutboxList = z.infer<typeof OutboxListSchema>;
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;
export type Notification = z.infer<typeof NotificationSchema>;
export type NotificationList = z.infer<typeof NotificationListSchema>;
export type { Figures };
export type FiguresParams = Partial<FiguresQuery>;

export type CreatePlanInput = z.input<typeof CreatePlanSchema>;
export type UpdatePlanInput = z.input<typeof UpdatePlanSchema>;
export type UpdateClientInput = z.input<typeof UpdateClientSchema>;
export type ClosePlanInput = z.input<typeof ClosePlanSchema>;
export type CreateMemberInput = z.input<typeof CreateMemberSchema>;
export type AddPartnerInput = z.input<typeof AddPartnerSchema>;
export type RoleTemplate = z.infer<typeof RoleTemplateSchema>;
export type RoleTemplateInput = z.input<typeof CreateRoleTemplateSchema>;
export type UpdateMemberInput = z.input<typeof UpdateMemberSchema>;
export type CreateGrantInput = z.input<typeof CreateGrantSchema>;
export type PutRequestInput = z.input<typeof PutRequestSchema>;
export type PutCrisisInput = z.input<typeof PutCrisisPlanSchema>;
export type PutBackgroundInput = z.input<typeof PutBackgroundSchema>;
export type CreateUserInput = z.input<typeof CreateUserSchema>;
export type UpdateUserInput = z.input<typeof UpdateUserSchema>;

/** The sections kept as a list of items, each with its own routes (`/plans/:planId/<path>/:itemId`). */
export interface ItemCollections {
  goals: { item: Goal; create: z.input<typeof CreateGoalSchema>; update: z.input<typeof UpdateGoalSchema> };
  actions: {
    item: Action;
    create: z.input<typeof CreateActionSchema>;
    update: z.input<typeof UpdateActionSchema>;
  };
  agreements: {
    item: Agreement;
    create: z.input<typeof CreateAgreementSchema>;
    update: z.input<typeof UpdateAgreementSchema>;
  };
  meetings: {
    item: Meeting;
    create: z.input<typeof CreateMeetingSchema>;
    update: z.input<typeof UpdateMeetingSchema>;
  };
  evaluations: {
    item: Evaluation;
    create: z.input<typeof CreateEvaluationSchema>;
    update: z.input<typeof UpdateEvaluationSchema>;
  };
}
export type ItemCollection = keyof ItemCollections;

/** The sections kept as one document per plan, written with PUT. */
export interface PlanDocuments {
  request: { item: PlanRequest; put: PutRequestInput };
  crisis: { item: CrisisPlan; put: PutCrisisInput };
  background: { item: Background; put: PutBackgroundInput };
}
export type PlanDocument = keyof PlanDocuments;

/** An answer of the API that is not a success, read from its RFC 9457 problem+json body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** The HTTP status; 0 when the server could not be reached at all. */
  readonly status: number;
  /** The problem's stable `type` URI. */
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** Field errors of a validation problem; `path` names the field (e.g. `email`). */
  readonly fieldErrors: readonly FieldError[];
  /** Seconds to wait before trying again, from the `Retry-After` header (429, 503). */
  readonly retryAfter: number | undefined;

  constructor(problem: {
    status: number;
    type: string;
    title: string;
    detail?: string | undefined;
    fieldErrors?: readonly FieldError[];
    retryAfter?: number | undefined;
  }) {
    super(problem.detail ?? problem.title);
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.fieldErrors = problem.fieldErrors ?? [];
    this.retryAfter = problem.retryAfter;
  }

  /** The server's message for one field, if it has one. */
  fieldError(path: string): string | undefined {
    return this.fieldErrors.find((error) => error.path === path)?.message;
  }
}

/**
 * What a 401 means for this call: for most calls the session has expired, so we go to the sign-in
 * page; the sign-in call, the sign-out call and the session probe handle a 401 themselves.
 */
type On401 = 'expire-session' | 'throw';

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  on401?: On401;
  /** The version the change is based on, sent as `If-Match` (the server's ETag is `"<version>"`). */
  ifMatch?: number | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) =>
    isRecord(item) && typeof item['path'] === 'string' && typeof item['message'] === 'string'
      ? [{ path: item['path'], message: item['message'] }]
      : [],
  );
}

/** `Retry-After` is either seconds or an HTTP date (RFC 9110, 10.2.3). */
function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function readProblem(response: Response): Promise<ApiError> {
  let body: unknown = null;
  if (/[/+]json\b/.test(response.headers.get('content-type') ?? '')) {
    try {
      body = await response.json();
    } catch {
      body = null;
    }
  }
  const problem = isRecord(body) ? body : {};
  return new ApiError({
    status: response.status,
    type: typeof problem['type'] === 'string' ? problem['type'] : 'about:blank',
    title:
      typeof problem['title'] === 'string'
        ? problem['title']
        : response.statusText || `HTTP ${response.status}`,
    detail: typeof problem['detail'] === 'string' ? problem['detail'] : undefined,
    fieldErrors: readFieldErrors(problem['errors']),
    retryAfter: parseRetryAfter(response.headers.get('retry-after')),
  });
}

let expiring = false;

/** The session has ended: send the user to the sign-in page, to come back here afterwards. */
function expireSession(): void {
  if (!browser || expiring || isLoginPath(location.pathname)) return;
  expiring = true;
  const here = `${location.pathname}${location.search}${location.hash}`;
  // invalidateAll: the layout asks /api/me again, so nothing of the old session stays on screen.
  void goto(resolve(`/login?next=${nextParam(here)}`), { replaceState: true, invalidateAll: true }).finally(
    () => {
      expiring = false;
    },
  );
}

async function request<T>(path: `/${string}`, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, on401 = 'expire-session', ifMatch } = options;
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (ifMatch !== undefined) headers['If-Match'] = `"${ifMatch}"`;
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response: Response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch (cause) {
    const error = new ApiError({ status: 0, type: 'about:blank', title: 'Network error' });
    error.cause = cause;
    throw error;
  }

  if (!response.ok) {
    const error = await readProblem(response);
    if (response.status === 401 && on401 === 'expire-session') expireSession();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch (cause) {
    const error = new ApiError({ status: response.status, type: 'about:blank', title: 'Invalid response' });
    error.cause = cause;
    throw error;
  }
}

/** Whether an error is the API's answer with this status. */
export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** The short name of a problem's type (`urn:liaison:problem:stale-version` → `stale-version`). */
export function problemSlug(error: ApiError): string {
  return error.type.startsWith('urn:liaison:problem:') ? error.type.slice('urn:liaison:problem:'.length) : '';
}

/** `?a=1&b=2` from the values that are set, or an empty string. */
function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const plan = (planId: string) => `/plans/${encodeURIComponent(planId)}` as const;

/** The list, create, change and delete calls of one item section of one plan. */
function items<K extends ItemCollection>(planId: string, path: K) {
  type C = ItemCollections[K];
  const base = `${plan(planId)}/${path}` as const;
  const one = (id: string) => `${base}/${encodeURIComponent(id)}` as const;
  return {
    list: () => request<Array<C['item']>>(base),
    create: (body: C['create']) => request<C['item']>(base, { method: 'POST', body }),
    update: (id: string, version: number, body: C['update']) =>
      request<C['item']>(one(id), { method: 'PATCH', body, ifMatch: version }),
    remove: (id: string, version: number) => request<void>(one(id), { method: 'DELETE', ifMatch: version }),
  };
}

export const api = {
  /** Signs in; the server sets the session cookie. A 401 means a wrong email or password. */
  login: (input: LoginInput) =>
    request<LoginResponse>('/auth/login', { method: 'POST', body: input, on401: 'throw' }),

  /** Signs out. A 401 means we were already signed out, which is fine for the caller. */
  logout: () => request<void>('/auth/logout', { method: 'POST', on401: 'throw' }),

  /** The signed-in user, their organisation and their packed rules. */
  getMe: () => request<Me>('/me'),

  /**
   * Like `getMe`, but `null` when nobody is signed in (for the layout, which serves the sign-in page
   * too). `/session` answers 200 either way: a signed-out visit logs no failed request.
   */
  getSession: async (): Promise<Me | null> => (await request<{ me: Me | null }>('/session')).me,

  /** Saves the user's own settings (their language). */
  updateMe: (input: UpdateMeInput) => request<Me>('/me', { method: 'PATCH', body: input }),

  // ---------------------------------------------------------------- accounts (DESIGN.md, "Accounts")

  /** The client's account and their last letter (lead and co-leads). */
  getClientAccess: (planId: string) =>
    request<ClientAccess>(`/plans/${encodeURIComponent(planId)}/client-access`),

  /** A new letter for the client: the code is in this answer only. Ends an earlier code, password and sessions. */
  issueClientLetter: (planId: string, locale?: Locale) =>
    request<AccessLetter>(`/plans/${encodeURIComponent(planId)}/client-access`, {
      method: 'POST',
      body: locale ? { locale } : {},
    }),

  /** Ends the client's open letter (a lost letter). */
  revokeClientLetter: (planId: string) =>
    request<void>(`/plans/${encodeURIComponent(planId)}/client-access/letter`, { method: 'DELETE' }),

  /** A letter for an informal supporter of the network. */
  issueSupporterLetter: (planId: string, memberId: string, locale?: Locale) =>
    request<AccessLetter>(
      `/plans/${encodeURIComponent(planId)}/members/${encodeURIComponent(memberId)}/access-letter`,
      { method: 'POST', body: locale ? { locale } : {} },
    ),

  /** Activates an account with the sign-in name and code of a letter; signs the person in. */
  activate: (body: { signInName: string; code: string; password: string }) =>
    request<SignedIn>('/activate', { method: 'POST', body, on401: 'throw' }),

  /** Changes the password; the user's other devices are signed out. 422 `wrong-password`, `weak-password`. */
  changePassword: (body: ChangePasswordInput) => request<void>('/me/password', { method: 'POST', body }),

  /** The devices where the user is signed in. */
  listDevices: () => request<{ items: Device[] }>('/me/sessions'),

  /** Signs one device out. */
  signOutDevice: (sessionId: string) =>
    request<void>(`/me/sessions/${encodeURIComponent(sessionId)}`, { method: 'DELETE' }),

  /** Signs out everywhere, this device included. */
  signOutEverywhere: () => request<void>('/me/sessions', { method: 'DELETE', on401: 'throw' }),

  /** Asks for a reset link; the same answer whether the address has an account or not. */
  requestPasswordReset: (email: string) =>
    request<void>('/password-reset', { method: 'POST', body: { email }, on401: 'throw' }),

  /** Chooses a new password with a reset link; 400 `invalid-code` when the link does not work. */
  resetPassword: (token: string, password: string) =>
    request<void>(`/password-reset/${encodeURIComponent(token)}`, {
      method: 'POST',
      body: { password },
      on401: 'throw',
    }),

  /** What an invitation link is for; 400 `invalid-code` when it does not work. */
  getInvitation: (token: string) =>
    request<InvitationDetails>(`/invitations/${encodeURIComponent(token)}`, { on401: 'throw' }),

  /** Accepts an invitation: creates the account and signs in (the server sets the session cookie). */
  acceptInvitation: (token: string, body: AcceptInvitationInput) =>
    request<SignedIn>(`/invitations/${encodeURIComponent(token)}/accept`, {
      method: 'POST',
      body,
      on401: 'throw',
    }),

  /** Invites someone into a plan's network by e-mail: a member without an account, or someone new. */
  inviteToPlan: (planId: string, body: CreateInvitationInput) =>
    request<Invitation>(`${plan(planId)}/invitations`, { method: 'POST', body }),

  /** Invites a professional of a directory organisation, outside any plan. */
  inviteFromDirectory: (body: CreateInvitationInput) =>
    request<Invitation>('/invitations', { method: 'POST', body }),

  // ---------------------------------------------------------------- plans

  /** The plans I lead or co-lead, the plans shared with me, or my own plan (filtered by the server). */
  listPlans: (params: { q?: string; phase?: string; limit?: number; cursor?: string } = {}) =>
    request<PlanList>(`/plans${query(params)}`),

  /** One plan: every section with its content, or `{ withheld: true }`. */
  getPlan: (planId: string) => request<PlanOverview>(plan(planId)),

  /** Registers a client and opens their plan. */
  createPlan: (body: CreatePlanInput) => request<PlanOverview>('/plans', { method: 'POST', body }),

  /** Moves the plan along the method and/or sets the next evaluation date. */
  /** The lead corrects the client's registration details; `version` is the client's (`client.version`). */
  updateClient: (planId: string, version: number, body: UpdateClientInput) =>
    request<PlanSummary>(`${plan(planId)}/client`, { method: 'PATCH', body, ifMatch: version }),
  updatePlan: (planId: string, version: number, body: UpdatePlanInput) =>
    request<PlanSummary>(plan(planId), { method: 'PATCH', body, ifMatch: version }),

  /** Ends the collaboration; every grant ends with it. */
  closePlan: (planId: string, version: number, body: ClosePlanInput) =>
    request<PlanSummary>(`${plan(planId)}/close`, { method: 'POST', body, ifMatch: version }),

  /** Passes the lead role to a colleague, with the client's consent (the lead only). */
  handOverPlan: (planId: string, version: number, body: HandoverInput) =>
    request<HandoverRecord>(`${plan(planId)}/handover`, { method: 'POST', body, ifMatch: version }),

  /** Opens a closed plan again for a new cycle (lead and co-leads). */
  reopenPlan: (planId: string, version: number, body: ReopenPlanInput) =>
    request<PlanSummary>(`${plan(planId)}/reopen`, { method: 'POST', body, ifMatch: version }),

  /** A new plan for the client of a closed one, linked to it (lead and co-leads of the closed plan). */
  registerAgain: (planId: string, body: RegisterAgainInput) =>
    request<PlanOverview>(`${plan(planId)}/register-again`, { method: 'POST', body }),

  /** Writes a one-document section; `version` is null when it does not exist yet. */
  putDocument: <K extends PlanDocument>(
    planId: string,
    section: K,
    version: number | null,
    body: PlanDocuments[K]['put'],
  ) =>
    request<PlanDocuments[K]['item']>(`${plan(planId)}/${section}`, {
      method: 'PUT',
      body,
      ifMatch: version ?? undefined,
    }),

  /** Create, change and delete the items of a section (goals, actions, …). */
  items,

  /** Adds a note to a meeting the user took part in. */
  addMeetingNote: (planId: string, meetingId: string, body: string) =>
    request<MeetingNote>(`${plan(planId)}/meetings/${encodeURIComponent(meetingId)}/notes`, {
      method: 'POST',
      body: { body },
    }),

  /** Adds the user's own rating and words to an evaluation (partners who may contribute, the client). */
  addContribution: (planId: string, evaluationId: string, body: CreateEvaluationContributionInput) =>
    request<EvaluationContribution>(
      `${plan(planId)}/evaluations/${encodeURIComponent(evaluationId)}/contributions`,
      {
        method: 'POST',
        body,
      },
    ),

  /** Changes the user's own rating and words at the version they read. */
  changeContribution: (
    planId: string,
    contribution: Pick<EvaluationContribution, 'id' | 'evaluationId' | 'version'>,
    body: UpdateEvaluationContributionInput,
  ) =>
    request<EvaluationContribution>(
      `${plan(planId)}/evaluations/${encodeURIComponent(contribution.evaluationId)}/contributions/${encodeURIComponent(contribution.id)}`,
      { method: 'PATCH', body, ifMatch: contribution.version },
    ),

  // ---------------------------------------------------------------- network

  /** The network section alone (members the user may see). */
  listMembers: (planId: string) => request<Member[]>(`${plan(planId)}/members`),

  createMember: (planId: string, body: CreateMemberInput) =>
    request<Member>(`${plan(planId)}/members`, { method: 'POST', body }),

  /** An action with an owner made from a decision of a meeting, in one write (lead and co-leads). */
  actionFromDecision: (planId: string, meetingId: string, body: ActionFromDecisionInput) =>
    request<Action>(`${plan(planId)}/meetings/${encodeURIComponent(meetingId)}/actions`, {
      method: 'POST',
      body,
    }),

  /** Add and share: a professional joins the network with the consent the client gave, in one write. */
  addPartner: (planId: string, body: AddPartnerInput) =>
    request<{ member: Member; grants: Grant[]; invitation?: Invitation }>(`${plan(planId)}/partners`, {
      method: 'POST',
      body,
    }),

  /** The role templates of the plan's organisation (lead and co-leads). */
  planRoleTemplates: (planId: string) => request<{ items: RoleTemplate[] }>(`${plan(planId)}/role-templates`),

  /** The organisation's role templates (its admins). */
  organizationRoleTemplates: (organizationId: string) =>
    request<{ items: RoleTemplate[] }>(`/organizations/${encodeURIComponent(organizationId)}/role-templates`),

  createRoleTemplate: (organizationId: string, body: RoleTemplateInput) =>
    request<RoleTemplate>(`/organizations/${encodeURIComponent(organizationId)}/role-templates`, {
      method: 'POST',
      body,
    }),

  updateRoleTemplate: (organizationId: string, template: RoleTemplate, body: Partial<RoleTemplateInput>) =>
    request<RoleTemplate>(
      `/organizations/${encodeURIComponent(organizationId)}/role-templates/${encodeURIComponent(template.id)}`,
      { method: 'PATCH', body, ifMatch: template.version },
    ),

  removeRoleTemplate: (organizationId: string, template: RoleTemplate) =>
    request<void>(
      `/organizations/${encodeURIComponent(organizationId)}/role-templates/${encodeURIComponent(template.id)}`,
      { method: 'DELETE', ifMatch: template.version },
    ),

  updateMember: (planId: string, memberId: string, version: number, body: UpdateMemberInput) =>
    request<Member>(`${plan(planId)}/members/${encodeURIComponent(memberId)}`, {
      method: 'PATCH',
      body,
      ifMatch: version,
    }),

  removeMember: (planId: string, memberId: string, version: number) =>
    request<void>(`${plan(planId)}/members/${encodeURIComponent(memberId)}`, {
      method: 'DELETE',
      ifMatch: version,
    }),

  // ---------------------------------------------------------------- consent

  /** Consent given in the plan, current and past (lead and client only). */
  /** The client's decisions to hide or show people of the network (lead, co-leads, client). */
  listVisibilityDecisions: (planId: string) =>
    request<VisibilityDecision[]>(`/plans/${encodeURIComponent(planId)}/visibility-decisions`),

  listGrants: (planId: string) => request<{ items: Grant[] }>(`${plan(planId)}/grants`),

  /** Records consent: one member may see these sections. */
  createGrant: (planId: string, body: CreateGrantInput) =>
    request<{ items: Grant[] }>(`${plan(planId)}/grants`, { method: 'POST', body }),

  /** Withdraws consent; it takes effect on the very next request. */
  revokeGrant: (planId: string, grantId: string, reason?: string) =>
    request<Grant>(`${plan(planId)}/grants/${encodeURIComponent(grantId)}/revoke`, {
      method: 'POST',
      body: reason ? { reason } : {},
    }),

  /** See what they see: exactly what one member gets now. */
  preview: (planId: string, memberId: string) =>
    request<Preview>(`${plan(planId)}/preview${query({ memberId })}`),

  /** Who looked at the plan and what they did, newest first. */
  accessLog: (planId: string, params: { limit?: number; cursor?: number } = {}) =>
    request<AccessLog>(`${plan(planId)}/access-log${query(params)}`),

  /** The access log in lines per person, day and kind; a page holds whole days. */
  accessLogLines: (planId: string, params: { limit?: number; cursor?: number } = {}) =>
    request<AccessLogGroups>(`${plan(planId)}/access-log${query({ ...params, view: 'grouped' })}`),

  // ---------------------------------------------------------------- directory

  /** Searches the partner directory (Dutch and French words, filters), keyset-paginated. */
  searchOrganizations: (params: OrganizationSearch = {}) =>
    request<OrganizationList>(`/organizations${query({ ...params })}`),

  getOrganization: (organizationId: string) =>
    request<Organization>(`/organizations/${encodeURIComponent(organizationId)}`),

  /** The organisation's anonymous registration figures (its admins only; small counts suppressed). */
  getOrganizationFigures: (organizationId: string, params: FiguresParams = {}) =>
    request<Figures>(`/organizations/${encodeURIComponent(organizationId)}/figures${query({ ...params })}`),

  /** Where the same figures download as CSV, for a link (the browser saves the file). */
  organizationFiguresCsvHref: (organizationId: string, params: FiguresParams = {}) =>
    `/api/organizations/${encodeURIComponent(organizationId)}/figures.csv${query({ ...params })}`,

  /** The professionals of an organisation with a Liaison account (names only), to link into a network. */
  listOrganizationPeople: (organizationId: string) =>
    request<{ items: Array<{ userId: string; name: string }> }>(
      `/organizations/${encodeURIComponent(organizationId)}/people`,
    ),

  /** Changes the organisation's own directory entry (its admins); `null` clears a field. */
  updateOrganization: (organizationId: string, version: number, body: UpdateOrganizationInput) =>
    request<Organization>(`/organizations/${encodeURIComponent(organizationId)}`, {
      method: 'PATCH',
      body,
      ifMatch: version,
    }),

  // ---------------------------------------------------------------- admin

  listUsers: (params: { limit?: number; cursor?: string } = {}) =>
    request<ManagedUserList>(`/users${query(params)}`),

  createUser: (body: CreateUserInput) => request<ManagedUser>('/users', { method: 'POST', body }),

  updateUser: (userId: string, version: number, body: UpdateUserInput) =>
    request<ManagedUser>(`/users/${encodeURIComponent(userId)}`, { method: 'PATCH', body, ifMatch: version }),

  /** The e-mails kept in the outbox when there is no SMTP server (the offline demo), newest first. */
  listOutbox: (params: { limit?: number; cursor?: string } = {}) =>
    request<OutboxList>(`/outbox${query(params)}`),

  getOutboxMessage: (id: string) => request<OutboxMessage>(`/outbox/${encodeURIComponent(id)}`),

  // ---------------------------------------------------------------- notices (issue 14)

  /** The signed-in user's notices, newest first, as they may read them now. */
  listNotifications: (params: { limit?: number; cursor?: string } = {}) =>
    request<NotificationList>(`/notifications${query(params)}`),

  /** How many notices are unread (the bell in the header); never expires the session. */
  countUnreadNotifications: () => request<{ unread: number }>('/notifications/count', { on401: 'throw' }),

  markNotificationRead: (id: string) =>
    request<Notification>(`/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' }),

  getDigestSetting: () => request<{ emailDigest: boolean }>('/me/digest'),

  setDigestSetting: (emailDigest: boolean) =>
    request<{ emailDigest: boolean }>('/me/digest', { method: 'PUT', body: { emailDigest } }),

  /** The client writes to their support worker (kept for the lead only). */
  writeToLead: (planId: string, body: string) =>
    request<{ id: string; sentAt: string }>(`${plan(planId)}/messages`, { method: 'POST', body: { body } }),
};
