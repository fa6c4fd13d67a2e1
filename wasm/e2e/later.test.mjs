// The element's parts a first result does not need (beregner-mere.js: the saved course, the
// permalink, the CSV exports, the explanation's tree) come after that result; what the user
// sees when they cannot be fetched, and that they are asked for again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, settled, status, field } from './browser.mjs';

const env = await setUp();
after(() => env.close());
const el = (page) => page.locator('takst-beregner');

/** The demo page with beregner-mere.js answered 404 while `failing.on` is true; with
 * `held`, answered only when `failing.release()` is called (no timing in the tests). */
async function page({ hash = '', held = false } = {}) {
  const context = await env.browser.newContext({ locale: 'da-DK' });
  const p = await context.newPage();
  let release;
  const gate = new Promise((r) => (release = r));
  const failing = { on: !held, asked: 0, release };
  await p.route('**/beregner-mere.js', async (route) => {
    failing.asked += 1;
    if (held) await gate;
    if (failing.on) await route.fulfill({ status: 404, body: '' });
    else await route.continue();
  });
  // The scripts the page had fetched when its first result was announced.
  await p.addInitScript(() => {
    document.addEventListener('takst-beregnet', (e) => {
      if (e.detail.response && e.detail.response.ok && window.__before === undefined) {
        window.__before = performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname.split('/').pop());
      }
    });
  });
  await p.goto(env.server.url + '/demo/' + hash);
  await settled(p);
  return { page: p, context, failing };
}

test('the first result is on the screen before beregner-mere.js and plan.js are fetched', async () => {
  const { page: p, context } = await page();
  await p.waitForFunction(() => window.__before !== undefined);
  const before = await p.evaluate(() => window.__before);
  assert.ok(before.includes('takst-beregner.js') && before.includes('takst_tal_bg.wasm'), before.join(', '));
  assert.ok(!before.includes('beregner-mere.js') && !before.includes('plan.js'), before.join(', '));
  await context.close();
});

test('beregner-mere.js cannot be fetched: saving says so, and the next click asks again', async () => {
  const { page: p, context, failing } = await page();
  await p.waitForFunction(() => window.__before !== undefined);
  await el(p).getByRole('button', { name: 'Gem forløbet som fil' }).click();
  await p.waitForFunction(() =>
    document.querySelector('takst-beregner').shadowRoot.querySelector('p.status').textContent.includes('kunne ikke hentes'),
  );
  assert.match(await status(p), /en del af beregneren kunne ikke hentes/);
  const asked = failing.asked;
  // Recomputes after the failure do not ask the network again (the link waits for a click).
  for (const months of ['6', '7']) {
    await field(p, 'p0.duration').fill(months);
    await p.waitForTimeout(350); // past the link's quarter of a second
  }
  assert.equal(failing.asked, asked);
  failing.on = false;
  const [saved] = await Promise.all([p.waitForEvent('download'), el(p).getByRole('button', { name: 'Gem forløbet som fil' }).click()]);
  assert.match(saved.suggestedFilename(), /^forloeb-.*\.json$/);
  assert.ok(failing.asked > asked);
  // The explanation draws its tree with the same module.
  await el(p).getByRole('button', { name: 'Hvorfor? Forløbets pris i alt' }).click();
  await el(p).locator('#forklaring-titel').waitFor();
  await context.close();
});

test('a permalink whose course cannot be read because beregner-mere.js cannot be fetched: said, and the form is priced', async () => {
  const { page: p, context } = await page({ hash: '#takst=eyJ9' });
  await el(p).locator('#gemt-besked').waitFor();
  assert.equal(
    await el(p).locator('#gemt-besked').innerText(),
    'Forløbet fra linket er ikke indlæst: en del af beregneren kunne ikke hentes. Genindlæs siden for at prøve igen.',
  );
  await p.waitForFunction(() => window.__before !== undefined); // the form as it is, priced
  await context.close();
});

/** A permalink of the demo's sheet for a first phase of `months` months. */
async function linkFor(months) {
  const { page: p, context, failing } = await page({ held: true });
  failing.on = false; // this page: the module comes
  failing.release();
  await field(p, 'p0.duration').fill(months);
  const href = await p.evaluate(() => document.querySelector('takst-beregner').permalink());
  await context.close();
  return new URL(href).hash;
}

test('after a failed import: no link to copy, and the address keeps a permalink that could not be read', async () => {
  const link = await linkFor('9');
  const { page: p, context, failing } = await page({ hash: link });
  await el(p).locator('#gemt-besked').waitFor();
  await p.waitForFunction(() => window.__before !== undefined); // the form as it is, priced
  await p.waitForTimeout(350);
  assert.equal(await el(p).locator('#permalink').getAttribute('href'), null, 'no link while its module is missing');
  // The module comes with the next click: the course's link is written beside the button,
  // not over the permalink in the address (the message says to reload it).
  failing.on = false;
  await el(p).getByRole('button', { name: 'Gem forløbet som fil' }).click();
  await p.waitForFunction(() => document.querySelector('takst-beregner').shadowRoot.querySelector('#permalink').getAttribute('href'));
  await p.waitForTimeout(350);
  assert.equal(await p.evaluate(() => location.hash), link);
  await context.close();
});

test('a permalink given to the address while beregner-mere.js is on its way is applied, not written over', async () => {
  const link = await linkFor('9');
  const { page: p, context, failing } = await page({ held: true });
  await p.waitForFunction(() => window.__before !== undefined);
  await p.waitForTimeout(350); // the link's timer waits on the module
  await p.evaluate((h) => (location.hash = h), link);
  failing.on = false;
  failing.release();
  await p.waitForFunction(() => document.querySelector('takst-beregner').shadowRoot.querySelector('#f-p0-duration').value === '9');
  await p.waitForTimeout(350);
  assert.equal(await p.evaluate(() => location.hash), link);
  await context.close();
});

test('a permalink given to the address when beregner-mere.js cannot be fetched: said', async () => {
  const link = await linkFor('9');
  const { page: p, context } = await page();
  await p.waitForFunction(() => window.__before !== undefined);
  await p.evaluate((h) => (location.hash = h), link);
  await el(p).locator('#gemt-besked').waitFor();
  assert.match(await el(p).locator('#gemt-besked').innerText(), /^Forløbet fra linket er ikke indlæst/);
  assert.equal(await p.evaluate(() => location.hash), link);
  await context.close();
});
