// The element's parts a first result does not need (beregner-mere.js: the saved course, the
// permalink, the CSV exports, the explanation's tree) come after that result; what the user
// sees when they cannot be fetched, and that they are asked for again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, settled, status } from './browser.mjs';

const env = await setUp();
after(() => env.close());
const el = (page) => page.locator('takst-beregner');

/** The demo page with beregner-mere.js answered 404 while `failing.on` is true. */
async function page({ hash = '' } = {}) {
  const context = await env.browser.newContext({ locale: 'da-DK' });
  const p = await context.newPage();
  const failing = { on: true, asked: 0 };
  await p.route('**/beregner-mere.js', async (route) => {
    failing.asked += 1;
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
