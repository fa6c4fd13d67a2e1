// The calculator in Debian's Chromium, under the strict CSP: a course filled in, the figures
// checked against the README's worked example, the explanation of a figure, keyboard-only use,
// and every bad-input message next to its field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, status, setSrc, errorOf, field, SHEET } from './browser.mjs';

const dayOffer = structuredClone(SHEET);
dayOffer.offer = { ...dayOffer.offer, id: 'elbaek-dag', name: 'Elbæk dagtilbud', kind: 'day' };
dayOffer.services = [{ ...dayOffer.services[1], id: 'dag', name: 'Dagmodul', tariff: { day: '1000' } }, dayOffer.services[1]];
const withoutAssessment = structuredClone(SHEET);
withoutAssessment.services = withoutAssessment.services.filter((s) => s.id !== 'udredning');

let env;
before(async () => {
  env = await setUp({
    routes: {
      '/demo/uden-udredning.json': { body: JSON.stringify(withoutAssessment) },
      '/demo/to-tilbud.json': { body: JSON.stringify([SHEET, dayOffer]) },
      '/demo/broken.json': { body: '{\n  "format": "takst/tariff-sheet",\n  "version": 1,,\n}' },
    },
  });
});
after(() => env.close());

const el = (page) => page.locator('takst-beregner');

async function readmeCourse(page) {
  await field(page, 'start').fill('2026-09-15');
  await field(page, 'pl').fill('1,96');
  await field(page, 'p0.service').selectOption('udredning');
  await field(page, 'p0.duration').fill('5');
  await el(page).getByRole('button', { name: 'Tilføj fase' }).click();
  await assert.doesNotReject(field(page, 'p1.service').waitFor());
  assert.equal(await field(page, 'p1.service').inputValue(), 'udvikling', 'the next module is proposed');
  await field(page, 'p1.duration').fill('8');
}

test("a course filled in gives the README's figures, in Danish notation", async () => {
  const { page, problems } = await env.page();
  await readmeCourse(page);
  assert.equal(
    await status(page),
    'Forløbet koster i alt 1.655.684,36 kr. for 395 dage, 15.09.2026 – 14.10.2027.',
  );
  const figures = await el(page).locator('dl.tal').innerText();
  assert.match(figures, /Forløbets pris i alt\s+1\.655\.684,36 kr\./);
  assert.match(figures, /Samme dage til gennemsnitstakst\s+1\.465\.087,16 kr\./);
  assert.match(figures, /Forskel\s+190\.597,20 kr\. dyrere end gennemsnitstaksten/);
  assert.match(figures, /Heraf 2026\s+518\.508,00 kr\./);
  const rows = el(page).locator('table').first().locator('tbody tr');
  assert.equal(await rows.count(), 14);
  assert.match(await rows.first().innerText(), /september 2026\s+76\.816,00 kr\.\s+58\.512,00 kr\.\s+18\.304,00 kr\./);
  // One bar per month: the bars are one path of closed rectangles.
  const bars = await el(page).locator('svg.diagram path.soejle').getAttribute('d');
  assert.equal(bars.match(/M/g).length, 14);
  assert.equal(await el(page).locator('svg.diagram polyline.flad').count(), 1);
  assert.equal(await el(page).locator('svg.diagram').getAttribute('role'), 'img');
  // The page computes without the invoice lines while their box is closed; opened, it has
  // them, and their number.
  assert.equal(await el(page).locator('details.linjer summary').innerText(), 'Fakturalinjer');
  await el(page).getByText('Fakturalinjer', { exact: true }).click();
  await el(page).getByText('Fakturalinjer (15)', { exact: true }).waitFor();
  assert.match(await el(page).locator('details.linjer tbody tr').nth(5).innerText(), /4\.895,10 kr\.\s+68\.531,40 kr\./);
  assert.deepEqual(problems, []);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
});

