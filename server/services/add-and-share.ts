import type { z } from 'zod';
import type { Database } from '../../db/client.ts';
import type { AddPartnerSchema } from '../../domain/schemas/members.ts';
import type { AddedPartnerSchema } from '../../domain/schemas/plans.ts';
import { GRANT_ACCESS } from '../../domain/vocabularies.ts';
import { asSubject } from '../../policies/index.ts';
import type { PlanContext } from './context.ts';
import { recordGrants } from './grants.ts';
import { inviteToPlan, type MailSetup } from './invitations.ts';
import { actionsCollection, updateItem } from './section-items.ts';
import { etagOf } from './versioning.ts';
import { addMember } from './members.ts';
import { authorize } from './refusals.ts';

/**
 * Adds a professional to the network and records the client's consent for them (issue 15), through
 * the same services as the network's form and the consent grid, so under the same rules: the
 * member, the grants (one per access) and their audit events are one transaction, and any
 * refusal — a secrecy-bound section for someone not bound by secrecy, a person already in the
 * network, an action changed since the lead saw it — leaves nothing behind. The actions the
 * partner takes on get them as owner through the actions' own update, audit event included;
 * someone without an account is invited by e-mail in the same transaction, the e-mail last.
 */
export async function addAndShare(
  ctx: PlanContext,
  body: z.infer<typeof AddPartnerSchema>,
  mail: MailSetup,
): Promise<z.infer<typeof AddedPartnerSchema>> {
  // Refused attempts are logged outside the transaction, which a refusal rolls back.
  await authorize(ctx, 'create', asSubject('Member', { planId: ctx.planId }), {
    action: 'grant',
    sections: ['network', ...body.shares.map((share) => share.section)],
    detail: 'Only the lead and co-leads add people to the network and record consent for them.',
    whenClosed: 'This plan is closed: its network can no longer be changed.',
  });
  return ctx.db.transaction(async (tx) => {
    // The services' own transactions become savepoints of this one.
    const inTransaction: PlanContext = { ...ctx, db: tx as unknown as Database };
    const member = await addMember(inTransaction, body.member);
    const grants = [];
    for (const access of GRANT_ACCESS) {
      const sections = body.shares.filter((share) => share.access === access).map((share) => share.section);
      if (sections.length === 0) continue;
      grants.push(
        ...(await recordGrants(inTransaction, {
          memberId: member.id,
          sections,
          access,
          method: body.method,
          ...(body.note ? { note: body.note } : {}),
          ...(body.validUntil ? { validUntil: body.validUntil } : {}),
        })),
      );
    }
    for (const action of body.takesOn ?? [])
      await updateItem(
        inTransaction,
        actionsCollection,
        action.id,
        { ownerMemberId: member.id },
        etagOf(action.version),
      );
    // Last, once everything else is written: an e-mail cannot be taken back.
    const invitation = body.invite
      ? await inviteToPlan(
          inTransaction,
          {
            kind: 'professional',
            name: member.name,
            email: body.invite.email,
            memberId: member.id,
            ...(body.invite.locale ? { locale: body.invite.locale } : {}),
            ...(body.invite.statedProfession ? { statedProfession: body.invite.statedProfession } : {}),
          },
          mail,
        )
      : undefined;
    return { member, grants, ...(invitation ? { invitation } : {}) };
  });
}
