// The JS API of takst.js over the built module: the same answers as the core, amounts as
// strings, structured errors (never thrown for bad input), the typed helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { takst, inexactNumbers, ROOT } from './helpers.mjs';

const SHEET = fs.readFileSync(path.join(ROOT, 'examples/published/elbaek.json'), 'utf8');
const COURSE = fs.readFileSync(path.join(ROOT, 'examples/requests/course.json'), 'utf8');
const README_COURSE = {
  start: '2026-09-15',
  phases: [
    { service: 'udredning', months: 5 },
    { service: 'udvikling', months: 8 },
  ],
};
const PL = { rates_pct: [{ year: 2027, pct: '1.96' }] };

test('evaluate takes JSON text or an object and gives the same response', () => {
  const fromText = takst.evaluate(COURSE);
  const fromObject = takst.evaluate(JSON.parse(COURSE));
  assert.equal(fromText.ok, true);
  assert.deepEqual(fromObject, fromText);
  assert.equal(takst.evaluateJson(COURSE), JSON.stringify(fromText));
});

test('amounts in a response are decimal strings, never JS numbers', () => {
  const r = takst.evaluate(COURSE);
  assert.deepEqual(inexactNumbers(r), []);
  assert.equal(typeof r.courses[0].total, 'string');
  assert.match(r.courses[0].total, /^\d+\.\d{2}$/);
  for (const line of r.courses[0].lines) assert.equal(typeof line.amount, 'string');
});

test("the README's course: 1,655,684.36 kr., 190,597.20 kr. more than the flat tariff", () => {
  const r = takst.priceCourses({ sheet: SHEET, courses: [README_COURSE], index: PL });
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  const q = r.courses[0];
  assert.equal(q.total, '1655684.36');
  assert.equal(q.days, 395);
  assert.equal(q.lines.length, 15);
  assert.equal(q.comparison.flat, '1465087.16');
  assert.equal(q.comparison.difference, '190597.20');
  assert.equal(r.explanation, undefined, 'no explanation unless asked');
});

test('errors are structured objects with code, path and message; nothing is thrown', () => {
  const r = takst.evaluate('{"version": 1, "offer": {"nmae": "x"}}');
  assert.equal(r.ok, false);
  assert.equal(r.errors[0].code, 'unknown_field');
  assert.equal(r.errors[0].path, 'offer.nmae');
  assert.equal(typeof r.errors[0].message, 'string');
  for (const bad of ['', 'not json', '{', '[]', 'null', '{"version": 2}', '\u0000', '{"version":1}{}']) {
    const b = takst.evaluate(bad);
    assert.equal(b.ok, false, bad);
    assert.ok(b.errors.length > 0);
    for (const e of b.errors) assert.deepEqual(Object.keys(e).slice(0, 3), ['code', 'path', 'message']);
  }
});

test('a syntax error carries its line and column', () => {
  const r = takst.evaluate('{\n  "version": 1,\n  oops\n}');
  assert.equal(r.errors[0].code, 'syntax');
  assert.equal(r.errors[0].line, 3);
  assert.equal(typeof r.errors[0].column, 'number');
});

test('requests that are not text or an object are structured errors too', () => {
  for (const bad of [undefined, null, 42, true, [1, 2], () => 1]) {
    const r = takst.evaluate(bad);
    assert.equal(r.ok, false);
    assert.equal(r.errors[0].code, 'invalid_type');
  }
  const cyclic = { version: 1 };
  cyclic.self = cyclic;
  assert.equal(takst.evaluate(cyclic).errors[0].code, 'invalid_type');
  assert.equal(takst.evaluate({ version: 1, x: 10n }).errors[0].code, 'invalid_type');
});

test('JS numbers that cannot carry an exact amount are refused, with their paths', () => {
  const r = takst.evaluate({
    version: 1,
    offer: { costs: [{ amount: 0.1 + 0.2 }, { amount: '0.3' }, { amount: 1e300 }] },
  });
  assert.equal(r.ok, false);
  assert.deepEqual(
    r.errors.map((e) => [e.code, e.path]),
    [
      ['invalid_type', 'offer.costs[0].amount'],
      ['invalid_type', 'offer.costs[2].amount'],
    ],
  );
  // Whole numbers (years, months) are fine as numbers.
  const ok = takst.priceCourses({ sheet: SHEET, courses: [{ start: '2026-01-01', phases: [{ service: 'udredning', days: 10 }] }] });
  assert.equal(ok.ok, true);
  assert.equal(ok.courses[0].total, '48010.00');
});

