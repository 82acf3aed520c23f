import { sql } from 'drizzle-orm';
import type { Section } from '../../domain/sections.ts';
import type { ConsentMethod, GrantAccess, MemberKind } from '../../domain/vocabularies.ts';
import type { Executor } from '../client.ts';

/** The languages that say which language the client reads: their account's, and the one recorded with them. */
export interface ClientLanguages {
  /** The client's own account's language, when they have an account. */
  accountLocale: string | null;
  /** The language recorded with the client by their lead (a tag such as "fr"), if any. */
  preferredLanguage: string | null;
}

/** The languages of a plan's client (for the exported PDF); null when the plan does not exist. */
export async function findClientLanguages(db: Executor, planId: string): Promise<ClientLanguages | null> {
  const rows = await db.execute<{ account_locale: string | null; preferred_language: string | null }>(sql`
    select u.locale as account_locale, c.preferred_language
      from plans p
      join clients c on c.id = p.client_id
      left join users u on u.id = c.user_id
     where p.id = ${planId}`);
  const row = rows[0];
  return row ? { accountLocale: row.account_locale, preferredLanguage: row.preferred_language } : null;
}

/** One grant made to a member, as the footer of a printed plan tells it. */
export interface RecipientGrant {
  section: Section;
  access: GrantAccess;
  validFrom: Date;
  validUntil: Date | null;
  method: ConsentMethod;
  recordedAt: Date;
  revokedAt: Date | null;
}

/** The member a plan is printed for: who they are, and every grant made to them. */
export interface PrintRecipient {
  id: string;
  kind: MemberKind;
  userId: string | null;
  /** The account's name for a member with an account, otherwise the member's own. */
  name: string;
  organization: string | null;
  grants: RecipientGrant[];
}

/** A member of this plan with the grants made to it, revoked ones included; null when not in the plan. */
export async function findPrintRecipient(
  db: Executor,
  planId: string,
  memberId: string,
): Promise<PrintRecipient | null> {
  const rows = await db.execute<{
    id: string;
    kind: MemberKind;
    user_id: string | null;
    name: string;
    organization: string | null;
    grants: Array<{
      section: Section;
      access: GrantAccess;
      validFrom: string;
      validUntil: string | null;
      method: ConsentMethod;
      recordedAt: string;
      revokedAt: string | null;
    }>;
  }>(sql`
    select m.id, m.kind, m.user_id, coalesce(u.name, m.name, '') as name, o.name as organization,
           (select coalesce(json_agg(json_build_object(
                     'section', g.section, 'access', g.access, 'validFrom', g.valid_from,
                     'validUntil', g.valid_until, 'method', g.method, 'recordedAt', g.recorded_at,
                     'revokedAt', r.revoked_at) order by g.recorded_at, g.section), '[]'::json)
              from grants g left join grant_revocations r on r.grant_id = g.id
             where g.plan_id = m.plan_id and g.member_id = m.id) as grants
      from members m
      left join users u on u.id = m.user_id
      left join organizations o on o.id = coalesce(u.organization_id, m.organization_id)
     where m.plan_id = ${planId} and m.id = ${memberId}`);
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    kind: row.kind,
    userId: row.user_id,
    name: row.name,
    organization: row.organization,
    grants: row.grants.map((grant) => ({
      section: grant.section,
      access: grant.access,
      validFrom: new Date(grant.validFrom),
      validUntil: grant.validUntil ? new Date(grant.validUntil) : null,
      method: grant.method,
      recordedAt: new Date(grant.recordedAt),
      revokedAt: grant.revokedAt ? new Date(grant.revokedAt) : null,
    })),
  };
}
