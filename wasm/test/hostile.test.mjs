// Hostile input through the built modules (the full one and the calculator's two). On wasm32 a
// panic aborts the instance, so the core's promise never to panic is what keeps a page alive:
// every answer here must be a well-formed response, never a throw, and never the `internal`
// error that marks a bug.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { takst, cases, rawMember, ROOT, DIST } from './helpers.mjs';

// The calculator's modules (what <takst-beregner> runs on a municipality's page) in their own
// copies of the glue: every hostile text goes through them too, and where they accept the
// request they must answer the very bytes of the full module. The first module answers no
// request for the explanation, which the hostile requests ask for: each is asked once more
// without it, by all three.
const calculator = await import(`${path.join(DIST, 'takst_wasm.js')}?calculator`);
calculator.initSync({ module: fs.readFileSync(path.join(DIST, 'takst_beregner_bg.wasm')) });
const figures = await import(`${path.join(DIST, 'takst_wasm.js')}?figures`);
figures.initSync({ module: fs.readFileSync(path.join(DIST, 'takst_tal_bg.wasm')) });

const SHEET = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/published/elbaek.json'), 'utf8'));

function check(text, label) {
  let out;
  assert.doesNotThrow(() => {
    out = takst.evaluateJson(text);
  }, label);
  const r = JSON.parse(out);
  assert.equal(typeof r.ok, 'boolean', label);
  assert.ok(!(r.errors || []).some((e) => e.code === 'internal'), `internal error for ${label}: ${out.slice(0, 300)}`);
  assert.ok(takst.isReady(), 'the instance is alive');
  if (!text.isWellFormed()) {
    // takst.js refuses a lone surrogate before any module sees it (the glue's encoder would
    // write U+FFFD in its place).
    assert.equal(r.errors[0].code, 'invalid_value', label);
    return r;
  }
  sameWhereAccepted(calculator, 'calculator', text, out, label);
  sameWhereAccepted(figures, 'first', text, out, label);
  const lean = text.replaceAll('"explain":true', '"explain":false');
  if (lean !== text) sameWhereAccepted(figures, 'first', lean, takst.evaluateJson(lean), `${label}, without the explanation`);
  return r;
}

/** Where a calculator's module refuses what it does not compute. */
const REFUSED_AT =
  /^(offer|tariff_notice|settlement|partnership|base_funding|special_arrangements|ambulant|buyer|scenarios|einvoicing|billing|options\.caseload|options\.explain|courses\[\d+\]\.changes)$/;

/**
 * `module` answers `text` as the full module did (`out`), or refuses it: `unsupported` first,
 * at what it does not compute (a course's own problems may follow a course's changes);
 * never throws or fails.
 */
function sameWhereAccepted(module, name, text, out, label) {
  let small;
  assert.doesNotThrow(() => {
    small = module.evaluateJson(text);
  }, `${name} module: ${label}`);
  const r = JSON.parse(small);
  assert.ok(!(r.errors || []).some((e) => e.code === 'internal'), `internal error in the ${name} module for ${label}`);
  if (!r.errors?.some((e) => e.code === 'unsupported')) {
    assert.equal(small, out, `the ${name} module differs on ${label}`);
  } else {
    assert.equal(r.ok, false, `${name} module: ${label}`);
    assert.equal(r.errors[0].code, 'unsupported', `the ${name} module's refusal is not first on ${label}`);
    for (const e of r.errors.filter((x) => x.code === 'unsupported')) {
      assert.match(e.path, REFUSED_AT, `the ${name} module refuses ${e.path} on ${label}`);
    }
  }
}

const sheetWith = (change) => {
  const s = structuredClone(SHEET);
  change(s);
  return s;
};
const course = (phases, start = '2026-01-01') => ({ start, phases });
const request = (catalogue, courses, extra = {}) =>
  JSON.stringify({ version: 1, catalogue, courses, ...extra, options: { explain: true } });

