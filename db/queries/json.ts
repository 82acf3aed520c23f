import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

// Answers built as JSON by PostgreSQL, field by field: a column added to a table never reaches an
// answer by accident, and a whole plan is one statement.

const dialect = new PgDialect({ casing: 'snake_case' });

/**
 * A fragment without values, rendered to text once (at load): drizzle copies its text into each
 * statement instead of walking the fragment again on every request.
 */
export function frozen(fragment: SQL): SQL {
  const { sql: text, params } = dialect.sqlToQuery(fragment);
  return params.length === 0 ? sql.raw(text) : fragment;
}

/** `json_build_object('key', value, …)`; keys are our own constant identifiers. */
export function jsonObject(fields: Record<string, SQLWrapper>): SQL {
  const pairs = Object.entries(fields).map(([key, value]) => {
    if (!/^[A-Za-z]+$/.test(key)) throw new Error(`Not a JSON key: ${key}`);
    return sql`${sql.raw(`'${key}'`)}, ${value}`;
  });
  return frozen(sql`json_build_object(${sql.join(pairs, sql`, `)})`);
}

/** The JSON array of `object` over the rows of `from` (never null). */
export const jsonList = (object: SQL, from: SQL, orderBy: SQL) =>
  sql`coalesce((select json_agg(${object} order by ${orderBy}) ${from}), '[]'::json)`;

/** The JSON object of the one row of `from`, or null. */
export const jsonOne = (object: SQL, from: SQL) => sql`(select ${object} ${from} limit 1)`;

/** JSON carries timestamps as text. */
export const dateFromJson = (value: string | null): Date | null => (value === null ? null : new Date(value));

/**
 * A timestamptz as the API writes it (`Date.prototype.toISOString`: UTC, milliseconds, `Z`), so
 * that JSON built by PostgreSQL is the answer as it is, with no date fix-up in JavaScript.
 */
export const isoTimestamp = (value: SQLWrapper) =>
  sql<string>`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
