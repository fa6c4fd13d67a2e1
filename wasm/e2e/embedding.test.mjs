// The embedding guide (wasm/README.md) tested as written: its code blocks are read from the
// README and served as they stand, with its example origins replaced by two local ports (the
// page on one, the calculator's files and the tariff sheet on the other). The calculator must
// price the README's course under the guide's CSP and CORS headers; without the CORS header
// the user must see a Danish message that the calculator's files could not be loaded; the
// <meta> CSP option must work the same; and the demo server must serve the precompressed
// files with the right Content-Encoding.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, watch, ROOT } from './browser.mjs';
import { serve, DIST } from '../tools/serve.mjs';

const README = fs.readFileSync(path.join(ROOT, 'wasm/README.md'), 'utf8');
const guide = README.slice(README.indexOf('## Embedding guide'), README.indexOf('## Accessibility'));
/** The fenced code blocks of a part of the guide: `[{ lang, code }]`. */
const blocks = (text) => [...text.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }));
const part = (from, to) => guide.slice(guide.indexOf(from), to ? guide.indexOf(to) : undefined);

const sameOrigin = blocks(part('**2. Add one script tag', '**3.'));
const csp = blocks(part('**3. The Content-Security-Policy', '**Files on another origin'));
const other = blocks(part('**Files on another origin', '**4.'));
const SNIPPET = sameOrigin.find((b) => b.lang === 'html').code;
const CSS = sameOrigin.find((b) => b.lang === 'css').code;
const META = csp.find((b) => b.lang === 'html' && b.code.includes('http-equiv')).code;
const CROSS_HTML = other.find((b) => b.lang === 'html').code;
const HINTS = blocks(part('**5. A faster first result', '**6.')).find((b) => b.lang === 'html').code;

/** The header blocks of the cross-origin example: `{ page: {…}, files: {…} }`. */
function headerGroups(code) {
  const groups = [];
  for (const line of code.split('\n')) {
    if (line.startsWith('#')) groups.push({});
    else if (line.includes(': ')) {
      const at = line.indexOf(': ');
      groups[groups.length - 1][line.slice(0, at)] = line.slice(at + 2);
    }
  }
  assert.equal(groups.length, 2, 'the guide gives the page\'s headers and the files\' headers');
  return { page: groups[0], files: groups[1] };
}
const HEADERS = headerGroups(other.find((b) => b.lang === 'http').code);

const PAGE_ORIGIN = 'https://www.kommune.dk';
const FILE_ORIGIN = 'https://cdn.kommune.dk';

let browser;
let www;
let cdn;
let cdnWithoutCors;
// The page server's routes and the file server's headers are filled in once both ports are known.
const routes = {};
const cdnHeaders = {};

const page = (head, body) =>
  `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Kommunens side</title>${head}</head><body><main><h1>Hvad koster et forløb?</h1>${body}</main></body></html>`;

before(async () => {
  const files = { '/takst/0.1.0/': path.join(DIST, 'takst'), '/takster/': path.join(ROOT, 'examples/published') };
  www = await serve({ csp: null, routes, mounts: files });
  cdn = await serve({ csp: null, mounts: files, headers: cdnHeaders });
  cdnWithoutCors = await serve({ csp: null, mounts: files });
  const swap = (s, files = cdn.url) => s.replaceAll(PAGE_ORIGIN, www.url).replaceAll(FILE_ORIGIN, files);
  for (const [k, v] of Object.entries(HEADERS.files)) cdnHeaders[k] = swap(v);
  const pageHeaders = Object.fromEntries(Object.entries(HEADERS.page).map(([k, v]) => [k, swap(v)]));
  const link = '<link rel="stylesheet" href="/side.css">';
  const [script, ...rest] = CROSS_HTML.trim().split('\n');
  routes['/favicon.ico'] = { status: 204, type: 'image/x-icon' }; // the browser asks for it
  routes['/side.css'] = { type: 'text/css; charset=utf-8', body: CSS };
  // Two origins, the guide's headers.
  routes['/to-origins/'] = { type: 'text/html; charset=utf-8', headers: pageHeaders, body: page(link + swap(script), swap(rest.join('\n'))) };
  // The same, but the files' server sends no CORS header.
  const noCors = (s) => swap(s, cdnWithoutCors.url);
  routes['/uden-cors/'] = {
    type: 'text/html; charset=utf-8',
    headers: Object.fromEntries(Object.entries(HEADERS.page).map(([k, v]) => [k, noCors(v)])),
    body: page(link + noCors(script), noCors(rest.join('\n'))),
  };
  // The script from the page's own origin, the module from another without CORS.
  routes['/wasm-uden-cors/'] = {
    type: 'text/html; charset=utf-8',
    headers: Object.fromEntries(Object.entries(HEADERS.page).map(([k, v]) => [k, noCors(v)])),
    body: page(
      link + '<script type="module" src="/takst/0.1.0/takst-beregner.js"></script>',
      `<takst-beregner src="/takster/elbaek.json" wasm="${cdnWithoutCors.url}/takst/0.1.0/takst_wasm_bg.wasm"></takst-beregner>`,
    ),
  };
  // One origin, the policy as a <meta> element, the snippet of step 2 as it stands.
  const [oneScript, ...oneRest] = SNIPPET.trim().split('\n');
  routes['/meta/'] = { type: 'text/html; charset=utf-8', body: page(META + link + oneScript, oneRest.join('\n')) };
  // The same page with the lines of step 5 before the script tag.
  routes['/snabb/'] = { type: 'text/html; charset=utf-8', body: page(HINTS + link + oneScript, oneRest.join('\n')) };
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const s of [www, cdn, cdnWithoutCors]) await s?.close();
});