test('"Hvorfor?" explains a figure down to the tariff file, as text', async () => {
  const { page } = await env.page();
  await readmeCourse(page);
  await el(page).getByRole('button', { name: 'Hvorfor? Forløbets pris i alt' }).click();
  const box = el(page).locator('section.forklaring');
  await box.waitFor();
  assert.match(await box.locator('#forklaring-titel').innerText(), /Hvorfor koster det dette\?\s*Forløbets samlede pris/);
  assert.equal(await page.evaluate(() => document.querySelector('takst-beregner').shadowRoot.activeElement?.id), 'forklaring-titel');
  const text = await box.innerText();
  assert.match(text, /Forløbets samlede pris: 1\.655\.684,36 kr\./);
  assert.match(text, /Regel: sum af alle fakturalinjer/);
  // Open one month, then its line: days × the tariff read from the file.
  await box.locator('summary').filter({ hasText: 'Forløbet i februar 2027' }).click();
  await box.locator('summary').filter({ hasText: 'Udredningsmodul, 01.02.2027–14.02.2027' }).click();
  await box.getByText(/Afrundet til øre, halvt op \(væk fra nul\), fra 68\.531,40$/).waitFor();
  await box.locator('summary').filter({ hasText: 'takst pr. døgn 2027' }).click();
  await box.getByText(/Afrundet til øre, halvt op \(væk fra nul\), fra 4\.895,0996$/).waitFor();
  await box.getByText('Fra takstfilen: services[0].tariff.day').first().waitFor();
  // Closing returns the focus to the button that opened it.
  await box.getByRole('button', { name: 'Luk forklaringen' }).click();
  assert.equal(await box.isHidden(), true);
  assert.equal(
    await page.evaluate(() => document.querySelector('takst-beregner').shadowRoot.activeElement?.dataset.forklar),
    'course[0].total',
  );
});

test('keyboard only: fill a course, add a phase, ask why, with a visible focus', async () => {
  const { page } = await env.page();
  const active = () =>
    page.evaluate(() => {
      const a = document.querySelector('takst-beregner').shadowRoot.activeElement;
      if (!a) return null;
      const s = getComputedStyle(a);
      return { id: a.id, text: a.textContent, outline: `${s.outlineStyle} ${s.outlineWidth}` };
    });
  const tabTo = async (want) => {
    for (let k = 0; k < 40; k++) {
      await page.keyboard.press('Tab');
      const a = await active();
      if (a && (a.id === want || a.text.startsWith(want))) return a;
    }
    throw new Error(`Tab never reached ${want}`);
  };
  // From the top of the page into the calculator; the date is typed segment by segment.
  await tabTo('f-start');
  assert.equal((await active()).outline, 'solid 3px', 'the focus is visible');
  // The date's segments come in the browser's own order: day first (Danish) or month first.
  await page.keyboard.type('15092026');
  if ((await field(page, 'start').inputValue()) !== '2026-09-15') {
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('09152026');
  }
  assert.equal(await field(page, 'start').inputValue(), '2026-09-15');
  await tabTo('f-pl');
  await page.keyboard.type('2');
  await tabTo('f-p0-service');
  await page.keyboard.press('ArrowDown'); // Udviklingsmodul
  assert.equal(await field(page, 'p0.service').inputValue(), 'udvikling');
  await tabTo('f-p0-duration');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('4');
  await tabTo('Tilføj fase');
  assert.equal((await active()).outline, 'solid 3px');
  await page.keyboard.press('Enter');
  assert.equal((await active()).id, 'f-p1-service', 'the new phase has the focus');
  await tabTo('f-p1-duration');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('6');
  assert.match(await status(page), /^Forløbet koster i alt [\d.]+,\d\d kr\. for \d+ dage/);
  // Tab on to the first "Hvorfor?" and press Space.
  await tabTo('Hvorfor?');
  assert.match((await active()).text, /^Hvorfor\? Forløbets pris i alt/);
  await page.keyboard.press('Space');
  // The first explanation loads the module with the explanation first.
  await el(page).locator('#forklaring-titel').waitFor();
  assert.equal((await active()).id, 'forklaring-titel');
});

