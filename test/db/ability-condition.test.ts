import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import { and, eq } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, describe, expect, it } from 'vitest';
import { abilityCondition } from '../../db/ability-condition.ts';
import { goals, members } from '../../db/schema/index.ts';
import { DEMO_IDS } from '../../db/seed/demo.ts';
import type { AppAbility } from '../../policies/index.ts';
import { createTestDatabase } from '../helpers/database.ts';

function abilityWith(define: (can: AbilityBuilder<AppAbility>['can']) => void): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  define(builder.can);
  return builder.build();
}

describe('abilityCondition', async () => {
  const connection = await createTestDatabase('liaison_demo');
  afterAll(() => connection.close());
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
    const one = await countGoals(abilityWith((can) => can('read', 'Goal', { planId: DEMO_IDS.karimPlan })));
    const both = await countGoals(
      abilityWith((can) =>
        can('read', 'Goal', { planId: { $in: [DEMO_IDS.karimPlan, DEMO_IDS.fatimaPlan] } }),
      ),
    );
    const karimRows = await connection.db.select().from(goals).where(eq(goals.planId, DEMO_IDS.karimPlan));
    expect(one).toBe(karimRows.length);
    expect(both).toBeGreaterThan(one);
  });

  it('turns null into IS NULL and combines conditions of one rule with AND', async () => {
    const ability = abilityWith((can) =>
      can('read', 'Member', {
        planId: DEMO_IDS.karimPlan,
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
        planId: DEMO_IDS.karimPlan,
        hidden: false,
        status: 'current',
        removedAt: null,
      });
    const all = await connection.db
      .select()
      .from(members)
      .where(and(eq(members.planId, DEMO_IDS.karimPlan)));
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
    const one = textFor([DEMO_IDS.karimPlan]);
    const two = textFor([DEMO_IDS.karimPlan, DEMO_IDS.fatimaPlan]);
    expect(two.sql).toBe(one.sql);
    expect(two.params).toEqual([[DEMO_IDS.karimPlan, DEMO_IDS.fatimaPlan]]);
    expect(await countGoals(abilityWith((can) => can('read', 'Goal', { planId: { $in: [] } })))).toBe(0);
    const notKarim = await countGoals(
      abilityWith((can) => can('read', 'Goal', { planId: { $nin: [DEMO_IDS.karimPlan] } })),
    );
    const karim = await countGoals(abilityWith((can) => can('read', 'Goal', { planId: DEMO_IDS.karimPlan })));
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
