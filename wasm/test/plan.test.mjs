// The saved course (file and permalink), the tariff file's fingerprint, plan B − plan A and
// the CSV exports (wasm/js/plan.js), and the Danish texts (wasm/js/messages.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DIST, takst } from './helpers.mjs';
import fs from 'node:fs';

const plan = await import(path.join(DIST, 'plan.js'));
const messages = await import(path.join(DIST, 'messages.js'));
const SHEET = fs.readFileSync(path.join(DIST, '../demo/tariffs.json'), 'utf8');

const phases = (...list) => list.map(([service, amount]) => ({ service, unit: 'months', amount, until: '', addOns: [] }));
const state = {
  sheet: { src: 'tariffs.json', offer: 'elbaek', name: 'Elbæk (eksempel)', provider: 'Region Midtjylland', year: 2026, fingerprint: 'abc', date: '2026-05-01' },
  start: '2026-09-15',
  pl: '1,96',
  plans: [phases(['udredning', '5'], ['udvikling', '8']), phases(['udredning', '3'], ['udvikling', '10'])],
  totals: ['1655684.36', '1573000.00'],
};

test('a saved course goes through the URL fragment and back unchanged', () => {
  state.plans[0][1].addOns = [{ id: 'timer', qty: '6,5' }];
  const hash = plan.toFragment(plan.savedObject(state));
  assert.match(hash, /^takst=[A-Za-z0-9_-]+$/);
  assert.ok(hash.length < 1200, `a permalink of two plans is short: ${hash.length}`);
  const read = plan.fromFragment('#' + hash);
  assert.equal(read.ok, true);
  assert.deepEqual(read.saved.plans, state.plans);
  assert.equal(read.saved.start, '2026-09-15');
  assert.equal(read.saved.pl, '1,96');
  assert.deepEqual(read.saved.totals, state.totals);
  assert.equal(read.saved.sheet.fingerprint, 'abc');
  assert.equal(read.saved.sheet.year, 2026);
  state.plans[0][1].addOns = [];
});

test('hostile fragments and files are refused, never thrown', () => {
  assert.equal(plan.fromFragment('#noget-andet'), null);
  assert.equal(plan.fromFragment(''), null);
  for (const bad of ['#takst=', '#takst=%%%', '#takst=' + 'A'.repeat(200001), '#takst=' + plan.toBase64Url('{"format":1}'), '#takst=' + plan.toBase64Url('[1,2]'), '#takst=' + plan.toBase64Url('null'), '#takst=/w']) {
    assert.equal(plan.fromFragment(bad).ok, false, bad.slice(0, 30));
  }
  for (const bad of [null, 1, 'x', [], {}, { format: 'takst/forloeb', version: 2, plans: [] }, { format: 'takst/forloeb', version: 1, plans: [{ phases: [] }] }, { format: 'takst/forloeb', version: 1, plans: [{ phases: [1] }] }, { format: 'takst/forloeb', version: 1, plans: [1, 2, 3] }]) {
    assert.equal(plan.readSaved(bad).ok, false, JSON.stringify(bad));
  }
  // Long texts and lists are cut, unknown units become months.
  const long = plan.readSaved({ format: 'takst/forloeb', version: 1, start: 'x'.repeat(10000), plans: [{ phases: Array.from({ length: 500 }, () => ({ service: 's', unit: 'eons', amount: 5 })) }] });
  assert.equal(long.ok, true);
  assert.equal(long.saved.start.length, 200);
  assert.equal(long.saved.plans[0].length, 50);
  assert.equal(long.saved.plans[0][0].unit, 'months');
  assert.equal(long.saved.plans[0][0].amount, '');
});

test('the fingerprint tells sheets apart and is stable', () => {
  const a = plan.fingerprint(SHEET);
  assert.match(a, /^[0-9a-f]{16}$/);
  assert.equal(plan.fingerprint(SHEET), a);
  assert.notEqual(plan.fingerprint(SHEET.replace('"4801"', '"4802"')), a);
});

const quote = (months, total) => ({ months: months.map(([month, amount]) => ({ month, amount })), total });

test('plan B − plan A month by month is exact, and months only one plan has count as 0', () => {
  const a = quote([['2026-09', '76816.00'], ['2026-10', '148831.00']], '225647.00');
  const b = quote([['2026-10', '115196.10'], ['2026-11', '0.10']], '115196.20');
  const d = plan.planDifference(a, b);
  assert.deepEqual(d.months, [
    { month: '2026-09', a: '76816.00', b: undefined, difference: '-76816.00' },
    { month: '2026-10', a: '148831.00', b: '115196.10', difference: '-33634.90' },
    { month: '2026-11', a: undefined, b: '0.10', difference: '0.10' },
  ]);
  assert.equal(d.total, '-110450.80');
});

