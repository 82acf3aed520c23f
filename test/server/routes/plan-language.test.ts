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

  it('is returned to a partner who sees the plan, without the contact details', async () => {
    const plan = {
      plan: { id: planId, clientId: '', leadUserId: lea.id, organizationId: organization.id },
      lead: lea,
    };
    const nora = await addPartner(db, plan, { grants: ['goals'] });
    const response = await as(app, await signedInAs(app, nora.user)).get(`/api/plans/${planId}`);
    expect(response.statusCode, response.body).toBe(200);
    const { client } = response.json<{ client: Record<string, unknown> }>();
    expect(client).toEqual({ name: 'Karim Taal', language: 'fr', needsInterpreter: true });
    expect(response.body).not.toContain('+32 470');
  });
});
