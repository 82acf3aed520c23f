import { describe, expect, it } from 'vitest';
import { actions } from '../../../db/schema/index.ts';
import { addPartner, createPlan } from '../../factories/plans.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// DESIGN.md, "Who owns an action": whoever may read an action sees its owner's name and role, even
// without the network section. Issue 15: Nora saw her own action as "Qui s'en charge : Personne
// pour l'instant", right above "C'est votre action".
describe('the owner of an action', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const plan = await createPlan(db);
  const nora = await addPartner(db, plan, {
    name: 'Nora Woonbegeleiding',
    relation: 'Woonbegeleider',
    grants: ['actions'],
  });
  const hidden = await addPartner(db, plan, { name: 'Hidden Huisarts', relation: 'Huisarts', grants: [] });
  const outsider = await addPartner(db, plan, { name: 'Goals Only', grants: ['goals'] });
  await db.insert(actions).values([
    { planId: plan.plan.id, title: 'Visit the flat', ownerMemberId: nora.member.id },
    { planId: plan.plan.id, title: 'Call the doctor', ownerMemberId: hidden.member.id },
  ]);
  const read = async (user: Parameters<typeof signedInAs>[1]) =>
    as(app, await signedInAs(app, user)).get(`/api/plans/${plan.plan.id}/actions`);

  it('is named, with their part in the network, to a partner who reads the actions without the network', async () => {
    const response = await read(nora.user);
    expect(response.statusCode, response.body).toBe(200);
    const owners = Object.fromEntries(
      response
        .json<Array<{ title: string; owner: { name: string; relation: string } | null }>>()
        .map((a) => [a.title, a.owner]),
    );
    expect(owners['Visit the flat']).toMatchObject({
      name: 'Nora Woonbegeleiding',
      relation: 'Woonbegeleider',
    });
    expect(owners['Call the doctor']).toMatchObject({ name: 'Hidden Huisarts', relation: 'Huisarts' });
    // The network itself stays withheld from her.
    expect(
      (await as(app, await signedInAs(app, nora.user)).get(`/api/plans/${plan.plan.id}/members`)).statusCode,
    ).toBe(403);
  });

  it('is not named to someone who may not read the actions', async () => {
    const response = await as(app, await signedInAs(app, outsider.user)).get(`/api/plans/${plan.plan.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('Hidden Huisarts');
    expect(response.body).not.toContain('Nora Woonbegeleiding');
  });
});