async function open(url) {
  const context = await browser.newContext({ locale: 'da-DK' });
  const p = await context.newPage();
  const problems = await watch(p);
  const responses = [];
  p.on('response', (r) => responses.push(r));
  await p.goto(url);
  return { page: p, problems, responses, context };
}

async function priceReadmeCourse(p) {
  const f = (key) => p.locator(`takst-beregner #f-${key}`);
  await p.waitForFunction(() => document.querySelector('takst-beregner')?.shadowRoot?.querySelector('#f-start'));
  await f('start').fill('2026-09-15');
  await f('pl').fill('1,96');
  await f('p0-service').selectOption('udredning');
  await f('p0-duration').fill('5');
  await p.locator('takst-beregner').getByRole('button', { name: 'Tilføj fase' }).click();
  await f('p1-duration').fill('8');
  return p.locator('takst-beregner p.status').textContent();
}

test("the guide's two origins, CSP and CORS headers: the README's course is priced, nothing blocked", async () => {
  assert.match(HEADERS.page['Content-Security-Policy'], /connect-src 'self' https:\/\/cdn\.kommune\.dk/);
  assert.equal(HEADERS.files['Access-Control-Allow-Origin'], PAGE_ORIGIN);
  const { page: p, problems, responses, context } = await open(`${www.url}/to-origins/`);
  // What the page has loaded when its first result is on the screen (before the pointer moves:
  // a pointer over "Hvorfor?" starts the module with the explanation).
  await p.waitForFunction(() => document.querySelector('takst-beregner')?.response?.ok === true);
  const first = responses.map((r) => r.url());
  assert.match(await priceReadmeCourse(p), /^Forløbet koster i alt 1\.655\.684,36 kr\./);
  assert.deepEqual(await p.evaluate(() => window.__csp), []);
  assert.deepEqual(responses.filter((r) => r.status() >= 400).map((r) => r.url()), []);
  assert.deepEqual(problems, []);
  // The calculator's first module (figures from catalogues and courses), never the full one,
  // nor the one with the explanation before an explanation is asked for.
  const wasm = responses.find((r) => r.url().endsWith('/takst_tal_bg.wasm'));
  const loaded = (file) => responses.filter((r) => r.url().endsWith(file)).length;
  assert.ok(first.some((u) => u.endsWith('/takst_tal_bg.wasm')));
  assert.deepEqual(first.filter((u) => /\/takst_(wasm|beregner)_bg\.wasm$/.test(u)), []);
  assert.ok(wasm.url().startsWith(cdn.url), 'the module comes from the other origin');
  assert.equal(wasm.headers()['content-type'], 'application/wasm');
  assert.match(wasm.headers()['content-encoding'] ?? '', /^(br|gzip)$/, 'the module crosses the wire compressed');
  // Asked why, it loads the module with the explanation from the other origin, and explains.
  await p.locator('takst-beregner').getByRole('button', { name: /^Hvorfor/ }).first().click();
  await p.locator('takst-beregner #forklaring-titel').waitFor();
  const explaining = responses.find((r) => r.url().endsWith('/takst_beregner_bg.wasm'));
  assert.ok(explaining && explaining.url().startsWith(cdn.url), 'the explaining module comes from the other origin');
  assert.equal(loaded('/takst_wasm_bg.wasm'), 0);
  assert.deepEqual(problems, []);
  const sheet = responses.find((r) => r.url().endsWith('/takster/elbaek.json'));
  assert.ok(sheet.url().startsWith(cdn.url));
  // The quote names the tariff file by its URL on the other origin.
  assert.match(await p.locator('takst-beregner .kilde').innerText(), new RegExp(`Takstfil: elbaek\\.json \\(${cdn.url.replace(/\./g, '\\.')}/takster/elbaek\\.json\\) ændret \\d\\d\\.\\d\\d\\.\\d{4}`));
  // The fallback text is never seen once the calculator runs.
  assert.equal(await p.locator('.takst-reserve').isVisible(), false);
  await context.close();
});