test('an empty duration, a word, 1e300, zero: a Danish message next to the field', async () => {
  const { page, problems } = await env.page();
  const duration = field(page, 'p0.duration');
  const cases = [
    ['', 'Angiv fasens varighed.'],
    ['fem', 'Skriv varigheden som et helt tal, f.eks. 5.'],
    ['2,5', 'Skriv varigheden som et helt tal, f.eks. 5.'],
    ['1e300', 'Skriv varigheden som et helt tal, f.eks. 5.'],
    ['0', 'Varigheden skal være mindst 1.'],
    ['99999999', 'Varigheden er for lang: forløbet skal ligge mellem år 1900 og 2200.'],
    ['3000', 'Varigheden er for lang: forløbet skal ligge mellem år 1900 og 2200.'],
    ['-3', 'Varigheden skal være mindst 1.'],
    [' -3 ', 'Varigheden skal være mindst 1.'],
  ];
  const before = await el(page).locator('dl.tal').innerText();
  for (const [typed, expected] of cases) {
    await duration.fill(typed);
    assert.equal(await errorOf(page, 'p0.duration').innerText(), expected, `for "${typed}"`);
    assert.equal(await duration.getAttribute('aria-invalid'), 'true');
    assert.match(await duration.getAttribute('aria-describedby'), /f-p0-duration-fejl/);
    assert.equal(await status(page), 'Prisen kan ikke beregnes: ret den markerede fejl. Det seneste resultat vises, men er ikke opdateret.');
    // The last result stays, marked as not updated.
    assert.equal(await el(page).locator('dl.tal').innerText(), before);
    assert.equal(await el(page).locator('#ikke-opdateret').isVisible(), true);
  }
  // A whole number with a leading zero or plus is that number.
  await duration.fill('5');
  const five = await status(page);
  for (const typed of ['05', '+5', ' 005 ']) {
    await duration.fill(typed);
    assert.equal(await status(page), five, `for "${typed}"`);
    assert.equal(await errorOf(page, 'p0.duration').isHidden(), true);
  }
  await duration.fill('3');
  assert.equal(await el(page).locator('#ikke-opdateret').isHidden(), true);
  // Under the strict CSP in the error states too.
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(problems, []);
  assert.equal(await errorOf(page, 'p0.duration').isHidden(), true);
  assert.equal(await duration.getAttribute('aria-invalid'), null);
  assert.match(await status(page), /^Forløbet koster i alt/);
});

test('an end before the start, a bad start date, a negative add-on, a bad PL rate', async () => {
  const { page } = await env.page();
  await field(page, 'start').fill('2026-09-15');
  await field(page, 'p0.unit').selectOption('until');
  await field(page, 'p0.duration').fill('2026-01-31');
  assert.equal(await errorOf(page, 'p0.duration').innerText(), 'Slutdatoen ligger før fasens start.');
  await field(page, 'p0.duration').fill('2300-01-01');
  assert.equal(await errorOf(page, 'p0.duration').innerText(), 'Forløbet skal ligge mellem år 1900 og 2200.');
  await field(page, 'p0.duration').fill('2026-12-31');
  assert.match(await status(page), /^Forløbet koster i alt .* 108 dage, 15\.09\.2026 – 31\.12\.2026\.$/);

  await field(page, 'start').fill('');
  assert.equal(await errorOf(page, 'start').innerText(), 'Angiv en gyldig startdato.');
  await field(page, 'start').fill('1850-01-01');
  assert.equal(await errorOf(page, 'start').innerText(), 'Startdatoen skal ligge mellem år 1900 og 2200.');
  await field(page, 'start').fill('2026-09-15');

  await el(page).getByRole('button', { name: 'Tilføj tillæg til fase 1' }).click();
  await field(page, 'p0.a0.qty').fill('-2');
  assert.equal(await errorOf(page, 'p0.a0.qty').innerText(), 'Antallet må ikke være negativt.');
  await field(page, 'p0.a0.qty').fill('6,5');
  assert.match(await status(page), /^Forløbet koster i alt/);

  await field(page, 'pl').fill('to procent');
  assert.equal(await errorOf(page, 'pl').innerText(), 'Skriv PL-satsen som et tal i procent, f.eks. 1,96.');
  await field(page, 'pl').fill('');
  assert.match(await status(page), /^Forløbet koster i alt/);
});

