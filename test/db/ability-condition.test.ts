import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import { and, eq } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, describe, expect, it } from 'vitest';
import { abilityCondition } from '../../db/ability-condition.ts';
import { goals, members } from '../../db/schema/index.ts';
import type { AppAbility } from '../../policies/index.ts';
import { addGoal, addMember, addPartner, createPlan } from '../factories/plans.ts';
import { createTestDatabase } from '../helpers/database.ts';

function abilityWith(define: (can: AbilityBuilder<AppAbility>['can']) => void): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  define(builder.can);
  return builder.build();
}

describe('abilityCondition', async () => {
  const connection = await createTestDatabase('liaison_empty');
  afterAll(() => connection.close());
  // Karim's plan: three goals, current members and a hidden, a past and a removed one; Fatima's:
  // two goals.
  const karim = await createPlan(connection.db);
  const fatima = await createPlan(connection.db, { organization: karim.organization, lead: karim.lead });
  for (const lifeDomain of ['housing', 'work_day_activity', 'money'] as const)
    await addGoal(connection.db, karim, { lifeDomain });
  for (const lifeDomain of ['work_day_activity', 'money'] as const)
    await addGoal(connection.db, fatima, { lifeDomain });
  await addPartner(connection.db, karim, { grants: ['goals'] });
  await addMember(connection.db, karim);
  await addMember(connection.db, karim, { hidden: true });
  await addMember(connection.db, karim, { status: 'past' });
  await addMember(connection.db, karim, { removedAt: new Date() });
  const PLANS = { karimPlan: karim.plan.id, fatimaPlan: fatima.plan.id };
  const countGoals = async (ability: AppAbility) =>
    (
      await connection.db
        .select({ id: goals.id })
        .from(goals)
        .where(abilityCondition(ability, 'read', 'Goal', goals))
    ).length;

  it('is false without any rule: no rule, no row', async () => {
    expect(await countGoals(abilityWith(() => {}))).toBe(0);
  });

  it('keeps exactly the rows of the plans the rules name', async () => {
    const one = await countGoals(abilityWith((can) => can('read', 'Goal', { planId: PLANS.karimPlan })));
    const both = await countGoals(
      abilityWith((can) => can('read', 'Goal', { planId: { $in: [PLANS.karimPlan, PLANS.fatimaPlan] } })),
    );
    const karimRows = await connection.db.select().from(goals).where(eq(goals.planId, PLANS.karimPlan));
    expect(one).toBe(karimRows.length);
    expect(both).toBeGreaterThan(one);
  });

  it('turns null into IS NULL and combines conditions of one rule with AND', async () => {
    const ability = abilityWith((can) =>
      can('read', 'Member', {
        planId: PLANS.karimPlan,
        hidden: false,
        status: 'current',
        removedAt: null,
      }),
    );
    const rows = await connection.db
      .select()
      .from(members)
      .where(abilityCondition(ability, 'read', 'Member', members));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows)
      expect(row).toMatchObject({
        planId: PLANS.karimPlan,
        hidden: false,
        status: 'current',
        removedAt: null,
      });
    const all = await connection.db
      .select()
      .from(members)
      .where(and(eq(members.planId, PLANS.karimPlan)));
    expect(rows.length).toBeLessThan(all.length);
  });

  it('writes a list of plans as one array parameter: the same statement whatever its length', async () => {
    const dialect = new PgDialect();
    const textFor = (planIds: string[]) =>
      dialect.sqlToQuery(
        abilityCondition(
          abilityWith((can) => can('read', 'Goal', { planId: { $in: planIds } })),
          'read',
          'Goal',
          goals,
        ),
      );
    const one = textFor([PLANS.karimPlan]);
    const two = textFor([PLANS.karimPlan, PLANS.fatimaPlan]);
    expect(two.sql).toBe(one.sql);
    expect(two.params).toEqual([[PLANS.karimPlan, PLANS.fatimaPlan]]);
    expect(await countGoals(abilityWith((can) => can('read', 'Goal', { planId: { $in: [] } })))).toBe(0);
    const notKarim = await countGoals(
      abilityWith((can) => can('read', 'Goal', { planId: { $nin: [PLANS.karimPlan] } })),
    );
    const karim = await countGoals(abilityWith((can) => can('read', 'Goal', { planId: PLANS.karimPlan })));
    const all = (await connection.db.select({ id: goals.id }).from(goals)).length;
    expect(notKarim).toBe(all - karim);
  });

  it('throws on a condition it cannot translate rather than allowing rows', () => {
    const unknownColumn = abilityWith((can) => can('read', 'Goal', { secretFlag: true }));
    expect(() => abilityCondition(unknownColumn, 'read', 'Goal', goals)).toThrow(/no such column/);
    const regex = abilityWith((can) => can('read', 'Goal', { title: { $regex: 'x' } }));
    expect(() => abilityCondition(regex, 'read', 'Goal', goals)).toThrow(/Unsupported/);
  });
});
