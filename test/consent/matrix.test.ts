import { describe } from 'vitest';
import { consentMatrix } from './matrix.ts';

// The consent matrix as the application runs: the policies, the ability's SQL condition and
// row-level security together (test/consent/matrix.ts says what it compares).
describe('consent matrix', async () => {
  await consentMatrix({
    title: 'the application',
    file: 'test/consent/matrix.test.ts',
    run: (check) => check(),
  });
});