/** The courses and the index of the request the page last sent to the core. */
const sent = (page) =>
  page.evaluate(() => {
    const { courses, index } = JSON.parse(document.querySelector('takst-beregner').request);
    return { courses, index };
  });

test('numbers are read the Danish way: "1.000" is a thousand, "1.5" and "1e1" are refused at the field, the quote prints what was priced', async () => {
  const { page, problems } = await env.page();
  await field(page, 'start').fill('2026-03-01');
  await field(page, 'p0.service').selectOption('udredning');
  await field(page, 'p0.unit').selectOption('days');
  const duration = field(page, 'p0.duration');
  const phase = async () => (await sent(page)).courses[0].phases[0];
  // A whole number with thousands points, a plus, a leading zero or spaces: its digits.
  for (const [typed, days] of [['1.000', 1000], ['2.000', 2000], ['+3', 3], ['03', 3], [' 3 ', 3]]) {
    await duration.fill(typed);
    assert.deepEqual(await phase(), { service: 'udredning', days }, `"${typed}"`);
    assert.equal(await errorOf(page, 'p0.duration').isHidden(), true, `"${typed}"`);
  }
  assert.match(await status(page), /^Forløbet koster i alt 14\.403,00 kr\. for 3 dage/);
  // Anything else is an error at the field, and the text is not sent.
  for (const typed of ['1.5', '1.50', '0.500', '1e1', '3,0', '1,000']) {
    await duration.fill(typed);
    assert.equal(await errorOf(page, 'p0.duration').innerText(), 'Skriv varigheden som et helt tal, f.eks. 5.', `"${typed}"`);
    assert.deepEqual(await phase(), { service: 'udredning' }, `"${typed}" is not sent`);
    assert.equal(await duration.getAttribute('aria-invalid'), 'true');
    assert.equal(await el(page).locator('#ikke-opdateret').isVisible(), true);
  }
  await field(page, 'p0.unit').selectOption('months');
  await duration.fill('1.000');
  assert.deepEqual(await phase(), { service: 'udredning', months: 1000 });
  await duration.fill('2');

  // An add-on's quantity: a decimal with a comma, thousands with points, sent as its decimal text.
  await el(page).getByRole('button', { name: 'Tilføj tillæg til fase 1' }).click();
  await field(page, 'p0.a0.id').selectOption('koersel');
  const qty = field(page, 'p0.a0.qty');
  for (const [typed, text] of [['1.500', '1500'], ['1500', '1500'], ['12.500,5', '12500.5'], ['1,5', '1.5'], [' 6,5 ', '6.5'], ['+06,5', '6.5']]) {
    await qty.fill(typed);
    assert.deepEqual((await phase()).add_ons, [{ id: 'koersel', quantity_per_month: text }], `"${typed}"`);
    assert.equal(await errorOf(page, 'p0.a0.qty').isHidden(), true, `"${typed}"`);
  }
  const point = 'Skriv decimaler med komma, f.eks. 1,5 (punktum kun mellem tusinder, f.eks. 1.500).';
  for (const [typed, message] of [['1.5', point], ['1.50', point], ['0.500', point], ['1e1', 'Skriv antallet som et tal, f.eks. 6 eller 6,5.'], ['1/3', 'Skriv antallet som et tal, f.eks. 6 eller 6,5.']]) {
    await qty.fill(typed);
    assert.equal(await errorOf(page, 'p0.a0.qty').innerText(), message, `"${typed}"`);
    assert.deepEqual((await phase()).add_ons, [{ id: 'koersel' }], `"${typed}" is not sent`);
    assert.equal(await qty.getAttribute('aria-invalid'), 'true');
    assert.match(await status(page), /^Prisen kan ikke beregnes: ret den markerede fejl\./);
  }
  // The PL rate likewise.
  await field(page, 'pl').fill('1.96');
  assert.equal(await errorOf(page, 'pl').innerText(), 'Skriv decimaler med komma, f.eks. 1,96.');
  assert.equal((await sent(page)).index, undefined);
  await field(page, 'pl').fill('+1,96');
  assert.equal(await errorOf(page, 'pl').isHidden(), true);
  assert.deepEqual((await sent(page)).index, { later_pct: '1.96' });

  // The printed plan says what was priced, written the Danish way (not the text as typed).
  await field(page, 'p0.unit').selectOption('days');
  await duration.fill('1.000');
  await qty.fill('1500,50');
  assert.deepEqual(await phase(), { service: 'udredning', days: 1000, add_ons: [{ id: 'koersel', quantity_per_month: '1500.50' }] });
  assert.deepEqual(
    await el(page).locator('.plan-tekst p').allTextContents(),
    ['Start 01.03.2026. PL-fremskrivning 1,96 % pr. år.', 'Forløbet: Fase 1: Udredningsmodul, 1.000 dage, tillæg Kørsel (1.500,50 pr. måned).'],
  );
  await duration.fill('001');
  assert.match(await el(page).locator('.plan-tekst').textContent(), /Fase 1: Udredningsmodul, 1 dag, tillæg Kørsel/);
  assert.deepEqual(problems, []);
});

