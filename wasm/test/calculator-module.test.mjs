// The calculator's modules against the full one, each in its own instance of the glue:
// - takst_beregner_bg.wasm (the core without its `provider` feature): every conformance case,
//   example request and bad sheet it accepts is answered byte for byte as the full module
//   answers it, and a request with a provider section `unsupported` at each such section,
//   before anything else is read;
// - takst_tal_bg.wasm, the first module (without `explain` and `billing` as well): the same,
//   a request with a `billing` section, a course's changes or `options.caseload` true is
//   answered `unsupported` at each before anything is read (then the other courses' own
//   problems, when each is a course's changes), and a request that asks for the explanation
//   is answered `unsupported` at `options.explain`, unless it does not read (then its reading
//   problems, as the full module gives them).
// Then takst.js: `initFigures` and `initCalculator` keep a running module that answers what
// they need, a larger one replaces a smaller one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cases, rawMember, DIST, ROOT } from './cases.mjs';

// Node runs each test file in a process of its own, so here takst.js starts the first module,
// as the calculator element does. The other two answer beside it from their own copies of the
// glue (a module URL with a query is a module of its own).
const bytes = (f) => fs.readFileSync(path.join(DIST, f));
const takstJs = await import(path.join(DIST, 'takst.js'));
await takstJs.initFigures(bytes('takst_tal_bg.wasm'));
const figures = takstJs;
const calculator = await import(`${path.join(DIST, 'takst_wasm.js')}?calculator`);
calculator.initSync({ module: bytes('takst_beregner_bg.wasm') });
const full = await import(`${path.join(DIST, 'takst_wasm.js')}?full`);
full.initSync({ module: bytes('takst_wasm_bg.wasm') });
const takst = {
  evaluateJson: (t) => full.evaluateJson(t),
  coreVersion: () => full.coreVersion(),
  moduleKind: () => full.moduleKind(),
};

/** The first module's answer to a request that asks for the explanation and reads. */
const NO_EXPLANATION = [['unsupported', 'options.explain']];
const codes = (text) => JSON.parse(text).errors.map((e) => [e.code, e.path]);

/**
 * What the first module does not read (core/src/format/request.rs, `unsupported_billing_in`),
 * as the paths it refuses, in its order: a `billing` key whatever its value, each course's
 * `changes` that is a list with items, `options.caseload` when it is true.
 */
function billingGiven(request) {
  if (request === null || typeof request !== 'object' || Array.isArray(request) || request.version !== 1) return [];
  const out = [];
  if ('billing' in request) out.push('billing');
  if (Array.isArray(request.courses)) {
    request.courses.forEach((c, i) => {
      if (c && Array.isArray(c.changes) && c.changes.length > 0) out.push(`courses[${i}].changes`);
    });
  }
  if (request.options && request.options.caseload === true) out.push('options.caseload');
  return out;
}

/**
 * The first module's refusal of what it does not read, after `before` (the provider
 * sections refused with it): those first, then nothing but the other courses' own problems,
 * which follow only when each refusal is a course's changes (core/src/evaluate/rest.rs).
 */
function assertRefusedHere(mine, before, paths, name) {
  const got = codes(mine);
  const expected = [...before, ...paths].map((p) => ['unsupported', p]);
  assert.deepEqual(got.slice(0, expected.length), expected, name);
  for (const [code, at] of got.slice(expected.length)) {
    assert.ok(before.length === 0 && !paths.includes('billing') && !paths.includes('options.caseload'), name);
    assert.notEqual(code, 'unsupported', name);
    assert.match(at, /^courses\[/, name);
  }
  assert.equal(JSON.parse(mine).ok, false, name);
}

/**
 * The first module's answer to `text`: the full module's, byte for byte, or, when the request
 * gives what the module does not read, `unsupported` at each, or, when it asks for the
 * explanation (`options.explain`, true by default), `unsupported` at `options.explain` alone
 * (always so when the full module answers it ok).
 */
function assertFigures(text, name) {
  const mine = figures.evaluateJson(text);
  const theirs = takst.evaluateJson(text);
  const request = JSON.parse(text);
  const notRead = billingGiven(request);
  if (notRead.length > 0) {
    assertRefusedHere(mine, [], notRead, name);
    assert.match(JSON.parse(mine).errors[0].message_da, /beregnerens første browsermodul/);
    return;
  }
  const asks = (request && request.options && request.options.explain) ?? true;
  if (asks && request.version === 1 && (JSON.parse(theirs).ok || mine !== theirs)) {
    assert.deepEqual(codes(mine), NO_EXPLANATION, name);
    assert.match(JSON.parse(mine).errors[0].message_da, /beregnerens første browsermodul/);
  } else {
    assert.equal(mine, theirs, name);
  }
}

// In the order the core reports them (format/request.rs, PROVIDER_SECTIONS).
const PROVIDER = [
  'offer',
  'tariff_notice',
  'settlement',
  'partnership',
  'base_funding',
  'special_arrangements',
  'ambulant',
  'buyer',
  'scenarios',
];

test('the three modules say which they are', () => {
  assert.equal(takst.moduleKind(), 'full');
  assert.equal(calculator.moduleKind(), 'calculator');
  assert.equal(figures.moduleKind(), 'figures');
  assert.equal(calculator.coreVersion(), takst.coreVersion());
  assert.equal(figures.coreVersion(), takst.coreVersion());
});

// A section is given unless it is `null` (an optional one) or `[]` (a list), as a full build reads them.
const LISTS = ['special_arrangements', 'scenarios'];
const gives = (request, key) =>
  key in request &&
  (request[key] === null
    ? LISTS.includes(key)
    : !(Array.isArray(request[key]) && request[key].length === 0) || !LISTS.includes(key));

const requests = [
  ...cases.map((c) => ({
    name: `case ${c.name}`,
    text: rawMember(fs.readFileSync(c.file, 'utf8'), 'request'),
  })),
  ...fs
    .readdirSync(path.join(ROOT, 'examples/requests'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: `example ${f}`,
      text: fs.readFileSync(path.join(ROOT, 'examples/requests', f), 'utf8'),
    })),
];

