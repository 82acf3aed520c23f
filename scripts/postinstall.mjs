// Applies the patches in patches/ (a dead database connection must not crash the process: see
// patches/README.md), then builds the web app right after `npm install`, so that `npm start`
// serves it at once. The build is skipped when dev dependencies are not installed (a production
// install builds elsewhere); the patches never are.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const patched = spawnSync(process.execPath, ['node_modules/patch-package/index.js', '--error-on-fail'], {
  stdio: 'inherit',
});
if (patched.status !== 0) {
  console.error('liaison: a patch in patches/ did not apply; Liaison must not run without it.');
  process.exit(1);
}

if (!existsSync('node_modules/vite/bin/vite.js') || !existsSync('svelte.config.js')) {
  console.log('liaison: web build skipped (vite or svelte.config.js not found)');
  process.exit(0);
}
const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.warn('liaison: the web build failed; `npm start` will try again.');
}
