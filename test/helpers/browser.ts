import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { WEB_BUILD_DIR } from '../../server/plugins/web.ts';
import { buildTestApp, type TestApp } from './app.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserRequired = process.env.LIAISON_REQUIRE_BROWSER === '1';

/**
 * Whether browser tests can run here. Without Chromium they are skipped with a message, unless
 * LIAISON_REQUIRE_BROWSER=1 (CI), where a missing browser or web build fails the run.
 */
export function browserAvailable(): boolean {
  const missing = [
    existsSync(CHROMIUM_PATH) ? null : `Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`,
    existsSync(`${WEB_BUILD_DIR}/index.html`) ? null : 'web app not built (npm run build)',
  ].filter(Boolean);
  if (missing.length === 0) return true;
  if (browserRequired) throw new Error(`Browser tests are required but cannot run: ${missing.join('; ')}`);
  console.warn(`Skipping browser tests: ${missing.join('; ')}`);
  return false;
}

/**
 * `describe` for a browser suite: skipped where {@link browserAvailable} says no. Vitest calls
 * the body of a skipped suite too, to collect its tests; the body starts the server and Chromium,
 * so it is not called at all then (a run without Chromium failed every browser file).
 */
export function describeInBrowser(
  name: string,
  options: { timeout?: number },
  body: () => Promise<void>,
): void {
  const available = browserAvailable();
  describe.runIf(available)(name, options, async () => {
    if (available) await body();
  });
}

/** The real server on a fresh database, listening on a free loopback port, and a Chromium. */
export async function startBrowserSession(): Promise<{
  baseUrl: string;
  context: BrowserContext;
  /** The app's database, for what a test checks behind the screens (e.g. the access log). */
  db: TestApp['db'];
}> {
  const { app, db } = await buildTestApp();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const profile = await mkdtemp(path.join(tmpdir(), 'liaison-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  afterAll(async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  });
  return { baseUrl, context, db };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page with the WCAG 2.x A and AA rules and expects no violation. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's strict CSP stays as it is.
  await page.evaluate(axeSource);
  // A string, evaluated in the page: this file is type-checked without the DOM library.
  const violations = await page.evaluate<string[]>(`
    axe
      .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
      .then((result) => result.violations.map((v) => v.id + ' (' + v.nodes.length + '): ' + v.help))
  `);
  expect(violations).toEqual([]);
}
