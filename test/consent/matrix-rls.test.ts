import { describe } from 'vitest';
import { withAbilityConditionsSwitchedOff } from '../../db/ability-condition.ts';
import { consentMatrix } from './matrix.ts';

// The second wall (issue 16): the whole consent matrix once more with the application's SQL
// condition switched off, so that only row-level security (db/migrations/*_row_level_security.sql)
// stands between each user and the rows of a plan. The policies in JavaScript still decide plan
// access, fields and audit; a query that forgot its condition would return exactly what this does.
describe('consent matrix by row-level security alone', async () => {
  await consentMatrix({
    title: 'row-level security alone',
    file: 'test/consent/matrix-rls.test.ts',
    run: withAbilityConditionsSwitchedOff,
  });
});
