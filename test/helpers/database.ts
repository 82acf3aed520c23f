import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseConnection } from '../../db/client.ts';
import { APPLICATION_ROLE } from '../../db/app-role.ts';
import { createDatabase } from '../../db/embedded.ts';
import { TEST_APPLICATION_ROLE_PASSWORD } from '../setup/database.ts';

export type Template = 'liaison_empty' | 'liaison_demo';

/** A fresh database copied from a template of the test cluster, for one test file. */
export async function createTestDatabase(template: Template = 'liaison_demo'): Promise<DatabaseConnection> {
  const name = `test_${randomUUID().replaceAll('-', '')}`;
  await createDatabase(inject('maintenanceUrl'), name, template);
  return connectDatabase(databaseUrl(name), { max: 4 });
}

/** Creates an empty database (no migrations), for migration tests. */
export async function createBlankDatabase(): Promise<{ url: string; connection: DatabaseConnection }> {
  const name = `blank_${randomUUID().replaceAll('-', '')}`;
  await createDatabase(inject('maintenanceUrl'), name);
  const url = databaseUrl(name);
  return { url, connection: connectDatabase(url, { max: 2 }) };
}

export function databaseUrl(name: string): string {
  return inject('databaseUrlTemplate').replace('__DATABASE__', name);
}

/**
 * A connection to the same database as the application role, as the server connects in the
 * embedded default: owning no table, under row-level security (db/migrations/*_row_level_security.sql).
 */
export function connectAsApplication(
  owner: DatabaseConnection,
  max = 4,
  options: { transactionTimeout?: string } = {},
): DatabaseConnection {
  const url = new URL(databaseUrl(owner.sql.options.database));
  url.username = APPLICATION_ROLE;
  url.password = TEST_APPLICATION_ROLE_PASSWORD;
  return connectDatabase(url.toString(), { max, ...options });
}