test('a service the tariff file does not have, and a broken tariff file', async () => {
  const { page, problems } = await env.page();
  await field(page, 'p0.service').selectOption('udredning');
  await setSrc(page, 'uden-udredning.json');
  assert.equal(await errorOf(page, 'p0.service').innerText(), 'Ydelsen findes ikke i takstfilen. Vælg en anden ydelse.');
  assert.match(await field(page, 'p0.service').locator('option:checked').innerText(), /Findes ikke i tilbuddet: Udredningsmodul/);
  await field(page, 'p0.service').selectOption('udvikling');
  assert.match(await status(page), /^Forløbet koster i alt/);

  await setSrc(page, 'broken.json');
  const box = el(page).locator('#fil-fejl');
  assert.match(await box.innerText(), /Takstfilen kan ikke bruges:\s+(Teksten|Filen) er ikke gyldig JSON.*\(linje 3, kolonne \d+\)\./);
  assert.equal(await el(page).locator('form').isHidden(), true);
  await setSrc(page, 'tariffs.json');
  assert.equal(await box.isHidden(), true);
  assert.match(await status(page), /^Forløbet koster i alt/);
  assert.deepEqual(problems, []);
});

test('a file with several offers: switching the offer keeps the phases it has, marks the others', async () => {
  const { page, problems } = await env.page();
  await setSrc(page, 'to-tilbud.json');
  const offer = field(page, 'offer');
  assert.deepEqual(await offer.locator('option').allInnerTexts(), ['Elbæk (eksempel) (2026)', 'Elbæk dagtilbud (2026)']);
  await readmeCourse(page);
  assert.match(await status(page), /^Forløbet koster i alt 1\.655\.684,36 kr\./);
  await offer.selectOption({ label: 'Elbæk dagtilbud (2026)' });
  // The development phase exists in the day offer and is kept; the assessment phase is kept
  // and marked, and the last result stays on the screen, marked as not updated.
  assert.equal(await field(page, 'p1.service').inputValue(), 'udvikling');
  assert.equal(await field(page, 'p1.duration').inputValue(), '8');
  assert.equal(await errorOf(page, 'p1.service').isHidden(), true);
  assert.equal(await field(page, 'p0.service').inputValue(), 'udredning');
  assert.match(await field(page, 'p0.service').locator('option:checked').innerText(), /Findes ikke i tilbuddet: Udredningsmodul/);
  assert.equal(await errorOf(page, 'p0.service').innerText(), 'Ydelsen findes ikke i takstfilen. Vælg en anden ydelse.');
  assert.equal(await field(page, 'start').inputValue(), '2026-09-15');
  assert.equal(await el(page).locator('#ikke-opdateret').isVisible(), true);
  assert.match(await el(page).locator('dl.tal').innerText(), /1\.655\.684,36 kr\./);
  assert.match(await status(page), /Det seneste resultat vises, men er ikke opdateret\./);
  await field(page, 'p0.service').selectOption('dag');
  assert.equal(await el(page).locator('#ikke-opdateret').isHidden(), true);
  await el(page).getByRole('button', { name: 'Fjern fase 2' }).click();
  await field(page, 'start').fill('2026-03-01');
  await field(page, 'p0.unit').selectOption('days');
  await field(page, 'p0.duration').fill('10');
  assert.match(await status(page), /^Forløbet koster i alt 10\.000,00 kr\. for 10 dage/);
  assert.match(await el(page).locator('.tilbud').innerText(), /Elbæk dagtilbud/);
  assert.deepEqual(problems, []);
});