test('more than 100 JS numbers that cannot be sent: the first 100 and a note that says so', () => {
  for (const n of [100, 101, 150]) {
    const costs = Array.from({ length: n }, () => ({ amount: 0.5 }));
    const r = takst.evaluate({ version: 1, offer: { costs } });
    assert.equal(r.ok, false);
    const cut = n > 100;
    assert.equal(r.errors.length, cut ? 101 : 100, `${n}`);
    assert.deepEqual(r.errors[99].path, 'offer.costs[99].amount');
    if (cut) {
      assert.equal(r.errors[100].code, 'limit_exceeded');
      assert.match(r.errors[100].message, /more than 100 values/);
    }
  }
});

test('readSheet gives the sheet as the core read it, with paths relative to the sheet', () => {
  const r = takst.readSheet(SHEET);
  assert.equal(r.ok, true);
  assert.equal(r.sheet.offer.name, 'Elbæk (eksempel)');
  assert.deepEqual(
    r.sheet.services.map((s) => [s.id, s.tariff.day]),
    [
      ['udredning', '4801'],
      ['udvikling', '3716'],
      ['laengerevarende', '2928'],
    ],
  );
  const broken = JSON.parse(SHEET);
  broken.services[1].tariff.day = '-5';
  broken.services[2].tarif = {};
  const b = takst.readSheet(JSON.stringify(broken));
  assert.equal(b.ok, false);
  assert.equal(b.errors[0].code, 'unknown_field');
  assert.equal(b.errors[0].path, 'services[2].tarif');
  for (const e of b.errors) assert.doesNotMatch(e.path, /^catalogue/);
  const neg = JSON.parse(SHEET);
  neg.services[1].tariff.day = '-5';
  const n = takst.readSheet(neg);
  assert.equal(n.ok, false);
  assert.equal(n.errors[0].path, 'services[1].tariff.day');
});

test('readSheets: a file with several offers, each read from its own text', () => {
  const other = SHEET.replace('"Elbæk (eksempel)"', '"Elbæk \\"dag\\" [2], {b}"').replace('"3657"', '"3657.0000000000000000000001"');
  const r = takst.readSheets(`[\n${SHEET},\n ${other} ]`);
  assert.deepEqual(r.map((x) => [x.ok, x.sheet.offer.name]), [
    [true, 'Elbæk (eksempel)'],
    [true, 'Elbæk "dag" [2], {b}'],
  ]);
  assert.equal(r[1].sheet.average.day, '3657.0000000000000000000001', 'a number keeps its text');
  assert.equal(takst.readSheets(SHEET).length, 1);
  const bad = takst.readSheets(`[${SHEET}, {"format": "takst/tariff-sheet", "version": 1, "x": 1}]`);
  assert.equal(bad[0].ok, true);
  assert.equal(bad[1].ok, false);
  assert.ok(bad[1].errors.every((e) => e.path.startsWith('[1]')));
  assert.equal(takst.readSheets('[]')[0].ok, false);
  // Items that are not sheets are errors at their index, strings and numbers alike.
  for (const [file, at] of [[`[${SHEET}, "oops"]`, '[1]'], ['["x"]', '[0]'], [`[7, ${SHEET}]`, '[0]']]) {
    const r = takst.readSheets(file);
    assert.equal(r.length, file.startsWith('["x"]') ? 1 : 2, file.slice(0, 20));
    const failed = r.filter((x) => !x.ok);
    assert.equal(failed.length, 1, file.slice(0, 20));
    assert.ok(failed[0].errors.every((e) => e.path.startsWith(at)), JSON.stringify(failed[0].errors));
  }
  // The whole file is held to limits: at most 1,000 offers.
  const many = takst.readSheets(`[${Array(1001).fill('{}').join(',')}]`);
  assert.deepEqual(many.map((x) => [x.ok, x.errors[0].code]), [[false, 'limit_exceeded']]);
});

