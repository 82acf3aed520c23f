import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { NotFound } from '../errors.ts';

export const WEB_BUILD_DIR = fileURLToPath(new URL('../../web/build', import.meta.url));

/** CSP hashes of the inline scripts SvelteKit writes into its single-page fallback. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (match) =>
      `'sha256-${createHash('sha256')
        .update(match[1] ?? '')
        .digest('base64')}'`,
  );
}

/**
 * Serves the built SvelteKit app: its files, and `index.html` for every other page so the
 * single-page app routes itself. Unknown `/api` paths stay problem+json 404s.
 */
export default fp(
  async function webPlugin(app) {
    const indexFile = `${WEB_BUILD_DIR}/index.html`;
    const hasBuild = existsSync(indexFile);
    if (hasBuild) {
      await app.register(fastifyStatic, {
        root: WEB_BUILD_DIR,
        wildcard: false,
        index: false,
        // The build writes each file's .br and .gz beside it (svelte.config.js, `precompress`).
        preCompressed: true,
        setHeaders: (res, path: string) => {
          if (path.includes('/_app/immutable/'))
            res.header('cache-control', 'public, max-age=31536000, immutable');
        },
      });
    } else {
      app.log.warn(`no web build in ${WEB_BUILD_DIR}: run "npm run build"`);
    }
    const indexHtml = hasBuild ? readFileSync(indexFile, 'utf8') : '';
    const scriptHashes = inlineScriptHashes(indexHtml).join(' ');

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const wantsPage = request.method === 'GET' || request.method === 'HEAD';
      if (path === '/api' || path.startsWith('/api/') || !wantsPage || !hasBuild) throw new NotFound();
      return reply
        .header('cache-control', 'no-cache')
        .header(
          'content-security-policy',
          `default-src 'self'; script-src 'self' ${scriptHashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'`,
        )
        .type('text/html; charset=utf-8')
        .send(indexHtml);
    });
  },
  { name: 'web', dependencies: ['errors'] },
);