test('heading-level set after the element is created; the event pairs the request with its response', async () => {
  const { page, problems } = await env.page();
  const headings = await page.evaluate(async () => {
    const el = document.createElement('takst-beregner');
    el.setAttribute('heading-level', '3');
    el.setAttribute('src', 'tariffs.json');
    el.id = 'second';
    document.body.append(el);
    await new Promise((resolve) => el.addEventListener('takst-beregnet', resolve, { once: true }));
    return [...el.shadowRoot.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => `${h.tagName} ${h.textContent}`);
  });
  assert.equal(headings[0], 'H3 Beregn prisen på et forløb');
  assert.ok(headings.slice(1).every((h) => /^H[4-6] /.test(h)), headings.join(' | '));

  // With an explanation open, an edit is priced once, with the explanation, and the event
  // carries that request and that response.
  await el(page).first().getByRole('button', { name: /Hvorfor\? Forløbets pris i alt/ }).click();
  await el(page).first().locator('#forklaring-titel').waitFor();
  const detail = await page.evaluate(async () => {
    const el = document.querySelector('takst-beregner');
    const input = el.shadowRoot.querySelector('#f-p0-duration');
    const seen = new Promise((resolve) => el.addEventListener('takst-beregnet', (e) => resolve(e.detail), { once: true }));
    input.value = '4';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const d = await seen;
    return { explain: JSON.parse(d.request).options.explain, graph: Boolean(d.response.explanation) };
  });
  assert.deepEqual(detail, { explain: true, graph: true });
  assert.deepEqual(problems, []);
});

test('the event gives the quotes with their invoice lines and the tariff sheet, which the page computed without', async () => {
  const { page, problems } = await env.page();
  await readmeCourse(page);
  const seen = await page.evaluate(async () => {
    const el = document.querySelector('takst-beregner');
    const input = el.shadowRoot.querySelector('#f-p1-duration');
    const detail = new Promise((resolve) => el.addEventListener('takst-beregnet', (e) => resolve(e.detail), { once: true }));
    input.value = '8';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const d = await detail;
    const request = JSON.parse(d.request);
    return {
      options: request.options,
      lines: d.response.courses[0].lines.length,
      total: d.response.courses[0].total,
      sheet: d.response.tariff_sheet.offer.name,
      shown: el.response.courses[0].total,
      pageLines: el.response.courses[0].lines === undefined,
      pageSheet: el.response.tariff_sheet === undefined,
      pageOptions: JSON.parse(el.request).options,
      again: d.response === d.response,
    };
  });
  assert.deepEqual(seen, {
    options: { explain: false },
    lines: 15,
    total: '1655684.36',
    sheet: 'Elbæk (eksempel)',
    shown: '1655684.36',
    pageLines: true,
    pageSheet: true,
    pageOptions: { explain: false, lines: false, tariff_sheet: false },
    again: true,
  });
  assert.deepEqual(problems, []);
});

