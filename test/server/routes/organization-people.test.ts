import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../../db/schema/index.ts';
import { createPlan } from '../../factories/plans.ts';
import { createAdmin, createOrganization, createProfessional, createUser } from '../../factories/users.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// Whom a lead may link into a network: the professionals of an organisation who have an account,
// read from accounts only (issue 13, item 3) — never clients, supporters, admins, disabled
// accounts, and never anything from a plan.

describe('the people of an organisation', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const workshop = await createOrganization(db, { name: 'Atelier Test' });
  const nora = await createProfessional(db, { organization: workshop, name: 'Nora Coach' });
  await createProfessional(db, { organization: workshop, name: 'Gone Person', disabled: true });
  await createAdmin(db, { organization: workshop, name: 'Ada Admin' });
  const lea = await createProfessional(db, { name: 'Léa Lead' });
  const plan = await createPlan(db, { lead: lea, client: { name: 'Karim Client' } });
  const supporter = await createUser(db, { kind: 'supporter', name: 'Sis Supporter' });
  const url = `/api/organizations/${workshop.id}/people`;

  it('gives a professional the names of the professionals with an account, and writes nothing to any log', async () => {
    const before = (await db.select({ n: count() }).from(auditEvents))[0]?.n;
    const response = await as(app, await signedInAs(app, lea)).get(url);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ items: [{ userId: nora.id, name: 'Nora Coach' }] });
    for (const absent of ['Gone Person', 'Ada Admin', 'Karim Client', 'Sis Supporter'])
      expect(response.body).not.toContain(absent);
    expect((await db.select({ n: count() }).from(auditEvents))[0]?.n).toBe(before);
  });

  it('is refused to clients, supporters and admins (403), and an unknown organisation is 404', async () => {
    expect((await as(app, await signedInAs(app, plan.client)).get(url)).statusCode).toBe(403);
    expect((await as(app, await signedInAs(app, supporter)).get(url)).statusCode).toBe(403);
    const ada = await createAdmin(db, { organization: workshop });
    expect((await as(app, await signedInAs(app, ada)).get(url)).statusCode).toBe(403);
    const unknown = `/api/organizations/${randomUUID()}/people`;
    expect((await as(app, await signedInAs(app, lea)).get(unknown)).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });
});