test('readSheet on a file that is not JSON: one syntax error with line and column', () => {
  const r = takst.readSheet('{\n  "format": "takst/tariff-sheet",\n  "version": 1,,\n}');
  assert.equal(r.ok, false);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].code, 'syntax');
  assert.equal(r.errors[0].line, 3);
  // Text that would otherwise reach into the request around it is refused as not one JSON value.
  const sneaky = takst.readSheet('{"format": "takst/tariff-sheet", "version": 1}, "courses": [');
  assert.equal(sneaky.ok, false);
  assert.equal(sneaky.errors[0].code, 'syntax');
  const p = takst.priceCourses({ sheet: '{}, "x": 1', courses: [] });
  assert.equal(p.ok, false);
  assert.equal(p.errors[0].code, 'syntax');
  assert.equal(p.errors[0].path, 'catalogue');
});

test('priceCourses: a sheet object with an inexact number is refused at its path, as evaluate refuses it', () => {
  const sheet = JSON.parse(JSON.stringify(typeof SHEET === 'string' ? JSON.parse(SHEET) : SHEET));
  sheet.services[0].tariff.day = 4801.5;
  const courses = [{ start: '2026-09-15', phases: [{ service: 'udredning', months: 5 }] }];
  const p = takst.priceCourses({ sheet, courses });
  const e = takst.evaluate({ version: 1, catalogue: sheet, courses });
  assert.equal(p.ok, false);
  assert.deepEqual(p.errors, e.errors);
  assert.equal(p.errors[0].path, 'catalogue.services[0].tariff.day');
  for (const bad of [null, 7, [SHEET]]) {
    const r = takst.priceCourses({ sheet: bad, courses });
    assert.equal(r.errors[0].code, 'invalid_type');
    assert.equal(r.errors[0].path, 'catalogue');
  }
});

test('priceCourses: unknown service, end before start and an empty duration name the field', () => {
  const price = (phases) => takst.priceCourses({ sheet: SHEET, courses: [{ start: '2026-03-15', phases }] }).errors;
  const unknown = price([{ service: 'nope', months: 3 }]);
  assert.deepEqual([unknown[0].code, unknown[0].path], ['unknown_reference', 'courses[0].phases[0].service']);
  const empty = price([{ service: 'udredning', months: 3 }, { service: 'udvikling' }]);
  assert.deepEqual([empty[0].code, empty[0].path], ['missing_value', 'courses[0].phases[1]']);
  const before = price([{ service: 'udredning', until: '2020-01-01' }]);
  assert.deepEqual([before[0].code, before[0].path], ['out_of_range', 'courses[0].phases[0].until']);
});

test('the explanation: every figure of a course can say where it comes from', () => {
  const r = takst.priceCourses({ sheet: SHEET, courses: [README_COURSE], index: PL, explain: true });
  const total = takst.findNode(r, 'course[0].total');
  assert.equal(total.value, '1655684.36');
  const inputs = takst.inputsOf(r, total);
  assert.ok(inputs.length > 0);
  // A line is its days × the tariff in force, rounded to øre once; the tariff was read from the sheet.
  const line = takst.findNode(r, 'course[0].line[0]');
  assert.equal(line.rounding.after, '76816.00');
  const [days, tariff] = takst.inputsOf(r, line);
  assert.equal(days.value, '16');
  assert.equal(tariff.value, '4801');
  assert.equal(tariff.path, 'catalogue.services[0].tariff.day');
  const indexed = takst.findNode(r, 'tariff.udredning.2027.day');
  assert.deepEqual([indexed.rounding.before, indexed.rounding.after], ['4895.0996', '4895.10']);
  assert.equal(takst.findNode(r, 'no.such.key'), undefined);
});

