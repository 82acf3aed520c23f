import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layers of DESIGN.md ("Architecture") are drawn by `no-restricted-imports` in eslint.config.js.
// Each case lints a one-line module as if it were a file of a layer (the file need not exist) and
// checks that the wrong imports are refused and the allowed ones pass.

const RULE = 'no-restricted-imports';

const eslint = new ESLint({
  cwd: fileURLToPath(new URL('../..', import.meta.url)),
  // Only the layer rule: the type-aware rules need the file in a TypeScript project, these do not.
  ruleFilter: ({ ruleId }) => ruleId === RULE,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

/** The messages of the layer rule for a module made of this import, linted as `filePath`. */
async function layerErrors(filePath: string, source: string): Promise<string[]> {
  const code = filePath.endsWith('.svelte')
    ? `<script lang="ts">\n  import * as imported from '${source}';\n  console.log(imported);\n</script>\n`
    : `import * as imported from '${source}';\nexport { imported };\n`;
  const [result] = await eslint.lintText(code, { filePath });
  const messages = result?.messages ?? [];
  // A parsing error would make every case "pass"; it must fail the test instead.
  expect(messages.filter((m) => m.fatal === true)).toEqual([]);
  return messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

// [the importing file, what it imports]
const REFUSED: Array<[string, string]> = [
  // db/ imports neither server/ nor web/
  ['db/queries/x.ts', '../../server/services/users.ts'],
  ['db/seed/x.ts', '../../server/schemas/organizations.ts'],
  ['db/x.ts', '../server/app.ts'],
  ['db/directory/x.ts', '../../web/src/lib/api.ts'],
  ['db/queries/x.ts', '$schemas/plans'],
  // policies/ imports only @casl/ability and domain/
  ['policies/x.ts', '../db/client.ts'],
  ['policies/x.ts', '../db/queries/plans.ts'],
  ['policies/x.ts', '../server/schemas/plans.ts'],
  ['policies/x.ts', 'drizzle-orm'],
  ['policies/x.ts', 'zod'],
  ['policies/x.ts', '$schemas/plans'],
  // domain/ imports nothing of the project
  ['domain/x.ts', '../policies/index.ts'],
  ['domain/x.ts', '../db/schema/index.ts'],
  ['domain/x.ts', '../server/schemas/plans.ts'],
  ['domain/x.ts', '$policies/ability'],
  ['domain/x.ts', '@casl/ability'],
  // server/ does not import web/
  ['server/routes/x.ts', '../../web/src/lib/api.ts'],
  ['server/x.ts', '$lib/api'],
  // web/ imports neither db/ nor the server (the API's schemas are in domain/schemas)
  ['web/src/lib/x.ts', '../../../db/client.ts'],
  ['web/src/lib/x.ts', '../../../db/queries/plans.ts'],
  ['web/src/routes/(app)/x/+page.svelte', '../../../../../db/schema/index.ts'],
  ['web/src/lib/x.ts', '../../../server/services/users.ts'],
  ['web/src/lib/x.ts', '../../../server/app.ts'],
  ['web/src/lib/x.ts', '../../../server'],
  ['web/src/lib/x.ts', '../../../server/schemas/plans.ts'],
  // domain/schemas, like all of domain/, imports nothing of the project
  ['domain/schemas/x.ts', '../../policies/index.ts'],
];

const ALLOWED: Array<[string, string]> = [
  ['db/queries/x.ts', '../../domain/vocabularies.ts'],
  ['db/queries/x.ts', '../../policies/index.ts'],
  ['db/queries/x.ts', 'drizzle-orm'],
  ['db/queries/x.ts', './plans.ts'],
  ['policies/x.ts', '@casl/ability'],
  ['policies/x.ts', '@casl/ability/extra'],
  ['policies/x.ts', '../domain/index.ts'],
  ['policies/x.ts', './ability.ts'],
  ['domain/x.ts', 'zod'],
  ['domain/x.ts', './vocabularies.ts'],
  ['domain/x.ts', 'node:crypto'],
  ['server/routes/x.ts', '../../db/queries/plans.ts'],
  ['server/routes/x.ts', '../../domain/index.ts'],
  ['server/routes/x.ts', '../../policies/index.ts'],
  ['web/src/lib/x.ts', '$domain/vocabularies'],
  ['web/src/lib/x.ts', '$policies/ability'],
  ['web/src/lib/x.ts', '$domain/schemas/plans'],
  ['web/src/lib/x.ts', '../../../domain/schemas/plans.ts'],
  ['domain/schemas/x.ts', '../vocabularies.ts'],
  ['server/routes/x.ts', '../../domain/schemas/plans.ts'],
  ['web/src/routes/(app)/x/+page.svelte', '$domain/sections'],
  ['web/src/lib/x.ts', '$lib/api'],
  // Tests may reach into every layer.
  ['test/x.test.ts', '../server/services/users.ts'],
];

describe('the layers drawn by lint', () => {
  it.each(REFUSED)('refuses, in %s, an import of %s', async (filePath, source) => {
    const errors = await layerErrors(filePath, source);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`'${source}' import is restricted`);
  });

  it.each(ALLOWED)('allows, in %s, an import of %s', async (filePath, source) => {
    expect(await layerErrors(filePath, source)).toEqual([]);
  });
});