test('the <meta> CSP of the guide, one origin: the same course, nothing blocked', async () => {
  const { page: p, problems, context } = await open(`${www.url}/meta/`);
  assert.match(await priceReadmeCourse(p), /^Forløbet koster i alt 1\.655\.684,36 kr\./);
  assert.deepEqual(await p.evaluate(() => window.__csp), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("step 5's lines: each names a file the calculator fetches, and each is fetched once, by its line", async () => {
  const hinted = [...HINTS.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(hinted.includes('/takst/0.1.0/takst_tal_bg.wasm') && hinted.includes('/takster/elbaek.json'));
  // Each page's fetches up to its first result, with who started each: the page's parser (its
  // <link> lines) or a script (the calculator's imports and fetch calls).
  const fetches = async (url) => {
    const context = await browser.newContext({ locale: 'da-DK' });
    const p = await context.newPage();
    const problems = await watch(p);
    const cdp = await context.newCDPSession(p);
    await cdp.send('Network.enable');
    const sent = [];
    cdp.on('Network.requestWillBeSent', (e) => sent.push({ path: new URL(e.request.url).pathname, by: e.initiator.type }));
    await p.goto(url);
    await p.waitForFunction(() => document.querySelector('takst-beregner')?.response?.ok === true);
    return { p, problems, sent, context };
  };
  const plain = await fetches(`${www.url}/meta/`);
  await plain.context.close();
  const fast = await fetches(`${www.url}/snabb/`);
  for (const href of hinted) {
    const was = plain.sent.filter((r) => r.path === href);
    const now = fast.sent.filter((r) => r.path === href);
    assert.deepEqual(was.map((r) => r.by), ['script'], `${href}: fetched by the calculator's scripts without the lines`);
    // Once, and by its line: a line the browser skipped, or whose fetch the calculator did not
    // take over (another URL, no crossorigin), would leave a fetch by a script.
    assert.deepEqual(now.map((r) => r.by), ['parser'], `${href}: fetched once, by its line`);
  }
  assert.match(await priceReadmeCourse(fast.p), /^Forløbet koster i alt 1\.655\.684,36 kr\./);
  assert.deepEqual(fast.problems, []);
  await fast.context.close();
});

test('without the CORS header: a Danish message that the calculator\'s files could not be loaded', async () => {
  // The module script itself is refused: the guide's fallback text shows.
  const { page: p, context } = await open(`${www.url}/uden-cors/`);
  const fallback = p.locator('.takst-reserve');
  await fallback.waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await fallback.innerText(), /^Prisberegneren kunne ikke indlæses, fordi dens filer ikke kunne hentes\./);
  assert.equal(await p.evaluate(() => customElements.get('takst-beregner') === undefined), true);
  await context.close();
  // The script loads, the module on another origin does not: the element says so itself.
  const second = await open(`${www.url}/wasm-uden-cors/`);
  const box = second.page.locator('takst-beregner #fil-fejl');
  await box.waitFor();
  assert.equal(
    await box.innerText(),
    'Beregnerens filer kunne ikke hentes, så beregneren kan ikke starte. Prøv igen senere; hvis fejlen bliver ved, så kontakt webstedet.',
  );
  assert.doesNotMatch(await box.innerText(), /browser|Takstfilen/);
  await second.context.close();
});

/** A GET with an Accept-Encoding header: `{ headers, body }`. */
function get(url, encoding) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: encoding === undefined ? {} : { 'Accept-Encoding': encoding } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

test('the demo server serves the precompressed copies with the right Content-Encoding', async () => {
  const server = await serve();
  try {
    const raw = fs.readFileSync(path.join(DIST, 'takst/takst_wasm_bg.wasm'));
    const br = await get(`${server.url}/takst/takst_wasm_bg.wasm`, 'gzip, deflate, br, zstd');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['content-type'], 'application/wasm');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.ok(br.body.length < raw.length * 0.4, `brotli: ${br.body.length} of ${raw.length} bytes`);
    assert.ok(zlib.brotliDecompressSync(br.body).equals(raw));
    const gz = await get(`${server.url}/takst/takst_wasm_bg.wasm`, 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(zlib.gunzipSync(gz.body).equals(raw));
    const none = await get(`${server.url}/takst/takst_wasm_bg.wasm`);
    assert.equal(none.headers['content-encoding'], undefined);
    assert.ok(none.body.equals(raw));
    const refused = await get(`${server.url}/takst/takst.js`, 'br;q=0, gzip');
    assert.equal(refused.headers['content-encoding'], 'gzip');
    assert.ok(refused.headers['last-modified']);
    const js = await get(`${server.url}/takst/takst-beregner.js`, 'br');
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.ok(zlib.brotliDecompressSync(js.body).equals(fs.readFileSync(path.join(DIST, 'takst/takst-beregner.js'))));
  } finally {
    await server.close();
  }
});
