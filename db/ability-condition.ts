import type { AnyAbility, ExtractSubjectType } from '@casl/ability';
import { rulesToAST } from '@casl/ability/extra';
import {
  and,
  eq,
  getTableColumns,
  gt,
  gte,
  isNotNull,
  isNull,
  lt,
  lte,
  ne,
  not,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/** The shape of `rulesToAST`'s condition tree (from @ucast/mongo2js), as far as we accept it. */
type ConditionNode =
  | { operator: 'and' | 'or' | 'not'; value: ConditionNode[] }
  | { operator: string; field: string; value: unknown };

/**
 * Turns what an ability allows on a subject type into a SQL condition on its table, so that
 * lists, counts and searches are filtered in the database before paging. The one way an
 * ability reaches SQL: rule conditions must be `eq`/`ne`/`in`/`nin`/comparisons on column keys;
 * anything else throws rather than silently allowing rows. No rule at all is `false`.
 * Any ability: the request's `AppAbility`, or one written on a relation's columns (the plan list's).
 */
export function abilityCondition<A extends AnyAbility>(
  ability: A,
  action: Parameters<A['rulesFor']>[0],
  subjectType: ExtractSubjectType<Parameters<A['rulesFor']>[1]>,
  table: PgTable,
): SQL {
  const ast = rulesToAST(ability, action, subjectType) as ConditionNode | null;
  if (ast === null) return sql`false`;
  return toSql(ast, getTableColumns(table), String(subjectType));
}

function toSql(node: ConditionNode, columns: Record<string, PgColumn>, subjectType: string): SQL {
  if (node.operator === 'and' || node.operator === 'or' || node.operator === 'not') {
    const parts = (node.value as ConditionNode[]).map((child) => toSql(child, columns, subjectType));
    if (node.operator === 'not') return not(and(...parts) ?? sql`true`);
    if (parts.length === 0) return node.operator === 'and' ? sql`true` : sql`false`;
    return (node.operator === 'and' ? and(...parts) : or(...parts)) ?? sql`false`;
  }
  if (!('field' in node)) throw new Error(`Unsupported rule condition on ${subjectType}`);
  const column = columns[node.field];
  if (!column) throw new Error(`Rule condition on ${subjectType}.${node.field}: no such column`);
  const value = node.value;
  switch (node.operator) {
    case 'eq':
      return value === null ? isNull(column) : eq(column, value);
    case 'ne':
      return value === null ? isNotNull(column) : ne(column, value);
    // One array parameter, not a list of them: the statement's text is then the same however many
    // plans a user has, so it stays one prepared statement (db/client.ts).
    case 'in':
      return sql`${column} = any(${sql.param(value as unknown[])})`;
    case 'nin':
      return sql`${column} <> all(${sql.param(value as unknown[])})`;
    case 'lt':
      return lt(column, value);
    case 'lte':
      return lte(column, value);
    case 'gt':
      return gt(column, value);
    case 'gte':
      return gte(column, value);
    default:
      throw new Error(`Unsupported rule operator "${node.operator}" on ${subjectType}.${node.field}`);
  }
}
