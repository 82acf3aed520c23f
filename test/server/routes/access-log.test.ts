import { describe, expect, it } from 'vitest';
import { addPartner, createPlan } from '../../factories/plans.ts';
import { createOrganization, createProfessional } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// The access log names the people of the plan's network, and nobody else (issue 13): after another
// client, or a professional who takes no part, tries to open a plan, its log says "someone without
// access" (with their organisation when they have one) and never their name or id.

interface LogEntry {
  action: string;
  outcome: string;
  actor: { id: string | null; name: string | null; kind: string; organization: string | null } | null;
}

describe('who the access log names', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const organization = await createOrganization(db, { name: 'Begeleid Wonen Test' });
  const lea = await createProfessional(db, { organization, name: 'Léa Lead' });
  const karim = await createPlan(db, { organization, lead: lea, client: { name: 'Karim Client' } });
  const fatima = await createPlan(db, { organization, lead: lea, client: { name: 'Fatima Otherclient' } });
  const nora = await addPartner(db, karim, { name: 'Nora Partner', grants: ['goals'] });
  const strangerOrganization = await createOrganization(db, { name: 'Elders Vzw' });
  const stranger = await createProfessional(db, {
    organization: strangerOrganization,
    name: 'Stan Stranger',
  });

  const asKarim = as(app, await signedInAs(app, karim.client));
  const asLea = as(app, await signedInAs(app, lea));
  const planUrl = `/api/plans/${karim.plan.id}`;

  // Another client and a stranger try; Nora reads what she may.
  expect((await as(app, await signedInAs(app, fatima.client)).get(planUrl)).statusCode).toBe(404);
  expect((await as(app, await signedInAs(app, stranger)).get(`${planUrl}/goals`)).statusCode).toBe(404);
  expect((await as(app, await signedInAs(app, nora.user)).get(`${planUrl}/goals`)).statusCode).toBe(200);

  for (const [reader, client] of [
    ['the client', asKarim],
    ['the lead', asLea],
  ] as const) {
    it(`never gives ${reader} the name or id of someone outside the network`, async () => {
      const response = await client.get(`${planUrl}/access-log`);
      expect(response.statusCode, response.body).toBe(200);
      for (const secret of ['Fatima', 'Otherclient', fatima.client.id, 'Stan Stranger', stranger.id])
        expect(response.body).not.toContain(secret);
      const { items } = response.json<{ items: LogEntry[] }>();
      const refused = items.filter((entry) => entry.outcome === 'refused');
      expect(refused).toHaveLength(2);
      expect(refused.map((entry) => entry.actor)).toEqual(
        expect.arrayContaining([
          { id: null, name: null, kind: 'outsider', organization: null },
          { id: null, name: null, kind: 'outsider', organization: 'Elders Vzw' },
        ]),
      );
    });

    it(`names the people of the network for ${reader}`, async () => {
      const { items } = (await client.get(`${planUrl}/access-log`)).json<{ items: LogEntry[] }>();
      const noraRead = items.find((entry) => entry.action === 'read' && entry.outcome === 'ok');
      expect(noraRead?.actor).toMatchObject({ id: nora.user.id, name: 'Nora Partner' });
    });
  }
});
