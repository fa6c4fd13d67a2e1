// Shared set-up of the end-to-end tests: Debian's Chromium through playwright-core (never a
// downloaded browser), with the flags this machine needs, and the static server.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Records everything a page should not do: CSP violations, console errors, uncaught errors. */
export async function watch(page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return problems;
}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../tools/serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const SHEET = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/published/elbaek.json'), 'utf8'));
export const OUT = path.join(ROOT, 'target/wasm');
fs.mkdirSync(OUT, { recursive: true });

/** The server, the browser and a page on the demo, for one test file. */
export async function setUp({ routes = {}, csp, contextOptions = {} } = {}) {
  const server = await serve({ routes, ...(csp === undefined ? {} : { csp }) });
  const browser = await launch();
  const context = await browser.newContext({ locale: 'da-DK', ...contextOptions });
  return {
    server,
    browser,
    context,
    async page(url = '/demo/') {
      const page = await context.newPage();
      const problems = await watch(page);
      await page.goto(server.url + url);
      await settled(page);
      return { page, problems };
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Waits until the calculator has read its file (or failed to) and shows something. */
export async function settled(page) {
  await page.waitForFunction(() => {
    const el = document.querySelector('takst-beregner');
    const line = el && el.shadowRoot && el.shadowRoot.querySelector('.tilbud');
    return line && line.textContent !== 'Henter takstfilen …';
  });
}

/** The polite live region's text. */
export function status(page) {
  return page.locator('takst-beregner p.status[role=status]').textContent();
}

/** Sets the element's src and waits for it to settle. */
export async function setSrc(page, src) {
  await page.evaluate((s) => {
    const el = document.querySelector('takst-beregner');
    el.setAttribute('src', s); // the element shows "Henter takstfilen …" at once
  }, src);
  await settled(page);
}

/** The text of the calculator's error line for a field key (e.g. "p0.duration"). */
export function errorOf(page, key) {
  return page.locator(`takst-beregner #f-${key.replace(/\./g, '-')}-fejl`);
}

export const field = (page, key) => page.locator(`takst-beregner #f-${key.replace(/\./g, '-')}`);
