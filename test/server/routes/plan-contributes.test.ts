import { describe, expect, it } from 'vitest';
import { addPartner, createPlan } from '../../factories/plans.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { as, signedInAs } from '../../helpers/session.ts';

// The overview says in which sections the user writes now, so that the screens offer no change the
// server would refuse (issue 13, item 2): a read grant shows an action, a contribute grant lets its
// owner update it.

describe('what the overview says the user may write', async () => {
  const { app, db } = await buildTestApp({ template: 'liaison_empty' });
  const plan = await createPlan(db);
  const reader = await addPartner(db, plan, { grants: ['actions', 'goals'] });
  const contributor = await addPartner(db, plan, {
    grants: ['actions', 'meetings'],
    grant: { access: 'contribute' },
    secrecyBound: true,
  });
  const contributesOf = async (user: Parameters<typeof signedInAs>[1]) => {
    const response = await as(app, await signedInAs(app, user)).get(`/api/plans/${plan.plan.id}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ contributes: string[] }>().contributes;
  };

  it('is nothing for a partner with read grants, and the contributed sections for one with contribute', async () => {
    expect(await contributesOf(reader.user)).toEqual([]);
    expect(await contributesOf(contributor.user)).toEqual(['actions', 'meetings']);
  });

  it('is every section for the lead of an open plan, nothing for the client', async () => {
    expect(await contributesOf(plan.lead)).toHaveLength(10);
    expect(await contributesOf(plan.client)).toEqual([]);
  });
});