let accepted = 0;
let refused = 0;
for (const { name, text } of requests) {
  const request = JSON.parse(text);
  // A request of another version is refused as such first, by both modules.
  const sections = request.version === 1 ? PROVIDER.filter((key) => gives(request, key)) : [];
  if (sections.length === 0) {
    accepted++;
    test(`${name}: the calculator module answers byte for byte as the full one`, () => {
      for (const explain of [undefined, false, true]) {
        const variant =
          explain === undefined
            ? text
            : JSON.stringify({
                ...request,
                options: { ...request.options, explain },
              });
        assert.equal(calculator.evaluateJson(variant), takst.evaluateJson(variant));
        assertFigures(variant, `${name}, explain ${explain}`);
      }
    });
  } else {
    refused++;
    test(`${name}: the calculator modules answer unsupported at ${sections.join(', ')}`, () => {
      for (const module of [calculator, figures]) {
        const text2 = module.evaluateJson(text);
        const r = JSON.parse(text2);
        assert.equal(r.ok, false);
        if (module === figures) {
          // The first module refuses what it does not read with them.
          assertRefusedHere(text2, sections, billingGiven(request), name);
        } else {
          assert.deepEqual(
            r.errors.map((e) => [e.code, e.path]),
            sections.map((s) => ['unsupported', s]),
          );
        }
        assert.match(r.errors[0].message_da, /beregnerens browsermodul/);
      }
    });
  }
}

test('both kinds of request are among the cases', () => {
  assert.ok(accepted >= 5, `${accepted} accepted`);
  assert.ok(refused >= 5, `${refused} refused`);
});

test('a provider section is refused before its fields are read; null and [] give none, as in the full module', () => {
  const text = '{"version": 1, "settlement": {"nmae": 1}, "scenarios": null, "special_arrangements": []}';
  const r = JSON.parse(calculator.evaluateJson(text));
  assert.deepEqual(
    r.errors.map((e) => [e.code, e.path]),
    [
      ['unsupported', 'settlement'],
      ['unsupported', 'scenarios'],
    ],
  );
  assert.equal(figures.evaluateJson(text), calculator.evaluateJson(text));
  const none = '{"version": 1, "offer": null, "buyer": null, "scenarios": [], "special_arrangements": []}';
  assert.equal(calculator.evaluateJson(none), takst.evaluateJson(none));
  assertFigures(none, 'no section'); // it asks for the explanation: unsupported at options.explain
  const noneLean = none.replace('{', '{"options": {"explain": false}, ');
  assert.equal(figures.evaluateJson(noneLean), takst.evaluateJson(noneLean));
  // Syntax and version come first, as in the full module.
  for (const text of ['{"version": 1, "offer": ', '{"version": 2, "offer": {}}', '[]', '{"version": 2, "options": {"explain": true}}']) {
    assert.equal(calculator.evaluateJson(text), takst.evaluateJson(text), text);
    assert.equal(figures.evaluateJson(text), takst.evaluateJson(text), text);
  }
});

test('bad catalogues and courses: the same errors from the three modules', () => {
  const sheet = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/published/elbaek.json'), 'utf8'));
  const variants = [
    { ...sheet, services: [] },
    { ...sheet, nmae: 1 },
    { ...sheet, day_basis: 0 },
    { ...sheet, average: { day: 'x' } },
  ];
  const courses = [
    [{ start: '2026-01-01', phases: [{ service: 'udredning', months: 5 }] }],
    [{ start: '2026-02-30', phases: [{ service: 'nope', months: 5 }] }],
    [{ start: '2026-01-01', phases: [] }],
  ];
  for (const catalogue of [sheet, ...variants]) {
    for (const c of courses) {
      for (const explain of [true, false]) {
        const text = JSON.stringify({
          version: 1,
          catalogue,
          courses: c,
          options: { explain },
        });
        assert.equal(calculator.evaluateJson(text), takst.evaluateJson(text));
        assertFigures(text, JSON.stringify(c));
      }
    }
  }
});

