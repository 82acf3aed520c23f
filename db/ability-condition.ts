import type { AnyAbility, ExtractSubjectType } from '@casl/ability';
import { rulesToAST } from '@casl/ability/extra';
import { getTableColumns, Param, SQL, sql, StringChunk } from 'drizzle-orm';
import { PgDialect, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';

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
  if (conditionsSwitchedOff) return sql`true`;
  const ast = rulesToAST(ability, action, subjectType) as ConditionNode | null;
  if (ast === null) return sql`false`;
  const condition = new FlatCondition(table, String(subjectType));
  condition.add(ast);
  return condition.toSql();
}

let conditionsSwitchedOff = false;

/**
 * Test only (issue 16): runs `work` with every ability condition written as `true`, so that the
 * consent matrix can show that row-level security alone (db/migrations/*_row_level_security.sql) withholds every row the
 * policies withhold. Refused outside tests.
 */
export async function withAbilityConditionsSwitchedOff<T>(work: () => Promise<T>): Promise<T> {
  if (process.env['NODE_ENV'] !== 'test')
    throw new Error('the ability conditions are only switched off in tests');
  conditionsSwitchedOff = true;
  try {
    return await work();
  } finally {
    conditionsSwitchedOff = false;
  }
}

const dialect = new PgDialect({ casing: 'snake_case' });
const qualifiedNames = new WeakMap<PgTable, Record<string, string>>();

/** The table's columns as the statement names them (`"goals"."plan_id"`), rendered once per table. */
function qualifiedNamesOf(table: PgTable): Record<string, string> {
  let names = qualifiedNames.get(table);
  if (!names) {
    names = {};
    for (const [key, column] of Object.entries(getTableColumns(table)))
      names[key] = dialect.sqlToQuery(sql`${column}`).sql;
    qualifiedNames.set(table, names);
  }
  return names;
}

const COMPARISONS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' };

/**
 * A condition written as text pieces and values, in one flat fragment: the same SQL as drizzle's
 * `and`/`or`/`eq`… would give, but rendered without walking a fragment per operator (a list's
 * condition can have dozens of them, and is rendered on every request).
 */
class FlatCondition {
  private readonly chunks: Array<StringChunk | Param> = [];
  private text = '';
  private readonly columns: Record<string, PgColumn>;
  private readonly names: Record<string, string>;

  constructor(
    table: PgTable,
    private readonly subjectType: string,
  ) {
    this.columns = getTableColumns(table);
    this.names = qualifiedNamesOf(table);
  }

  add(node: ConditionNode): void {
    if (node.operator === 'and' || node.operator === 'or' || node.operator === 'not') {
      const children = node.value as ConditionNode[];
      if (node.operator === 'not') {
        this.text += 'not ';
        if (children.length === 0) this.text += 'true';
        else this.join(children, ' and ');
      } else if (children.length === 0) {
        this.text += node.operator === 'and' ? 'true' : 'false';
      } else {
        this.join(children, ` ${node.operator} `);
      }
      return;
    }
    if (!('field' in node)) throw new Error(`Unsupported rule condition on ${this.subjectType}`);
    const column = this.columns[node.field];
    const name = this.names[node.field];
    if (!column || name === undefined)
      throw new Error(`Rule condition on ${this.subjectType}.${node.field}: no such column`);
    const value = node.value;
    switch (node.operator) {
      case 'eq':
      case 'ne':
        if (value === null) {
          this.text += `${name} ${node.operator === 'eq' ? 'is null' : 'is not null'}`;
          return;
        }
        this.value(`${name} ${COMPARISONS[node.operator]} `, new Param(value, column));
        return;
      // One array parameter, not a list of them: the statement's text is then the same however many
      // plans a user has, so it stays one prepared statement (db/client.ts).
      case 'in':
        this.value(`${name} = any(`, new Param(value as unknown[]));
        this.text += ')';
        return;
      case 'nin':
        this.value(`${name} <> all(`, new Param(value as unknown[]));
        this.text += ')';
        return;
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        this.value(`${name} ${COMPARISONS[node.operator]} `, new Param(value, column));
        return;
      default:
        throw new Error(`Unsupported rule operator "${node.operator}" on ${this.subjectType}.${node.field}`);
    }
  }

  toSql(): SQL {
    return new SQL([...this.chunks, new StringChunk(this.text)]);
  }

  /** Several conditions: parenthesised when more than one, as drizzle's `and`/`or` write them. */
  private join(children: ConditionNode[], separator: string): void {
    if (children.length > 1) this.text += '(';
    children.forEach((child, index) => {
      if (index > 0) this.text += separator;
      this.add(child);
    });
    if (children.length > 1) this.text += ')';
  }

  private value(before: string, param: Param): void {
    this.chunks.push(new StringChunk(this.text + before), param);
    this.text = '';
  }
}