test('the demo server sends /demo to /demo/', async () => {
  const { page } = await env.page();
  const res = await page.goto(env.server.url + '/demo');
  assert.equal(new URL(page.url()).pathname, '/demo/');
  assert.equal(res.status(), 200);
});

test('a recompute updates the result in place, and the page is the one a fresh render builds', async () => {
  const { page, problems } = await env.page();
  // The result's HTML as updated in place, and as built from nothing for the same response;
  // then the page is put back as it was, so each step goes on from the in-place page.
  const both = () =>
    page.evaluate(() => {
      const el = document.querySelector('takst-beregner');
      const updated = el.results.innerHTML;
      const kept = {
        views: el.views,
        children: [...el.results.childNodes],
        announced: el.lastAnnounced,
        status: el.status.textContent,
      };
      el.views = {};
      el.results.replaceChildren();
      el.show(el.response);
      const fresh = el.results.innerHTML;
      el.views = kept.views;
      el.results.replaceChildren(...kept.children);
      el.lastAnnounced = kept.announced;
      el.status.textContent = kept.status;
      return { updated, fresh };
    });
  const same = async (state) => {
    const { updated, fresh } = await both();
    assert.ok(updated.includes('<dl class="tal">') || updated.includes('planer-tabel'), `a result in state "${state}"`);
    assert.equal(updated, fresh, `state "${state}"`);
  };
  await readmeCourse(page);
  await same('the README course');
  await el(page).getByText('Fakturalinjer', { exact: true }).click();
  await el(page).locator('details.linjer tbody tr').first().waitFor();
  await same('invoice lines open');
  // A month's row is the same element after a recompute.
  const marked = await page.evaluate(() => {
    const rows = document.querySelector('takst-beregner').shadowRoot.querySelectorAll('.maaneder tbody tr');
    rows[0].kept = true; // a property, not an attribute: the HTML stays the fresh render's
    return rows.length;
  });
  assert.equal(marked, 14);
  for (const months of ['9', '10', '80', '3', '8']) {
    await field(page, 'p1.duration').fill(months);
    await same(`phase 2 of ${months} months`);
    assert.equal(await el(page).locator('details.linjer').getAttribute('open'), '', 'the invoice lines stay open');
  }
  const firstKept = await page.evaluate(
    () => document.querySelector('takst-beregner').shadowRoot.querySelector('.maaneder tbody tr').kept === true,
  );
  assert.ok(firstKept, "september 2026's row is the element of the first result");
  assert.equal(await el(page).locator('svg.diagram path.soejle').getAttribute('d').then((d) => d.match(/M/g).length), 14);
  await field(page, 'pl').fill('');
  await same('no PL index');
  // An error leaves the last result as it was, marked as not updated.
  const before = await el(page).locator('.tal-og-tabeller').innerHTML();
  await field(page, 'p1.duration').fill('');
  assert.equal(await el(page).locator('.tal-og-tabeller').innerHTML(), before);
  assert.equal(await el(page).locator('.tal-og-tabeller').getAttribute('class'), 'tal-og-tabeller foraeldet');
  await field(page, 'p1.duration').fill('7');
  await same('the error mended');
  await el(page).getByRole('button', { name: 'Sammenlign med en anden plan' }).click();
  await field(page, 'b0.duration').fill('3');
  await same('two plans');
  await el(page).getByRole('button', { name: 'Fjern plan B' }).click();
  await same('plan B removed');
  await field(page, 'p0.duration').fill('2');
  await same('one plan again, phase 1 shorter');
  assert.deepEqual(problems, []);
});