test('the first module refuses a billing section, changes and the caseload before reading; [] and false give none', () => {
  const sheet = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/published/elbaek.json'), 'utf8'));
  const course = { start: '2026-09-15', phases: [{ service: 'udredning', months: 5 }] };
  const change = { service: { from: '2026-11-01', service: 'udvikling' } };
  const ask = (extra, c = course) =>
    JSON.stringify({ version: 1, catalogue: sheet, courses: [c], options: { explain: false }, ...extra });
  // Given none, or what a full module reads as none or refuses as a wrong type: its answer.
  for (const text of [
    ask({}, { ...course, changes: [] }),
    ask({ options: { explain: false, caseload: false } }),
    ask({}, { ...course, changes: null }),
    ask({}, { ...course, changes: 5 }),
    ask({ options: { explain: false, caseload: 'yes' } }),
  ]) {
    assert.equal(figures.evaluateJson(text), takst.evaluateJson(text), text);
  }
  // The calculator's module reads them all, as the full one does.
  for (const text of [
    ask({ billing: { invoicing: 'full_months' } }),
    ask({}, { ...course, changes: [change] }),
    ask({ options: { explain: false, caseload: true } }),
  ]) {
    assert.equal(calculator.evaluateJson(text), takst.evaluateJson(text), text);
    assert.equal(JSON.parse(takst.evaluateJson(text)).ok, true, text);
  }
  for (const billing of [{}, null, { invoicing: 'full_months' }]) {
    assert.deepEqual(codes(figures.evaluateJson(ask({ billing }))), [['unsupported', 'billing']]);
  }
  const text = JSON.stringify({
    version: 1,
    catalogue: sheet,
    billing: {},
    courses: [course, { ...course, changes: [change] }],
    options: { explain: true, caseload: true },
  });
  assert.deepEqual(codes(figures.evaluateJson(text)), [
    ['unsupported', 'billing'],
    ['unsupported', 'courses[1].changes'],
    ['unsupported', 'options.caseload'],
  ]);
  // A course's changes are that course's problem: the others are priced for theirs.
  const two = ask({}, { ...course, changes: [change] }).replace('"courses":[', `"courses":[${JSON.stringify({ start: '2026-09-15', phases: [{ service: 'ukendt', months: 1 }] })},`);
  assert.deepEqual(codes(figures.evaluateJson(two)), [
    ['unsupported', 'courses[1].changes'],
    ['unknown_reference', 'courses[0].phases[0].service'],
  ]);
});

// Last: it replaces the first module above.
test('takst.js: a running module is kept when it answers what is asked for; a larger one replaces a smaller one', async () => {
  assert.equal(takstJs.moduleKind(), 'figures');
  const offer = '{"version": 1, "offer": {"name": "x"}}';
  assert.equal(JSON.parse(takstJs.evaluateJson(offer)).errors[0].code, 'unsupported');
  await takstJs.initFigures(bytes('takst_tal_bg.wasm')); // already running: kept
  assert.equal(takstJs.moduleKind(), 'figures');
  // The first module given to initCalculator() starts, but initCalculator() says it is not enough.
  await assert.rejects(takstJs.initCalculator(bytes('takst_tal_bg.wasm')), {
    code: 'load_failed',
    message: /first module .*takst_beregner_bg\.wasm/,
  });
  assert.equal(takstJs.moduleKind(), 'figures');
  await takstJs.initCalculator(bytes('takst_beregner_bg.wasm'));
  assert.equal(takstJs.moduleKind(), 'calculator');
  const explained = '{"version": 1, "catalogue": null, "options": {"explain": true}}';
  assert.equal(takstJs.evaluateJson(explained), full.evaluateJson(explained));
  await takstJs.initFigures(bytes('takst_tal_bg.wasm')); // the calculator's answers the first's too
  await takstJs.initCalculator(bytes('takst_beregner_bg.wasm')); // already running: kept
  assert.equal(takstJs.moduleKind(), 'calculator');
  // The calculator's module given to init() starts, but init() says it is not the full one.
  await assert.rejects(takstJs.init(bytes('takst_beregner_bg.wasm')), { code: 'load_failed', message: /calculator's/ });
  assert.equal(takstJs.moduleKind(), 'calculator');
  await takstJs.init(bytes('takst_wasm_bg.wasm'));
  assert.equal(takstJs.moduleKind(), 'full');
  assert.equal(takstJs.evaluateJson(offer), full.evaluateJson(offer));
  await takstJs.initCalculator(bytes('takst_beregner_bg.wasm')); // the full module answers the calculator too
  await takstJs.initFigures(bytes('takst_tal_bg.wasm'));
  assert.equal(takstJs.moduleKind(), 'full');
});
