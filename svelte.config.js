import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Runes only in our own components; libraries keep whatever mode they were written in.
    runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true),
  },
  kit: {
    // Single-page app: the server sends index.html for every path that is not /api or a file.
    // Every file also written brotli- and gzip-compressed, which the server sends when the browser
    // accepts them (server/plugins/web.ts): no compression work per request.
    adapter: adapter({
      pages: 'web/build',
      assets: 'web/build',
      fallback: 'index.html',
      strict: true,
      precompress: true,
    }),
    files: {
      src: 'web/src',
      routes: 'web/src/routes',
      lib: 'web/src/lib',
      params: 'web/src/params',
      hooks: {
        client: 'web/src/hooks.client',
        server: 'web/src/hooks.server',
        universal: 'web/src/hooks',
      },
      serviceWorker: 'web/src/service-worker',
      appTemplate: 'web/src/app.html',
      errorTemplate: 'web/src/error.html',
      assets: 'web/static',
    },
    alias: {
      // The shared policies and domain/ (vocabularies, the API's zod schemas in domain/schemas)
      // import nothing server-only; domain/ imports no other folder of the project.
      $policies: 'policies',
      $domain: 'domain',
    },
    // The fallback page is served at any depth (/plans/…), so asset URLs must be absolute.
    paths: { relative: false },
  },
};

export default config;
