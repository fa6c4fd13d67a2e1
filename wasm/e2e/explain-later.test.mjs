// The first "Hvorfor?" loads the module with the explanation: what the user may do meanwhile.
// The module's answer is held back by the test (a gate, released by the test: no timing).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, settled, field } from './browser.mjs';

const env = await setUp();
after(() => env.close());
const el = (page) => page.locator('takst-beregner');

/** The demo page, with takst_beregner_bg.wasm answered only when `release()` is called (or 404 with `fail`). */
async function gated({ fail = false } = {}) {
  const context = await env.browser.newContext({ locale: 'da-DK' });
  const page = await context.newPage();
  let release;
  const gate = new Promise((r) => (release = r));
  const fetched = [];
  await page.route('**/takst_beregner_bg.wasm', async (route) => {
    fetched.push(route.request().url());
    await gate;
    if (fail) await route.fulfill({ status: 404, body: '' });
    else await route.continue();
  });
  await page.goto(env.server.url + '/demo/');
  await settled(page);
  return { page, context, release, fetched };
}

test('typing while the explanation loads: the focus stays in the field, the explanation comes', async () => {
  const { page, context, release, fetched } = await gated();
  await el(page).getByRole('button', { name: 'Hvorfor? Forløbets pris i alt' }).click();
  await el(page).getByText('Henter forklaringen …').waitFor();
  await field(page, 'p0.duration').fill('6');
  release();
  await el(page).locator('#forklaring-titel').waitFor();
  assert.equal(fetched.length, 1);
  assert.equal(
    await page.evaluate(() => document.querySelector('takst-beregner').shadowRoot.activeElement?.id),
    'f-p0-duration',
  );
  await context.close();
});

test('the explanation closed while it loads is not shown when the module comes', async () => {
  const { page, context, release } = await gated();
  await el(page).getByRole('button', { name: 'Hvorfor? Forløbets pris i alt' }).click();
  await el(page).getByRole('button', { name: 'Luk forklaringen' }).click();
  assert.equal(await el(page).locator('section.forklaring').isHidden(), true);
  release();
  await page.waitForFunction(async () => (await import('/takst/takst.js')).moduleKind() === 'calculator');
  assert.equal(await el(page).locator('section.forklaring').isHidden(), true);
  await context.close();
});

test('the module with the explanation cannot be fetched: the message can be closed', async () => {
  const { page, context, release } = await gated({ fail: true });
  await el(page).getByRole('button', { name: 'Hvorfor? Forløbets pris i alt' }).click();
  release();
  await el(page).getByText('Forklaringen kunne ikke hentes').waitFor();
  await el(page).getByRole('button', { name: 'Luk forklaringen' }).click();
  assert.equal(await el(page).locator('section.forklaring').isHidden(), true);
  await context.close();
});

test('a pointer over "Hvorfor?" starts the module with the explanation before the click', async () => {
  const { page, context, release, fetched } = await gated();
  const asked = page.waitForRequest(/takst_beregner_bg\.wasm$/);
  await el(page).getByRole('button', { name: 'Hvorfor? Forløbets pris i alt' }).hover();
  await asked; // fetched on the pointer's arrival, not on a click
  release();
  await page.waitForFunction(async () => (await import('/takst/takst.js')).moduleKind() === 'calculator');
  await el(page).getByRole('button', { name: 'Hvorfor? Forløbets pris i alt' }).click();
  await el(page).locator('#forklaring-titel').waitFor();
  assert.equal(fetched.length, 1);
  await context.close();
});

test('the module with the explanation fails to come on a hover: hovers do not ask again, a click does', async () => {
  const { page, context, release, fetched } = await gated({ fail: true });
  const why = el(page).getByRole('button', { name: 'Hvorfor? Forløbets pris i alt' });
  const asked = page.waitForRequest(/takst_beregner_bg\.wasm$/);
  await why.hover();
  await asked;
  release();
  await el(page).locator('#f-start').hover(); // away and back: no second request
  await why.hover();
  const again = page.waitForRequest(/takst_beregner_bg\.wasm$/);
  await why.click();
  await again;
  await el(page).getByText('Forklaringen kunne ikke hentes').waitFor();
  assert.equal(fetched.length, 2);
  await context.close();
});
