// Builds the web app right after `npm install`, so that `npm start` serves it at once.
// Skipped when dev dependencies are not installed (a production install builds elsewhere).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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