const HOSTILE_SHEETS = {
  'absurd tariff': sheetWith((s) => (s.services[0].tariff.day = '79228162514264337593543950335')),
  'tiny tariff': sheetWith((s) => (s.services[0].tariff.day = '0.0000000000000000000000000001')),
  'negative tariff': sheetWith((s) => (s.services[0].tariff.day = '-1')),
  'number tariff 1e300': sheetWith((s) => (s.services[0].tariff.day = 1e300)),
  'html in names': sheetWith((s) => {
    s.offer.name = '<img src=x onerror=alert(1)>';
    s.services[0].name = '<script>alert(1)</script>';
  }),
  'unknown part-time service': sheetWith((s) => (s.part_time = [{ of: 'nope', days_per_week: 2, pct: '60', day: '1' }])),
  'duplicate service ids': sheetWith((s) => s.services.push(structuredClone(s.services[0]))),
  'no services': sheetWith((s) => (s.services = [])),
  'no average': sheetWith((s) => delete s.average),
  'absurd add-on price': sheetWith((s) => (s.add_ons[0].price = '79228162514264337593543950335')),
  'day basis 0': sheetWith((s) => (s.day_basis = 0)),
  'year 9999': sheetWith((s) => (s.offer.year = 9999)),
  'year -1': sheetWith((s) => (s.offer.year = -1)),
  'many services': sheetWith((s) => {
    s.services = Array.from({ length: 5000 }, (_, k) => ({ ...structuredClone(SHEET.services[0]), id: `s${k}` }));
  }),
};

test('hostile tariff sheets with ordinary and hostile courses', () => {
  const courses = [
    course([{ service: 'udredning', months: 5 }, { service: 'udvikling', months: 8 }]),
    course([{ service: 'udredning', days: 2932896 }]),
    course([{ service: 'udredning', months: 1e300 }]),
    course([{ service: 'udredning', until: '9999-12-31' }], '-9999-01-01'),
    course([{ service: 'udredning', months: 3, add_ons: [{ id: 'ekstra_timer', quantity_per_month: '79228162514264337593543950335' }] }]),
    course([{ service: 'nope', months: 3 }]),
  ];
  for (const [name, sheet] of Object.entries(HOSTILE_SHEETS)) {
    for (const [k, c] of courses.entries()) check(request(sheet, [c]), `${name} / course ${k}`);
  }
});

test('text that is not a request', () => {
  const texts = [
    '',
    ' ',
    '\u0000',
    '\ud800',
    '{"version": 1, "catalogue": "\ud800"}',
    '['.repeat(100000),
    '{"a":'.repeat(50000),
    '"' + 'x'.repeat(1 << 20),
    '{"version": 1e400}',
    '{"version": 1, "catalogue": {"format": "takst/tariff-sheet", "version": 1}, "courses": [' + '{},'.repeat(20000) + '{}]}',
    '{"version": -0}',
    '{"version": 1}'.padEnd(17 << 20, ' '),
    '\ufeff{"version": 1}',
  ];
  for (const t of texts) check(t, JSON.stringify(t.slice(0, 40)));
});

