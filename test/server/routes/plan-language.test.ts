import { describe, expect, it } from 'vitest';
import { addPartner } from '../../factories/plans.ts';
import { createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// The client's language and need for an interpreter (issue 13, item 7): asked at registration,
// returned to the lead and to every partner who sees the plan, beside the client's name — never the
// client's contact details without `agreements`.

describe("the client's language", async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db);
  const lea = await createProfessional(db, { organization });
  const asLea = as(app, await signedInAs(app, lea));
  const created = await asLea.post('/api/plans', {
    client: {
      firstName: 'Karim',
      lastName: 'Taal',
      phone: '+32 470 00 00 00',
      preferredLanguage: 'fr',
      needsInterpreter: true,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const planId = created.json<{ id: string }>().id;

  it('is returned to the lead', async () => {
    const overview = (await asLea.get(`/api/plans/${planId}`)).json<{ client: Record<string, unknown> }>();
    expect(overview.client).toMatchObject({ name: 'Karim Taal', language: 'fr', needsInterpreter: true });
  });

  it('is returned to a partner with the agreements section, with the contacts, and to no other partner', async () => {
    const plan = {
      plan: { id: planId, clientId: '', leadUserId: lea.id, organizationId: organization.id },
      lead: lea,
    };
    // DESIGN.md, "What every partner sees": everything beyond name, phase and lead goes by section.
    const withAgreements = await addPartner(db, plan, { grants: ['agreements'] });
    const withGoals = await addPartner(db, plan, { grants: ['goals'] });
    const clientFor = async (user: typeof lea) => {
      const response = await as(app, await signedInAs(app, user)).get(`/api/plans/${planId}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ client: Record<string, unknown> }>().client;
    };
    expect(await clientFor(withAgreements.user)).toMatchObject({
      name: 'Karim Taal',
      language: 'fr',
      needsInterpreter: true,
      phone: '+32 470 00 00 00',
    });
    expect(await clientFor(withGoals.user)).toEqual({ name: 'Karim Taal' });
  });
});
