// Fit for public sites: axe-core (WCAG 2.0/2.1 A and AA) with 0 violations in every state of
// the calculator, reflow at 200 % and 400 % zoom, and the page under the strict
// Content-Security-Policy with no violation (and, as a control, a CSP without
// 'wasm-unsafe-eval' blocks the module and the page still says so). Saves screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { setUp, status, field, errorOf, setSrc, OUT, SHEET } from './browser.mjs';
import { CSP } from '../tools/serve.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// A file whose names are long words with no place to break them.
const LONG_NAMES = (() => {
  const s = structuredClone(SHEET);
  s.offer.name = 'Langtnavn'.repeat(40);
  s.services[0].name = 'Udredningsmodul'.repeat(20);
  s.add_ons[0].name = 'Tillæg'.repeat(50);
  return JSON.stringify(s);
})();

let strict;
let forAxe;
before(async () => {
  strict = await setUp();
  // axe is injected as a script, which a strict CSP rightly blocks: a context that bypasses
  // the CSP runs it; the CSP itself is tested on its own below.
  forAxe = await setUp({ contextOptions: { bypassCSP: true }, routes: { '/demo/long-names.json': { body: LONG_NAMES } } });
});
after(async () => {
  await strict.close();
  await forAxe.close();
});

async function axe(page, label) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    TAGS,
  );
  const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(violations, [], `axe in state "${label}"`);
  return result;
}

test('axe-core: 0 violations of WCAG 2.0/2.1 A and AA, in every state', async () => {
  const { page } = await forAxe.page();
  await axe(page, 'first result');
  // Two phases, an add-on, the invoice lines open.
  await field(page, 'p0.duration').fill('5');
  await page.locator('takst-beregner').getByRole('button', { name: 'Tilføj fase' }).click();
  await page.locator('takst-beregner').getByRole('button', { name: 'Tilføj tillæg til fase 2' }).click();
  await page.locator('takst-beregner').locator('details.linjer summary').click();
  await axe(page, 'course with add-on, lines open');
  // Error messages next to fields.
  await field(page, 'p0.duration').fill('');
  await field(page, 'pl').fill('x');
  await field(page, 'p1.a0.qty').fill('-1');
  assert.equal(await errorOf(page, 'pl').isVisible(), true);
  await axe(page, 'errors shown');
  await field(page, 'p0.duration').fill('5');
  await field(page, 'pl').fill('');
  await field(page, 'p1.a0.qty').fill('2');
  // The explanation, with a level opened.
  await page.locator('takst-beregner').getByRole('button', { name: 'Hvorfor? Forløbets pris i alt' }).click();
  await page.locator('takst-beregner section.forklaring summary').first().click();
  await axe(page, 'explanation open');
  // A tariff file that cannot be read.
  await page.route('**/bad.json', (r) => r.fulfill({ body: '{"format": 1}', contentType: 'application/json' }));
  await page.evaluate(() => document.querySelector('takst-beregner').setAttribute('src', 'bad.json'));
  await page.locator('takst-beregner #fil-fejl').waitFor();
  await axe(page, 'tariff file refused');
});

test('labels sit in the same shadow root as their controls; results are a polite live region', async () => {
  const { page } = await forAxe.page();
  const unlabelled = await page.evaluate(() => {
    const root = document.querySelector('takst-beregner').shadowRoot;
    return [...root.querySelectorAll('input, select')]
      .filter((c) => !c.id || !root.querySelector(`label[for="${c.id}"]`))
      .map((c) => c.outerHTML);
  });
  assert.deepEqual(unlabelled, []);
  const live = page.locator('takst-beregner p.status[role=status]');
  assert.equal(await live.getAttribute('aria-live'), 'polite');
  assert.match(await status(page), /^Forløbet koster i alt/);
});

for (const [width, zoom] of [
  [640, '200 %'],
  [320, '400 %'],
]) {
  test(`reflow at ${zoom} zoom (${width} CSS px wide): no horizontal scrolling`, async () => {
    const { page } = await forAxe.page();
    await page.setViewportSize({ width, height: 900 });
    if (width === 320) await setSrc(page, 'long-names.json');
    await field(page, 'p0.duration').fill('14');
    await page.locator('takst-beregner').getByRole('button', { name: 'Tilføj fase' }).click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    const wide = await page.evaluate((w) => {
      const root = document.querySelector('takst-beregner').shadowRoot;
      return [...root.querySelectorAll('input, select, button, p, dt, dd, h2, h3, h4, svg')]
        .filter((e) => e.getBoundingClientRect().right > w + 0.5 && !e.closest('.rulle'))
        .map((e) => e.tagName + (e.id ? '#' + e.id : ''));
    }, width);
    assert.deepEqual(wide, [], 'controls and text fit the viewport (tables scroll in their own region)');
    await page.screenshot({ path: path.join(OUT, `calculator-${width}px.png`), fullPage: true });
  });
}

test('under the strict CSP: no violation, no console error, and a screenshot', async () => {
  const { page, problems } = await strict.page();
  const res = await page.request.get(strict.server.url + '/demo/');
  assert.equal(res.headers()['content-security-policy'], CSP);
  const wasm = await page.request.get(strict.server.url + '/takst/takst_wasm_bg.wasm');
  assert.equal(wasm.headers()['content-type'], 'application/wasm');
  await field(page, 'start').fill('2026-09-15');
  await field(page, 'pl').fill('1,96');
  await field(page, 'p0.duration').fill('5');
  await page.locator('takst-beregner').getByRole('button', { name: 'Tilføj fase' }).click();
  await field(page, 'p1.duration').fill('8');
  await page.locator('takst-beregner').getByRole('button', { name: 'Hvorfor? Forløbets pris i alt' }).click();
  // The module with the explanation is compiled under the same policy.
  await page.locator('takst-beregner #forklaring-titel').waitFor();
  assert.match(await status(page), /1\.655\.684,36 kr\./);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(problems, []);
  // No inline style attribute and no <style> element anywhere (the CSP would block them).
  const inline = await page.evaluate(() => {
    const root = document.querySelector('takst-beregner').shadowRoot;
    return [...document.querySelectorAll('[style], style'), ...root.querySelectorAll('[style], style')].length;
  });
  assert.equal(inline, 0);
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.screenshot({ path: path.join(OUT, 'calculator.png'), fullPage: true });
});

test("control: without 'wasm-unsafe-eval' the module is refused, and the page says so", async () => {
  const env = await setUp({ csp: "default-src 'self'; script-src 'self'; style-src 'self'" });
  try {
    const { page } = await env.page();
    const text = await page.locator('takst-beregner #fil-fejl').innerText();
    assert.match(text, /^Beregneren kunne ikke starte, fordi sidens sikkerhedspolitik \(Content-Security-Policy\) ikke tillader WebAssembly\. Webstedet skal tilføje 'wasm-unsafe-eval' til script-src\.$/);
    assert.ok((await page.evaluate(() => window.__csp)).some((v) => v.startsWith('script-src')));
  } finally {
    await env.close();
  }
});