test('a lone surrogate is refused where it is, never replaced by U+FFFD', () => {
  const sheet = JSON.stringify(SHEET);
  for (const [text, lone] of [
    [`{"version": 1, "catalogue": ${sheet}, "courses": [{"id": "a\uD800b", "start": "2026-01-01", "phases": [{"service": "udredning", "months": 1}]}]}`, '\uD800'],
    ['{"version": 1, "x": "\uDC00"}', '\uDC00'],
  ]) {
    const r = JSON.parse(takst.evaluateJson(text));
    assert.equal(r.ok, false);
    assert.equal(r.errors[0].code, 'invalid_value');
    assert.equal(r.errors[0].path, '');
    assert.match(r.errors[0].message, new RegExp(`lone surrogate at character ${text.indexOf(lone)},`));
    assert.ok(takst.isReady(), 'the instance keeps running');
  }
  // In an object (evaluate, priceCourses): at the string's own path, or its object's for a key,
  // as Python reports it.
  const obj = takst.evaluate({ version: 1, catalogue: SHEET, courses: [{ id: 'a\uD800b', start: '2026-01-01', phases: [{ service: 'udredning', months: 1 }] }] });
  assert.deepEqual(obj.errors.map((e) => [e.code, e.path]), [['invalid_value', 'courses[0].id']]);
  const key = takst.priceCourses({ sheet: SHEET, courses: [{ start: '2026-01-01', phases: [{ service: 'udredning', months: 1, ['x\uDC00']: 1 }] }] });
  assert.deepEqual(key.errors.map((e) => [e.code, e.path]), [['invalid_value', 'courses[0].phases[0]']]);
  // Positions count characters (code points), as Python counts them: an emoji before it is one.
  assert.match(JSON.parse(takst.evaluateJson('{"x":"\uD83D\uDE00\uD800"}')).errors[0].message, /at character 7,/);
  // A surrogate pair is a character: priced, and the id comes back as given.
  const pair = `{"version": 1, "catalogue": ${sheet}, "courses": [{"id": "a\uD83D\uDE00b", "start": "2026-01-01", "phases": [{"service": "udredning", "months": 1}]}]}`;
  const r = JSON.parse(takst.evaluateJson(pair));
  assert.equal(r.ok, true);
  assert.equal(r.courses[0].id, 'a\uD83D\uDE00b');
});

test('a malformed JSON number is a syntax error with its line and column', () => {
  for (const [text, column] of [['{"version": 1e}', 15], ['{"version": 01}', 14], ['{"version": -}', 14]]) {
    const out = JSON.parse(takst.evaluateJson(text));
    assert.equal(out.errors[0].code, 'syntax', text);
    assert.deepEqual([out.errors[0].line, out.errors[0].column], [1, column], text);
  }
});

test('the longest course the core prices (1900–2200) is answered in bounded time', () => {
  const t0 = performance.now();
  const r = check(request(SHEET, [course([{ service: 'udredning', until: '2200-12-31' }], '1900-01-01')]), 'three centuries');
  assert.equal(r.ok, true);
  assert.ok(performance.now() - t0 < 10000);
  const beyond = check(request(SHEET, [course([{ service: 'udredning', until: '2526-01-01' }])]), 'beyond 2200');
  assert.equal(beyond.errors[0].code, 'out_of_range');
});

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WILD = [
  '', '0', '-1', '1e300', '-0', '79228162514264337593543950336', '0.0000000000000000000000000001',
  '2026-02-30', '9999-12-31', '-9999-01-01', 'average', '<b>x</b>', '\u0000', 'é'.repeat(100),
];
const WILD_VALUES = [null, true, 0, -1, 1.5, 4294967296, 1e300, [], {}, [[[]]], { a: 1 }];

function mutate(value, random, depth = 0) {
  if (Array.isArray(value)) {
    const copy = value.map((v) => mutate(v, random, depth + 1));
    const r = random();
    if (r < 0.05 && copy.length) copy.splice(Math.floor(random() * copy.length), 1);
    else if (r < 0.1 && copy.length) copy.push(structuredClone(copy[Math.floor(random() * copy.length)]));
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy = {};
    for (const [k, v] of Object.entries(value)) {
      const r = random();
      if (r < 0.03) continue; // drop the key
      copy[r < 0.05 ? k + 'x' : k] = mutate(v, random, depth + 1);
    }
    return copy;
  }
  const r = random();
  if (r < 0.06) return WILD[Math.floor(random() * WILD.length)];
  if (r < 0.1) return WILD_VALUES[Math.floor(random() * WILD_VALUES.length)];
  return value;
}

test('mutated conformance requests: 3,000 of them, all answered without an internal error', () => {
  const random = rng(0x7a45);
  const requests = cases.map((c) => JSON.parse(rawMember(fs.readFileSync(c.file, 'utf8'), 'request')));
  let answered = 0;
  for (let k = 0; k < 3000; k++) {
    const base = requests[k % requests.length];
    const text = JSON.stringify(mutate(base, random));
    const cut = random() < 0.1 ? text.slice(0, Math.floor(random() * text.length)) : text;
    check(cut, `mutation ${k}`);
    answered++;
  }
  assert.equal(answered, 3000);
});
