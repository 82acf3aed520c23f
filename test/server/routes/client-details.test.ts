import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addCoLead, addPartner, createPlan } from '../../factories/plans.ts';
import { createAdmin, createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// Issue 15: the client's registration details (phone, e-mail, address, birth date, language,
// interpreter) are read back by whoever may read them — the lead, co-leads and the client — and
// corrected by the lead or a co-lead (If-Match on the client's version, audited in the client's
// log). A partner never gets the birth date, and the contact details only with `agreements`.

const REGISTRATION = {
  birthDate: '1991-04-12',
  phone: '+32 470 12 34 56',
  email: 'karim@example.org',
  address: 'Rue Haute 12, 1000 Bruxelles',
  preferredLanguage: 'fr',
  needsInterpreter: false,
};

interface Summary {
  client: Record<string, unknown> & { version?: number };
}

describe("the client's registration details", async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db);
  const lea = await createProfessional(db, { organization, name: 'Léa Lead' });
  const karim = await createPlan(db, {
    organization,
    lead: lea,
    client: { name: 'Karim Client' },
    clientRecord: REGISTRATION,
  });
  const other = await createPlan(db, { organization, lead: lea });
  const tom = await addCoLead(db, karim);
  const withAgreements = await addPartner(db, karim, { grants: ['agreements', 'goals'], secrecyBound: true });
  const withGoals = await addPartner(db, karim, { grants: ['goals', 'actions'], secrecyBound: true });
  const ada = await createAdmin(db, { organization });
  const planUrl = `/api/plans/${karim.plan.id}`;
  const clientUrl = `${planUrl}/client`;

  const asLea = as(app, await signedInAs(app, lea));
  const asTom = as(app, await signedInAs(app, tom.user));
  const asKarim = as(app, await signedInAs(app, karim.client));
  const asAgreements = as(app, await signedInAs(app, withAgreements.user));
  const asGoals = as(app, await signedInAs(app, withGoals.user));
  const asAda = as(app, await signedInAs(app, ada));
  const asOtherClient = as(app, await signedInAs(app, other.client));

  const clientOf = async (who: typeof asLea) => {
    const response = await who.get(planUrl);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Summary>().client;
  };
  const stored = async () =>
    (
      await db.execute<{ phone: string | null; address: string | null; version: number }>(
        sql`select phone, address, version from clients where id = ${karim.clientRecord.id}`,
      )
    )[0]!;
  const auditCount = async () =>
    (
      await db.execute<{ n: number }>(
        sql`select count(*)::int as n from audit_events where plan_id = ${karim.plan.id} and subject_type = 'Client'`,
      )
    )[0]!.n;

  it('are shown whole to the lead, the co-lead and the client, with their version', async () => {
    for (const who of [asLea, asTom, asKarim])
      expect(await clientOf(who)).toEqual({
        name: 'Karim Client',
        ...REGISTRATION,
        language: 'fr',
        preferredLanguage: undefined,
        version: 1,
      });
  });

  it('never give a partner the birth date nor the version; the contacts only with agreements', async () => {
    const agreements = await clientOf(asAgreements);
    expect(agreements).toEqual({
      name: 'Karim Client',
      phone: REGISTRATION.phone,
      email: REGISTRATION.email,
      address: REGISTRATION.address,
      language: 'fr',
      needsInterpreter: false,
    });
    expect(await clientOf(asGoals)).toEqual({ name: 'Karim Client' });
    for (const who of [asAgreements, asGoals]) {
      const body = (await who.get(planUrl)).body;
      expect(body).not.toContain(REGISTRATION.birthDate);
    }
  });

  it('requires a session', async () => {
    const response = await app.inject({ method: 'PATCH', url: clientUrl, payload: { phone: '1' } });
    expect(response.statusCode).toBe(401);
  });

  it('are changed by the lead with If-Match, audited in the client’s log with the changed fields only', async () => {
    const before = await auditCount();
    const response = await asLea.patch(
      clientUrl,
      { phone: '+32 2 555 01 99', address: null, birthDate: '1991-04-21' },
      { headers: { 'if-match': '"1"' } },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.json<Summary>().client).toMatchObject({
      phone: '+32 2 555 01 99',
      address: null,
      birthDate: '1991-04-21',
      email: REGISTRATION.email,
      version: 2,
    });
    expect(await stored()).toEqual({ phone: '+32 2 555 01 99', address: null, version: 2 });
    expect(await auditCount()).toBe(before + 1);
    const [event] = await db.execute<{ action: string; outcome: string; details: unknown; actor: string }>(
      sql`select action, outcome, details, actor_user_id as actor from audit_events
          where plan_id = ${karim.plan.id} and subject_type = 'Client' order by seq desc limit 1`,
    );
    expect(event).toEqual({
      action: 'update',
      outcome: 'ok',
      details: { fields: ['address', 'birthDate', 'phone'] },
      actor: lea.id,
    });
    // The client reads it in their own log.
    const log = (await asKarim.get(`${planUrl}/access-log`)).json<{
      items: Array<{ action: string; subjectType: string | null; actor: { name: string | null } | null }>;
    }>();
    expect(log.items).toContainEqual(
      expect.objectContaining({
        action: 'update',
        subjectType: 'Client',
        actor: expect.objectContaining({ name: 'Léa Lead' }),
      }),
    );
  });

  it('are changed by a co-lead too', async () => {
    const response = await asTom.patch(
      clientUrl,
      { needsInterpreter: true },
      { headers: { 'if-match': '"2"' } },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<Summary>().client).toMatchObject({ needsInterpreter: true, version: 3 });
  });

  it('answer 412 on a stale version and 428 without If-Match, changing nothing', async () => {
    const before = await stored();
    const stale = await asLea.patch(clientUrl, { phone: '0' }, { headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    const missing = await asLea.patch(clientUrl, { phone: '0' });
    expect(missing.statusCode).toBe(428);
    expect(await stored()).toEqual(before);
  });

  it('refuse bad input with a 400 problem, changing nothing', async () => {
    const before = await stored();
    const audits = await auditCount();
    for (const payload of [
      {},
      { phone: '' },
      { email: 'not an e-mail' },
      { birthDate: '12/04/1991' },
      { firstName: '' },
      { firstName: null },
      { preferredLanguage: 'Français' },
      { needsInterpreter: 'yes' },
      { phone: '1', favouriteColour: 'blue' },
    ]) {
      const response = await asLea.patch(clientUrl, payload, { headers: { 'if-match': '"3"' } });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(await stored()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it('are not changed by the client, a partner or the admin; someone outside never learns the plan exists', async () => {
    const before = await stored();
    for (const who of [asKarim, asAgreements, asGoals]) {
      const response = await who.patch(clientUrl, { phone: '0' }, { headers: { 'if-match': '"3"' } });
      expect(response.statusCode).toBe(403);
    }
    for (const who of [asAda, asOtherClient]) {
      const response = await who.patch(clientUrl, { phone: '0' }, { headers: { 'if-match': '"3"' } });
      expect(response.statusCode).toBe(404);
    }
    expect(await stored()).toEqual(before);
  });
});