test("every approximation in the explanation is the core's rule on the exact fraction", () => {
  // The nearest 12-decimal number, half away from zero, unless it ends in 0 (and so would
  // look like a shorter decimal than the value): then the other neighbour.
  const directed = (n, d) => {
    const a = (n < 0n ? -n : n) * 10n ** 12n;
    const [floor, rem] = [a / d, a % d];
    let k = 2n * rem >= d ? floor + 1n : floor;
    if (k % 10n === 0n) k = k === floor ? floor + 1n : floor;
    const t = k.toString().padStart(13, '0');
    return `${n < 0n ? '-' : ''}${t.slice(0, -12)}.${t.slice(-12)}`.replace(/\.?0+$/, '');
  };
  // An offer's tariffs are quotients of its costs over its days: fractions.
  const request = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/requests/elbaek.json'), 'utf8'));
  const r = takst.evaluate({ ...request, options: { ...request.options, explain: true } });
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  const pairs = [];
  for (const node of takst.nodesOf(r)) {
    if (node.value.includes('/')) pairs.push([node.value, node.value_approx]);
    if (node.rounding?.before?.includes('/')) pairs.push([node.rounding.before, node.rounding.before_approx]);
  }
  assert.ok(pairs.length > 0);
  for (const [value, approx] of pairs) {
    const [n, d] = value.split('/').map(BigInt);
    assert.equal(approx, directed(n, d), value);
  }
});

test("the explanation's node table is read back with names exactly as given", () => {
  // Braces, a blank's own form and `$&` (special in String.prototype.replace patterns).
  const name = 'Modul {0} $& $1 "x" \\ {1}';
  const sheet = JSON.parse(SHEET);
  sheet.services[0].name = name;
  const r = takst.priceCourses({ sheet, courses: [README_COURSE], explain: true });
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  assert.equal(r.explanation.version, 3);
  const id = sheet.services[0].id;
  assert.equal(takst.findNode(r, `service.${id}.day`).label, `${name}, pr. døgn`);
  const nodes = takst.nodesOf(r);
  assert.equal(nodes.length, r.explanation.nodes.length);
  assert.ok(nodes.every((n, i) => n.id === i && typeof n.key === 'string' && typeof n.rule === 'string'));
  assert.equal(takst.nodesOf(r), nodes, 'read once per response');
});

test("each figure's Danish unit is its own sheet's, as the core words it", () => {
  // A residential offer's sheet and a day offer's in one request: "døgn" and "dag" side by
  // side (the calculator worded every unit by its own sheet's word, and `day_hours` in words
  // of its own).
  const sheet = JSON.parse(SHEET);
  const day = { ...JSON.parse(SHEET), offer: { ...sheet.offer, id: 'dagtilbud', name: 'Dagtilbud', kind: 'day' } };
  const courses = [{ ...README_COURSE, offer: 'elbaek' }, { ...README_COURSE, offer: 'dagtilbud' }];
  const r = takst.evaluate({ version: 1, catalogues: [sheet, day], courses, options: { explain: true } });
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  const [residential, daily] = ['catalogues[0].service.udredning.day', 'catalogues[1].service.udredning.day'].map((k) => takst.findNode(r, k));
  assert.equal(residential.unit_da, 'kr. pr. døgn');
  assert.equal(daily.unit_da, 'kr. pr. dag');
  assert.equal(daily.label, 'Udredningsmodul, pr. dag');
  assert.equal(takst.figure(r, 'catalogues[1].average.day').unitDa, 'kr. pr. dag');
  assert.ok(takst.nodesOf(r).every((n) => typeof n.unit_da === 'string'));
});

test('coreVersion and isReady', () => {
  assert.equal(takst.isReady(), true);
  assert.match(takst.coreVersion(), /^\d+\.\d+\.\d+/);
});

test('Danish notation, by text', () => {
  assert.equal(takst.formatKr('1234.50'), '1.234,50 kr.');
  assert.equal(takst.formatKr('1655684.36'), '1.655.684,36 kr.');
  assert.equal(takst.formatKr('4801'), '4.801 kr.');
  assert.equal(takst.formatKr('-190597.20'), '-190.597,20 kr.');
  assert.equal(takst.formatKr('0.05'), '0,05 kr.');
  assert.equal(takst.danishNumber('123'), '123');
  assert.equal(takst.danishNumber('1000000.00000000001'), '1.000.000,00000000001');
  assert.equal(takst.danishNumber('79228162514264337593543950335'), '79.228.162.514.264.337.593.543.950.335');
  assert.equal(takst.danishNumber('378387/167'), '378387/167', 'a fraction is shown as it is');
  assert.equal(takst.formatDate('2026-09-15'), '15.09.2026');
  assert.equal(takst.formatMonth('2027-02'), 'februar 2027');
  assert.equal(takst.formatMonth('2027-02', true), 'feb. 2027');
});
