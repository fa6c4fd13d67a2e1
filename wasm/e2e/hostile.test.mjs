// Hostile tariff files and requests fed to the calculator in the browser. On wasm32 a panic
// would abort the instance, so after each one the page must still answer: it shows a message
// (never a blank element), and a good file and course afterwards give a price again.
// Strings from the file are shown as text, never run as HTML.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, status, setSrc, field, SHEET } from './browser.mjs';

const sheet = (change) => {
  const s = structuredClone(SHEET);
  change(s);
  return JSON.stringify(s);
};

const FILES = {
  'broken.json': '{"format": "takst/tariff-sheet", "version": 1, "services": [',
  'empty.json': '',
  'html.json': '<!doctype html><title>Not found</title><p>Siden findes ikke',
  'array.json': '[1, 2, 3]',
  'deep.json': '['.repeat(200000),
  'huge-string.json': JSON.stringify({ x: 'x'.repeat(4 << 20) }),
  'not-a-sheet.json': '{"version": 1, "offer": {}}',
  'absurd-numbers.json': sheet((s) => {
    s.services[0].tariff.day = '79228162514264337593543950335';
    s.add_ons[0].price = '79228162514264337593543950335';
  }),
  'number-1e300.json': sheet((s) => (s.services[0].tariff.day = 1e300)),
  'negative.json': sheet((s) => (s.services[1].tariff.day = '-3716')),
  'unknown-service.json': sheet((s) => (s.part_time = [{ of: 'findes-ikke', days_per_week: 2, pct: '60', day: '1' }])),
  'duplicate-ids.json': sheet((s) => s.services.push(structuredClone(s.services[0]))),
  'html-names.json': sheet((s) => {
    s.offer.name = '<img src=x onerror="window.__pwned=1">Elbæk';
    s.services[0].name = '<script>window.__pwned=1</script>Udredning';
    s.add_ons[0].name = '<b onmouseover="window.__pwned=1">Timer</b>';
  }),
  'many-services.json': sheet((s) => {
    s.services = Array.from({ length: 3000 }, (_, k) => ({ ...structuredClone(SHEET.services[0]), id: `s${k}`, name: `Ydelse ${k}` }));
  }),
  'no-services.json': sheet((s) => {
    s.services = [];
    delete s.average;
  }),
  'version-9.json': sheet((s) => (s.version = 9)),
};

const routes = Object.fromEntries(Object.entries(FILES).map(([n, body]) => [`/demo/hostile/${n}`, { body }]));
routes['/demo/hostile/server-error.json'] = { status: 500, body: 'boom' };

let env;
before(async () => {
  env = await setUp({ routes });
});
after(() => env.close());

/** The element shows something: a message about the file, or a status line. */
async function answers(page, label) {
  const shown = await page.evaluate(() => {
    const root = document.querySelector('takst-beregner').shadowRoot;
    const file = root.querySelector('#fil-fejl');
    const live = root.querySelector('[role=status]');
    return (!file.hidden && file.textContent.trim()) || (live.offsetParent && live.textContent.trim()) || '';
  });
  assert.ok(shown.length > 0, `${label}: the calculator shows nothing`);
  return shown;
}

async function stillPrices(page, label) {
  await setSrc(page, '/demo/tariffs.json');
  await field(page, 'p0.service').selectOption('udredning');
  await field(page, 'p0.unit').selectOption('months');
  await field(page, 'p0.duration').fill('3');
  assert.match(await status(page), /^Forløbet koster i alt/, `${label}: the page no longer prices a course`);
}

test('hostile tariff files: a message each time, and the page still answers', async () => {
  const { page, problems } = await env.page();
  for (const name of [...Object.keys(FILES), 'server-error.json', 'missing.json']) {
    await setSrc(page, `/demo/hostile/${name}`);
    const shown = await answers(page, name);
    if (!['absurd-numbers.json', 'html-names.json', 'many-services.json', 'duplicate-ids.json'].includes(name)) {
      assert.match(shown, /Takstfilen kan ikke|Takstfilen kunne ikke|Prisen kan ikke beregnes|Der er intet|ikke/, name);
    }
    // Try a course on whatever the file gave.
    if (await field(page, 'p0.duration').isVisible()) {
      await field(page, 'p0.duration').fill('5');
      await answers(page, `${name} + course`);
    }
    await stillPrices(page, name);
  }
  // The browser logs the two failed fetches itself; nothing else may be logged.
  assert.deepEqual(problems.filter((p) => !/Failed to load resource: .* status of (500|404)/.test(p)), []);
});

test('strings from the file are text, never HTML', async () => {
  const { page } = await env.page();
  await setSrc(page, '/demo/hostile/html-names.json');
  const found = await page.evaluate(() => {
    const root = document.querySelector('takst-beregner').shadowRoot;
    return {
      elements: root.querySelectorAll('img, script, b, iframe').length,
      pwned: window.__pwned === 1,
      text: root.textContent,
    };
  });
  assert.equal(found.elements, 0);
  assert.equal(found.pwned, false);
  assert.ok(found.text.includes('<img src=x onerror="window.__pwned=1">Elbæk'));
  assert.ok(found.text.includes('<script>window.__pwned=1</script>Udredning'));
});

test('absurd figures: the core says overflow, the page says so, and recovers', async () => {
  const { page } = await env.page();
  await setSrc(page, '/demo/hostile/absurd-numbers.json');
  await field(page, 'p0.service').selectOption('udredning');
  await field(page, 'p0.duration').fill('12');
  const text = await page.locator('takst-beregner #fil-fejl, takst-beregner #generel-fejl').filter({ visible: true }).first().innerText();
  assert.match(text, /for stort til at regne med/);
  await stillPrices(page, 'absurd');
});

test('hostile course input: every one answered, none freezes the page', async () => {
  const { page, problems } = await env.page();
  const durations = ['1e300', '-1', '99999999999999999999999', '4294967296', '0x10', ' ', '٣', '5'.repeat(5000), '💥', '2'];
  for (const d of durations) {
    await field(page, 'p0.duration').fill(d);
    await answers(page, `duration ${JSON.stringify(d.slice(0, 20))}`);
  }
  // The longest course the core prices, three centuries, day by day: bounded and answered.
  await field(page, 'start').fill('1900-01-01');
  await field(page, 'p0.unit').selectOption('until');
  const t0 = Date.now();
  await field(page, 'p0.duration').fill('2200-12-31');
  assert.match(await status(page), /^Forløbet koster i alt/);
  assert.ok(Date.now() - t0 < 15000, 'a three-century course is answered in seconds');
  assert.ok((await page.locator('takst-beregner table').first().locator('tbody tr').count()) <= 600);
  await page.locator('takst-beregner').getByRole('button', { name: 'Tilføj tillæg til fase 1' }).click();
  for (const q of ['79228162514264337593543950335', '1e5', '-0', 'NaN', '1/3']) {
    await field(page, 'p0.a0.qty').fill(q);
    await answers(page, `quantity ${q}`);
  }
  for (const pl of ['-100', '1e300', '99999999999999999999999999999', 'Infinity']) {
    await field(page, 'pl').fill(pl);
    await answers(page, `PL ${pl}`);
  }
  // Put the course right again: the same page prices it.
  await field(page, 'pl').fill('');
  await page.locator('takst-beregner').getByRole('button', { name: 'Fjern tillæg 1 i fase 1' }).click();
  await field(page, 'start').fill('2026-09-15');
  await stillPrices(page, 'course input');
  assert.deepEqual(problems, []);
});
