import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { WEB_BUILD_DIR } from '../../server/plugins/web.ts';
import { buildTestApp } from '../helpers/app.ts';
import { describeInBrowser } from '../helpers/browser.ts';

// Issue 15: the app's JavaScript and CSS travel compressed (178–224 KiB were sent uncompressed),
// from files the build compressed once (svelte.config.js, `precompress`), not per request.
describeInBrowser('the web app’s files', {}, async () => {
  const { app } = await buildTestApp({ template: 'liaison_empty' });
  const index = readFileSync(`${WEB_BUILD_DIR}/index.html`, 'utf8');
  const assets = [...index.matchAll(/(?:href|src)="(\/_app\/immutable\/[^"]+\.(?:js|css))"/g)].map(
    (match) => match[1]!,
  );
  const mainEntry = [...index.matchAll(/import\("(\/_app\/immutable\/[^"]+\.js)"\)/g)].map((m) => m[1]!);
  const files = [...new Set([...assets, ...mainEntry])];

  it('are found in the page (JS and CSS)', () => {
    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
  });

  it('are sent brotli- or gzip-compressed to a browser that accepts it, and plain otherwise', async () => {
    // A 60-byte entry file grows by a few bytes; the app as a whole must shrink.
    const sizes = { plain: 0, br: 0 };
    for (const file of files) {
      const plain = readFileSync(`${WEB_BUILD_DIR}${file}`);
      const br = await app.inject({
        method: 'GET',
        url: file,
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      });
      expect(br.statusCode, file).toBe(200);
      expect(br.headers['content-encoding'], file).toBe('br');
      expect(brotliDecompressSync(br.rawPayload).equals(plain), file).toBe(true);
      sizes.plain += plain.length;
      sizes.br += br.rawPayload.length;

      const gzip = await app.inject({ method: 'GET', url: file, headers: { 'accept-encoding': 'gzip' } });
      expect(gzip.headers['content-encoding'], file).toBe('gzip');
      expect(gunzipSync(gzip.rawPayload).equals(plain), file).toBe(true);

      const identity = await app.inject({
        method: 'GET',
        url: file,
        headers: { 'accept-encoding': 'identity' },
      });
      expect(identity.headers['content-encoding'], file).toBeUndefined();
      expect(identity.rawPayload.equals(plain), file).toBe(true);
    }
    expect(sizes.br).toBeLessThan(sizes.plain / 2);
  });
});
