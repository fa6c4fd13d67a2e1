// The calculator's module (takst_beregner_bg.wasm: the core without its `provider` feature)
// against the full one, in its own instance of the glue: every conformance case, example
// request and hostile sheet it accepts is answered byte for byte as the full module answers
// it, and a request with a provider section is answered `unsupported` at each such section,
// before anything else is read. Then takst.js: `initCalculator` keeps a running module,
// `init` replaces the calculator's module with the full one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cases, rawMember, DIST, ROOT } from './cases.mjs';

// Node runs each test file in a process of its own, so here takst.js starts the calculator's
// module first, as the calculator element does. The full module answers beside it from its
// own copy of the glue (a module URL with a query is a module of its own).
const bytes = (f) => fs.readFileSync(path.join(DIST, f));
const takstJs = await import(path.join(DIST, 'takst.js'));
await takstJs.initCalculator(bytes('takst_beregner_bg.wasm'));
const calculator = takstJs;
const full = await import(`${path.join(DIST, 'takst_wasm.js')}?full`);
full.initSync({ module: bytes('takst_wasm_bg.wasm') });
const takst = {
  evaluateJson: (t) => full.evaluateJson(t),
  coreVersion: () => full.coreVersion(),
  moduleKind: () => full.moduleKind(),
};

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

test('the two modules say which they are', () => {
  assert.equal(takst.moduleKind(), 'full');
  assert.equal(calculator.moduleKind(), 'calculator');
  assert.equal(calculator.coreVersion(), takst.coreVersion());
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
      }
    });
  } else {
    refused++;
    test(`${name}: the calculator module answers unsupported at ${sections.join(', ')}`, () => {
      const r = JSON.parse(calculator.evaluateJson(text));
      assert.equal(r.ok, false);
      assert.deepEqual(
        r.errors.map((e) => [e.code, e.path]),
        sections.map((s) => ['unsupported', s]),
      );
      assert.match(r.errors[0].message_da, /beregnerens browsermodul/);
    });
  }
}

test('both kinds of request are among the cases', () => {
  assert.ok(accepted >= 5, `${accepted} accepted`);
  assert.ok(refused >= 5, `${refused} refused`);
});

test('a provider section is refused before its fields are read; null and [] give none, as in the full module', () => {
  const r = JSON.parse(
    calculator.evaluateJson('{"version": 1, "settlement": {"nmae": 1}, "scenarios": null, "special_arrangements": []}'),
  );
  assert.deepEqual(
    r.errors.map((e) => [e.code, e.path]),
    [
      ['unsupported', 'settlement'],
      ['unsupported', 'scenarios'],
    ],
  );
  const none = '{"version": 1, "offer": null, "buyer": null, "scenarios": [], "special_arrangements": []}';
  assert.equal(calculator.evaluateJson(none), takst.evaluateJson(none));
  // Syntax and version come first, as in the full module.
  for (const text of ['{"version": 1, "offer": ', '{"version": 2, "offer": {}}', '[]']) {
    assert.equal(calculator.evaluateJson(text), takst.evaluateJson(text), text);
  }
});

test('bad catalogues and courses: the same errors from both modules', () => {
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
      const text = JSON.stringify({
        version: 1,
        catalogue,
        courses: c,
        options: { explain: true },
      });
      assert.equal(calculator.evaluateJson(text), takst.evaluateJson(text));
    }
  }
});

// Last: it replaces the calculator's module above.
test('takst.js: initCalculator keeps a running module; init replaces the calculator module with the full one', async () => {
  assert.equal(takstJs.moduleKind(), 'calculator');
  const offer = '{"version": 1, "offer": {"name": "x"}}';
  assert.equal(JSON.parse(takstJs.evaluateJson(offer)).errors[0].code, 'unsupported');
  await takstJs.initCalculator(bytes('takst_beregner_bg.wasm')); // already running: kept
  assert.equal(takstJs.moduleKind(), 'calculator');
  // The calculator's module given to init() starts, but init() says it is not the full one.
  await assert.rejects(takstJs.init(bytes('takst_beregner_bg.wasm')), { code: 'load_failed', message: /calculator's/ });
  assert.equal(takstJs.moduleKind(), 'calculator');
  await takstJs.init(bytes('takst_wasm_bg.wasm'));
  assert.equal(takstJs.moduleKind(), 'full');
  assert.equal(takstJs.evaluateJson(offer), full.evaluateJson(offer));
  await takstJs.initCalculator(bytes('takst_beregner_bg.wasm')); // the full module answers the calculator too
  assert.equal(takstJs.moduleKind(), 'full');
});