test('CSV for a Danish Excel: BOM, semicolons, decimal comma, CRLF, formulas made harmless', () => {
  const r = takst.priceCourses({
    sheet: SHEET,
    courses: [{ start: '2026-09-15', phases: [{ service: 'udredning', months: 5 }, { service: 'udvikling', months: 8 }] }],
    index: { rates_pct: [{ year: 2027, pct: '1.96' }] },
  });
  const q = r.courses[0];
  const months = plan.monthsCsv([{ name: 'Forløbet', quote: q }]);
  assert.ok(months.startsWith('\uFEFFMåned;Beløb (kr.);'));
  const lines = months.split('\r\n');
  assert.equal(lines[1], '2026-09;76816,00;76816,00;58512,00;18304,00');
  assert.equal(lines[lines.length - 2], 'I alt;1655684,36;1655684,36;1465087,16;190597,20');
  assert.equal(lines[lines.length - 1], '');
  assert.ok(!/\d\.\d/.test(months), 'no decimal point');
  const names = new Map([['udredning', '=HYPERLINK("x")'], ['udvikling', 'Udvikling; "god"']]);
  const csv = plan.linesCsv([{ name: 'Forløbet', quote: q }], names);
  const rows = csv.split('\r\n');
  assert.equal(rows[0], '\uFEFFPlan;Måned;Fase;Ydelse;Fra;Til;Dage;Beregning;Antal pr. måned;Enhed;Takst (kr.);Beløb (kr.);Takstår');
  assert.match(rows[1], /^Forløbet;2026-09;1;"'=HYPERLINK\(""x""\)";2026-09-15;2026-09-30;16;dage × dagstakst;;;4801(,00)?;76816,00;2026$/);
  assert.match(rows[7], /;"Udvikling; ""god""";/);
  assert.equal(rows.length, 15 + 2);
  // Two plans: A, B and the exact difference.
  const r2 = takst.priceCourses({ sheet: SHEET, courses: [{ start: '2026-09-15', phases: [{ service: 'udredning', months: 3 }, { service: 'udvikling', months: 10 }] }], index: { rates_pct: [{ year: 2027, pct: '1.96' }] } });
  const diff = plan.planDifference(q, r2.courses[0]);
  const two = plan.monthsCsv([{ name: 'Plan A', quote: q }, { name: 'Plan B', quote: r2.courses[0] }], diff).split('\r\n');
  assert.equal(two[0], '\uFEFFMåned;Plan A (kr.);Plan B (kr.);Forskel, Plan B − Plan A (kr.)');
  assert.equal(two[two.length - 2], `I alt;1655684,36;${r2.courses[0].total.replace('.', ',')};${diff.total.replace('.', ',')}`);
});

test('Danish texts: message_da, never English', () => {
  assert.equal(messages.danish({ code: 'overflow', message: 'x', message_da: ' Et tal er for stort. ' }), 'Et tal er for stort.');
  // The calculator's core gives every problem a Danish message (core/tests/danish.rs); one
  // without (another core) gets a general sentence, not the English message.
  for (const p of [{ code: 'overflow', message: 'figure too large' }, { code: 'zero_tariff', message: 'zero', message_da: '  ' }, null]) {
    assert.equal(messages.danish(p), 'Beregningen har en bemærkning, som beregneren ikke kan gengive.');
  }
  // A duration of −3 is too short, not too long.
  assert.equal(messages.fieldMessage('duration', { code: 'out_of_range', message: '' }, { unit: 'months', amount: '-3' }), 'Varigheden skal være mindst 1.');
});

test('figure() is the one reader of the explanation graph: label, value, rule, rounding, inputs', () => {
  const r = takst.priceCourses({
    sheet: SHEET,
    courses: [{ start: '2026-09-15', phases: [{ service: 'udredning', months: 5 }, { service: 'udvikling', months: 8 }] }],
    index: { rates_pct: [{ year: 2027, pct: '1.96' }] },
    explain: true,
  });
  const total = takst.figure(r, 'course[0].total');
  assert.equal(total.value, '1655684.36');
  assert.equal(total.rule, 'sum af alle fakturalinjer');
  assert.ok(total.inputs().length > 0);
  const find = (f, pred, depth = 0) => (pred(f) ? f : depth > 6 ? undefined : f.inputs().map((x) => find(x, pred, depth + 1)).find(Boolean));
  const rounded = find(total, (f) => f.rounding && f.rounding.before === '4895.0996');
  assert.equal(rounded.rounding.increment, '0.01');
  assert.equal(rounded.rounding.mode, 'half_away_from_zero');
  assert.equal(takst.figure(r, 'no.such.key'), undefined);
});
