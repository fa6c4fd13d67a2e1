// takst in JavaScript: the WebAssembly core behind a small ES module.
//
//   import { init, evaluate } from './takst.js';
//   await init();                       // fetches takst_wasm_bg.wasm beside this file
//   const response = evaluate({ version: 1, catalogue: sheet, courses: [...] });
//
// The module only converts. A request goes to the core as JSON text (an object is written
// with JSON.stringify first), and the core's JSON text comes back parsed: every amount in a
// response is a decimal *string* ("1655684.36"), never a JS number. Problems with a request
// are in the response (`ok: false`, `errors: [{ code, path, message, message_da }]`), never
// thrown; `message_da` is the message in Danish.

import * as firstGlue from './takst_wasm.js';

// Three modules share this glue (they export the same functions), each answering what the
// one before it answers, byte for byte, and more:
// - 'figures', takst_tal_bg.wasm: the core without its provider sections (an offer's cost
//   base, the notice, settlement, financing, scenarios), without the explanation and without
//   billing (a `billing` section, a course's changes, the caseload): it prices courses from
//   catalogues as planned, and answers `unsupported` to the rest and to a request that asks
//   for the explanation. The calculator element starts it (`initFigures`) for its first
//   result.
// - 'calculator', takst_beregner_bg.wasm: the same with the explanation (`initCalculator`),
//   which the element starts when an explanation is asked for.
// - 'full', takst_wasm_bg.wasm: every request but e-invoices (`init`).
// Starting a larger module replaces a smaller one that is running, so a page that also calls
// takst itself gets every section.
let glue = firstGlue;
const compiled = {}; // the compiled WebAssembly.Module of each kind, kept to start a fresh instance
let state = 'new'; // 'new' | 'ready' | 'broken'
let running = null; // the kind of the running module: 'full' | 'calculator' | 'figures'
let loading = Promise.resolve(); // starts run one after another
let instances = 0;

const FILES = {
  full: './takst_wasm_bg.wasm',
  calculator: './takst_beregner_bg.wasm',
  figures: './takst_tal_bg.wasm',
};
/** What each module answers, in order: a module answers what every module before it does. */
const RANK = { figures: 0, calculator: 1, full: 2 };
/** Where each start is asked for, and what it needs, for the error when a smaller module is given. */
const WANTED = {
  full: ['init()', 'the full module, takst_wasm_bg.wasm'],
  calculator: ['initCalculator()', "the calculator's module, takst_beregner_bg.wasm (or the full one)"],
};
const GIVEN = {
  calculator: "the calculator's (takst_beregner_bg.wasm), which answers catalogues and courses only",
  figures:
    "the calculator's first module (takst_tal_bg.wasm), which answers catalogues and courses without the explanation, billing conventions, changes or caseload",
};

/** An error in the use of this module (not a problem with a request): it has `code`, `path`, `message`. */
export class TakstError extends Error {
  constructor(code, message, path = '') {
    super(message);
    this.name = 'TakstError';
    this.code = code;
    this.path = path;
  }
}

function response(errors) {
  return { version: 1, ok: false, warnings: [], errors };
}

function failure(code, path, message, message_da) {
  return response([{ code, path, message, message_da }]);
}

/** A whole number in Danish notation (1.048.576). */
function daInt(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

async function compile(source, kind) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  const url = source ?? new URL(FILES[kind], import.meta.url);
  const fetched = url instanceof Response ? url : await fetch(url);
  if (!fetched.ok) {
    throw new TakstError('load_failed', `the WebAssembly module could not be fetched: HTTP ${fetched.status}`);
  }
  const wasmType = (fetched.headers.get('Content-Type') || '').split(';')[0].trim() === 'application/wasm';
  if (wasmType && typeof WebAssembly.compileStreaming === 'function') {
    return WebAssembly.compileStreaming(fetched);
  }
  // A server that does not send application/wasm: compile from the bytes (slower).
  return WebAssembly.compile(await fetched.arrayBuffer());
}

/**
 * Starts `module`: in a fresh copy of the glue when an instance ran before, which takes over
 * only once the module has started (a failed start leaves the running one as it was).
 */
async function run(module) {
  const next =
    state === 'new' ? glue : await import(new URL(`./takst_wasm.js?instance=${++instances}`, import.meta.url).href);
  next.initSync({ module });
  glue = next;
  running = glue.moduleKind();
  state = 'ready';
}

async function start(source, kind) {
  try {
    const module = compiled[kind] ?? (await compile(source, kind));
    // Another start may have finished meanwhile (initSync does not wait for this one).
    if (enough(kind)) return;
    await run(module);
    // Kept by what it is, not by what was asked for: a larger module serves the smaller kinds.
    compiled[running] = module;
  } catch (e) {
    throw e instanceof TakstError ? e : new TakstError('load_failed', `takst could not start: ${e && e.message}`);
  }
  if (!enough(kind)) {
    const [call, needed] = WANTED[kind];
    throw new TakstError('load_failed', `the module given to ${call} is ${GIVEN[running]}; give ${needed}`);
  }
}

/** True when the running module answers what a caller of this kind needs. */
function enough(kind) {
  return state === 'ready' && RANK[running] >= RANK[kind];
}

function begin(source, kind) {
  if (enough(kind)) return Promise.resolve();
  // After an internal error the instance is restarted as the module it was: the calculator's
  // restart must not take the full module (or the explanation) from a page that asked for it.
  const want = state === 'broken' && RANK[running] > RANK[kind] ? running : kind;
  const from = want === kind ? source : undefined;
  const next = loading.then(() => (enough(want) ? undefined : start(from, want)));
  loading = next.catch(() => {});
  return next;
}

/**
 * Loads and starts the full WebAssembly module. `source` is the `.wasm` file's URL (default:
 * takst_wasm_bg.wasm beside this module), a fetch `Response`, its bytes, or a compiled
 * `WebAssembly.Module`. Safe to call more than once; after the core has failed (`internal`),
 * it starts a fresh instance. If the calculator's module is running, the full one replaces it.
 */
export function init(source) {
  return begin(source, 'full');
}

/**
 * Loads and starts the calculator's module (what `<takst-beregner>` uses for an explanation):
 * takst_beregner_bg.wasm beside this module unless `source` says otherwise. It answers
 * catalogues and courses exactly as the full module does, and `unsupported` to a request with
 * an offer, a tariff notice, a settlement, financing or scenarios. If it or the full module
 * is running already, that one is kept; the first module (`initFigures`) it replaces.
 */
export function initCalculator(source) {
  return begin(source, 'calculator');
}

/**
 * Loads and starts the calculator's first module (what `<takst-beregner>` starts with, for its
 * first result): takst_tal_bg.wasm beside this module unless `source` says otherwise. It
 * answers catalogues and courses without the explanation exactly as the other modules do, and
 * `unsupported` to a request that asks for the explanation (`options.explain`, true by
 * default) or has a provider section, a `billing` section, a course's `changes` or
 * `options.caseload: true` (none of which the calculator sends). If any module is running
 * already, that one is kept.
 */
export function initFigures(source) {
  return begin(source, 'figures');
}

/**
 * Starts a module synchronously from its bytes or a compiled module (Node, workers): any of
 * the three. Only when none is running: it keeps a running module (to replace a smaller one
 * with a larger one, use `init` or `initCalculator`).
 */
export function initSync(bytesOrModule) {
  if (state === 'ready') return;
  if (state === 'broken') throw new TakstError('not_loaded', 'after an internal error, restart takst with init()');
  const module = bytesOrModule instanceof WebAssembly.Module ? bytesOrModule : new WebAssembly.Module(bytesOrModule);
  glue.initSync({ module });
  running = glue.moduleKind();
  compiled[running] = module;
  state = 'ready';
}

/**
 * Which module is running: 'full', 'calculator', 'figures' (the calculator's first module), or
 * null when none is (not started yet, or stopped by an internal error).
 */
export function moduleKind() {
  return state === 'ready' ? running : null;
}

/** True once `init` has finished and the core is usable. */
export function isReady() {
  return state === 'ready';
}

/** The version of the takst core in the module. */
export function coreVersion() {
  if (state !== 'ready') throw new TakstError('not_loaded', 'call init() before using takst');
  return glue.coreVersion();
}

/**
 * The core's own answer: a JSON request in, the response's compact JSON text out, byte for
 * byte what Rust's `takst::evaluate_json` returns.
 */
export function evaluateJson(text) {
  if (state !== 'ready') {
    if (state === 'broken') {
      return JSON.stringify(
        failure(
          'internal',
          '',
          'takst stopped after an internal error; call init() to restart it',
          'Beregningen er stoppet efter en intern fejl; kald init() for at starte den igen.',
        ),
      );
    }
    throw new TakstError('not_loaded', 'call init() (or initSync()) before evaluate');
  }
  if (typeof text !== 'string') {
    return JSON.stringify(
      failure('invalid_type', '', 'the request must be JSON text', 'Forespørgslen skal være JSON-tekst.'),
    );
  }
  // A JS string may hold a lone surrogate, which is no character and has no UTF-8 form: the
  // glue's encoder would write U+FFFD in its place, silently. Refused where it is, as the
  // Python package refuses the same text.
  const lone = loneSurrogate(text);
  if (lone >= 0) {
    return JSON.stringify(
      failure(
        'invalid_value',
        '',
        `the request text has a lone surrogate at character ${lone}, which is not a character and cannot be written as UTF-8`,
        `Forespørgslens tekst har et enligt surrogat ved tegn ${lone}; det er ikke et tegn og kan ikke skrives som UTF-8.`,
      ),
    );
  }
  try {
    return glue.evaluateJson(text);
  } catch (e) {
    // A response longer than a JS string can be is answered by the module itself with
    // `limit_exceeded` (over 512 MiB, V8's limit). Should an engine's limit be shorter still,
    // its decoder fails in the glue after the core answered and its memory was freed: the
    // instance is sound, so it keeps running. (A trap is a WebAssembly.RuntimeError, a stack
    // overflow a RangeError of its own words: both stop it.)
    if (!(e instanceof WebAssembly.RuntimeError) && /string (longer|length)/i.test(String(e && e.message))) {
      return JSON.stringify(
        failure(
          'limit_exceeded',
          '',
          `the response is longer than this JavaScript engine's longest string (${e.message}); ask for fewer courses at a time, or without the explanation`,
          'Svaret er længere end den længste tekst, browseren kan rumme; beregn færre forløb ad gangen eller uden forklaringen.',
        ),
      );
    }
    // The core promises never to panic; if it ever did, wasm32 aborts the instance (a trap).
    // The page goes on: the caller gets an `internal` error, and init() starts a new instance.
    state = 'broken';
    return JSON.stringify(
      failure(
        'internal',
        '',
        `takst failed unexpectedly (${e && e.message}); please report this request`,
        'Beregningen fejlede uventet (en fejl i takst); indberet venligst denne forespørgsel.',
      ),
    );
  }
}

/**
 * The position of the first lone surrogate in `text`, counted in characters (code points, as
 * Python counts them), or −1 when it is well formed.
 */
function loneSurrogate(text) {
  if (typeof text.isWellFormed === 'function' && text.isWellFormed()) return -1;
  const m = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  return m ? [...text.slice(0, m.index)].length : -1;
}

/** A string that holds a lone surrogate, at its path: the problem Python reports for it. */
function notText(path) {
  return {
    code: 'invalid_value',
    path,
    message: `${path || 'value'}: the string contains a lone surrogate (such as \\ud800), which is not text and cannot be written as UTF-8`,
    message_da: `${path || 'Værdien'}: teksten indeholder et enligt surrogat (fx \\ud800), som ikke er tekst og ikke kan skrives som UTF-8.`,
  };
}

/**
 * Where `value` holds a JS number that cannot carry an exact amount (not a safe integer):
 * binary floating point cannot hold 0.1 kr, so such numbers are refused, as the Python
 * package refuses floats. Whole numbers (years, months, days) are fine.
 */
function inexactNumbers(value, path, out, open = new Set()) {
  // One beyond the listed, to know whether the list is cut.
  if (out.length > MAX_INEXACT) return out;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      out.push({
        code: 'invalid_type',
        path,
        message: `the JS number ${value} cannot carry an exact decimal; give it as a string (e.g. "97.5")`,
        message_da: `JS-tallet \`${value}\` kan ikke gengive et decimaltal præcist; angiv det som tekst (fx "97.5").`,
      });
    }
  } else if (typeof value === 'string') {
    if (loneSurrogate(value) >= 0) out.push(notText(path));
  } else if (typeof value === 'bigint') {
    out.push({
      code: 'invalid_type',
      path,
      message: 'a BigInt cannot be written as JSON; give it as a string',
      message_da: 'Et BigInt kan ikke skrives som JSON; angiv det som tekst.',
    });
  } else if (value !== null && typeof value === 'object') {
    if (open.has(value)) {
      out.push({
        code: 'invalid_type',
        path,
        message: 'the request refers to itself (a cycle) and cannot be written as JSON',
        message_da: 'Forespørgslen henviser til sig selv (en cyklus) og kan ikke skrives som JSON.',
      });
      return out;
    }
    open.add(value);
    if (Array.isArray(value)) value.forEach((v, i) => inexactNumbers(v, `${path}[${i}]`, out, open));
    else {
      for (const [k, v] of Object.entries(value)) {
        // A key that is not text is reported at its object, as Python reports it.
        if (loneSurrogate(k) >= 0) out.push(notText(path));
        else inexactNumbers(v, path ? `${path}.${k}` : k, out, open);
      }
    }
    open.delete(value);
  }
  return out;
}

/** The most values `requestText` lists as unable to be sent (then a note that it cut the list). */
const MAX_INEXACT = 100;

/** A request object as JSON text, or the response that says why it cannot be one. */
function requestText(request) {
  if (typeof request === 'string') return { text: request };
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    return {
      failed: failure(
        'invalid_type',
        '',
        'the request must be JSON text or an object',
        'Forespørgslen skal være JSON-tekst eller et objekt.',
      ),
    };
  }
  const inexact = inexactNumbers(request, '', []);
  if (inexact.length > MAX_INEXACT) {
    // Cut, and said to be: a cut list is never taken for every problem (as the core says so).
    inexact.length = MAX_INEXACT;
    inexact.push({
      code: 'limit_exceeded',
      path: '',
      message: `the request has more than ${MAX_INEXACT} values that cannot be sent as exact JSON; the first ${MAX_INEXACT} are listed`,
      message_da: `Forespørgslen har mere end ${MAX_INEXACT} værdier, der ikke kan sendes som præcis JSON; de første ${MAX_INEXACT} er listet.`,
    });
  }
  if (inexact.length > 0) return { failed: response(inexact) };
  try {
    return { text: JSON.stringify(request) };
  } catch (e) {
    return {
      failed: failure(
        'invalid_type',
        '',
        `the request cannot be written as JSON: ${e && e.message}`,
        'Forespørgslen kan ikke skrives som JSON.',
      ),
    };
  }
}

/**
 * Evaluates a request (JSON text, or an object) and returns the response object: the same
 * response as Rust and Python. Amounts in it are decimal strings. A request that cannot be
 * computed gives `ok: false` and `errors`; nothing is thrown for bad input.
 */
export function evaluate(request) {
  const { text, failed } = requestText(request);
  if (failed) return failed;
  return JSON.parse(evaluateJson(text));
}

/** Paths relative to the sheet: "catalogue.services[0].id" → "services[0].id". */
function relative(problems) {
  return (problems || []).map((p) => ({
    ...p,
    path: p.path === 'catalogue' ? '' : p.path.startsWith('catalogue.') ? p.path.slice(10) : p.path,
  }));
}

/** True when `text` is exactly one well-formed JSON value (so it can stand inside a request). */
function isOneJsonValue(text) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a published tariff sheet (takstblad): its JSON text (or an object). Returns
 * `{ ok, sheet, warnings, errors }`, where `sheet` is the sheet as the core read it (amounts
 * as strings) and the paths of problems are relative to the sheet (`services[0].tariff.day`).
 * A file that is not JSON gives one `syntax` error with its `line` and `column`.
 */
export function readSheet(sheet) {
  let text;
  if (typeof sheet === 'string') {
    text = sheet;
    if (!isOneJsonValue(text)) {
      // The core reports where the text stops being JSON, before reading anything else.
      const r = JSON.parse(evaluateJson(text));
      const errors =
        r.errors && r.errors.length
          ? r.errors
          : [{ code: 'syntax', path: '', message: 'not JSON', message_da: 'Teksten er ikke gyldig JSON.' }];
      return { ok: false, warnings: [], errors: relative(errors) };
    }
  } else {
    const r = requestText(sheet);
    if (r.failed) return { ok: false, warnings: [], errors: r.failed.errors };
    text = r.text;
  }
  const r = JSON.parse(evaluateJson(`{"version":1,"catalogue":${text},"options":{"explain":false}}`));
  if (!r.ok) return { ok: false, warnings: relative(r.warnings), errors: relative(r.errors) };
  return { ok: true, sheet: r.tariff_sheet, warnings: relative(r.warnings), errors: [] };
}

/** The most sheets (offers) one file may list. */
const MAX_SHEETS = 1000;

/** The raw texts of the items of a JSON array, from text already known to be one JSON value. */
function arrayItems(text) {
  const items = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      if (depth === 1 && start < 0) start = i; // an item that is a string
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '[' || c === '{') {
      depth++;
      if (depth === 2 && start < 0) start = i;
      if (depth === 1) start = -1;
    } else if (c === ']' || c === '}') {
      if (depth === 1 && start >= 0) items.push(text.slice(start, i).trim());
      depth--;
    } else if (c === ',' && depth === 1) {
      if (start >= 0) items.push(text.slice(start, i).trim());
      start = -1;
    } else if (depth === 1 && start < 0 && !' \t\r\n'.includes(c)) {
      start = i;
    }
  }
  return items;
}

/**
 * Reads a file of tariff sheets: one sheet, or a JSON array of sheets (a provider's offers,
 * as in a request's `catalogues`). Returns one `readSheet` result per sheet; the paths of an
 * array's problems start with the sheet's index (`[1].services[0].tariff.day`). Each sheet is
 * read from its own text, so its numbers keep their text.
 */
export function readSheets(text) {
  if (typeof text !== 'string' || !text.trimStart().startsWith('[') || !isOneJsonValue(text)) {
    return [readSheet(text)];
  }
  const problem = (code, message, message_da) => [
    { ok: false, warnings: [], errors: [{ code, path: '', message, message_da }] },
  ];
  // Each sheet is read as a request of its own, so the whole file is held to the core's
  // limit on a request here.
  // (A text's UTF-8 bytes are at least its UTF-16 length.)
  const limit = glue.requestLimitBytes();
  if (text.length > limit) {
    return problem(
      'limit_exceeded',
      `the file is larger than the limit of ${limit} bytes`,
      `Filen er større end grænsen på ${daInt(limit)} byte.`,
    );
  }
  const items = arrayItems(text);
  if (items.length === 0) {
    return problem('missing_value', 'the file lists no tariff sheet', 'Filen indeholder intet takstblad.');
  }
  if (items.length > MAX_SHEETS) {
    return problem(
      'limit_exceeded',
      `the file lists ${items.length} tariff sheets; at most ${MAX_SHEETS} are read`,
      `Filen indeholder ${daInt(items.length)} takstblade; der læses højst ${daInt(MAX_SHEETS)}.`,
    );
  }
  const at = (i, list) => list.map((e) => ({ ...e, path: `[${i}]${e.path && !e.path.startsWith('[') ? '.' : ''}${e.path}` }));
  return items.map((item, i) => {
    const r = readSheet(item);
    return { ...r, warnings: at(i, r.warnings), errors: at(i, r.errors) };
  });
}

/**
 * Prices citizens' courses from a tariff sheet: builds the request
 * `{ version: 1, catalogue: sheet, index, billing, courses, options }` and evaluates it.
 * `sheet` may be the sheet's JSON text (it is inserted as it is, so its numbers keep their
 * text) or an object (e.g. `readSheet(text).sheet`).
 */
export function priceCourses({ sheet, courses, index, billing, explain = false, quotes, caseload } = {}) {
  let sheetText;
  if (typeof sheet === 'string') {
    if (!isOneJsonValue(sheet)) {
      return response(readSheet(sheet).errors.map((e) => ({ ...e, path: e.path ? `catalogue.${e.path}` : 'catalogue' })));
    }
    sheetText = sheet;
  } else {
    if (sheet === null || typeof sheet !== 'object' || Array.isArray(sheet)) {
      return failure(
        'invalid_type',
        'catalogue',
        'give the tariff sheet as JSON text or an object',
        'Angiv takstbladet som JSON-tekst eller som et objekt.',
      );
    }
    // Written as the request's `catalogue`, so that a problem in it (a number that cannot
    // carry an exact amount) is reported at its own path, as `evaluate` reports it.
    const r = requestText({ catalogue: sheet });
    if (r.failed) return r.failed;
    sheetText = r.text.slice('{"catalogue":'.length, -1);
  }
  const rest = { courses: courses ?? [], options: { explain } };
  if (index !== undefined) rest.index = index;
  if (billing !== undefined) rest.billing = billing;
  if (quotes !== undefined) rest.options.quotes = quotes;
  if (caseload !== undefined) rest.options.caseload = caseload;
  const r = requestText(rest);
  if (r.failed) return r.failed;
  return JSON.parse(evaluateJson(`{"version":1,"catalogue":${sheetText},${r.text.slice(1)}`));
}

// --- the explanation graph ------------------------------------------------------------------
// Everything that reads the explanation's JSON is below: the calculator uses `figure` and
// never looks into the graph itself, so a change of the graph's format touches only this.

// The explanation is written as a node table (format 3, docs/format.md "The explanation"):
// `kinds` holds each kind of node once, its key, label, Danish unit, path, rule and source as templates
// with positional blanks `{0}`, `{1}`, …; `texts` holds every text that fills a blank once;
// a node row is its `kind`, the `args` that fill the blanks (indices into `texts`), its
// value, inputs and rounding. Reading a node back is one generic rule: each `{n}` becomes
// `texts[args[n]]`. Which name fills which blank is decided by the core, never here.

/** The nodes read back, per explanation object (read once, when first asked for). */
const readBack = new WeakMap();

/** Every node of a response's explanation read back, in order (a node's id is its position). */
export function nodesOf(response) {
  const ex = response?.explanation;
  if (ex === null || typeof ex !== 'object') return [];
  let nodes = readBack.get(ex);
  if (!nodes) {
    nodes = Array.isArray(ex.nodes) ? ex.nodes.map((row, id) => readNode(ex, row, id)) : [];
    readBack.set(ex, nodes);
  }
  return nodes;
}

/** One row of the node table as the node it stands for. */
function readNode(ex, row, id) {
  const kind = ex.kinds?.[row.kind] ?? {};
  const args = row.args ?? [];
  // A text put into a blank is not scanned again (a replacement function, so `$` is literal).
  const fill = (t) => (typeof t === 'string' ? t.replace(/\{(\d+)\}/g, (m, n) => ex.texts?.[args[n]] ?? m) : t);
  const node = { id, key: fill(kind.key), label: fill(kind.label), value: row.value };
  if (row.value_approx !== undefined) node.value_approx = row.value_approx;
  node.unit = kind.unit;
  node.op = kind.op;
  node.unit_da = fill(kind.unit_da);
  if (kind.path !== undefined) node.path = fill(kind.path);
  node.inputs = row.inputs ?? [];
  node.rule = fill(kind.rule);
  if (kind.source !== undefined) node.source = fill(kind.source);
  if (row.rounding !== undefined) node.rounding = row.rounding;
  return node;
}

/** The explanation node with this key (e.g. "course[0].total"), or undefined. */
export function findNode(response, key) {
  return nodesOf(response).find((n) => n.key === key);
}

/** The nodes a node was computed from, in order. */
export function inputsOf(response, node) {
  const nodes = nodesOf(response);
  return (node?.inputs ?? []).map((id) => nodes[id]).filter(Boolean);
}

/** A node as the calculator shows it, with its inputs on demand. */
function view(response, node) {
  const r = node.rounding;
  const policy = (r && r.policy) || {};
  return {
    key: node.key,
    label: node.label ?? '',
    value: String(node.value ?? ''),
    approx: node.value_approx,
    unit: node.unit,
    unitDa: node.unit_da,
    rule: node.rule,
    source: node.source,
    path: node.path === undefined || node.path === null ? undefined : String(node.path),
    rounding: r
      ? { increment: policy.increment, mode: policy.mode, before: String(r.before ?? ''), beforeApprox: r.before_approx, after: r.after }
      : null,
    inputs: () => inputsOf(response, node).map((n) => view(response, n)),
  };
}

/**
 * The figure with this key in a response computed with its explanation: `{ key, label,
 * value, approx, unit, rule, source, path, rounding, inputs() }`, or undefined. `value` is
 * the exact value (a decimal string or a fraction "a/b", then `approx` is its decimal
 * approximation); `rounding` is `{ increment, mode, before, beforeApprox, after }` for a
 * rounded figure; `inputs()` gives the figures it was computed from.
 */
export function figure(response, key) {
  const node = findNode(response, key);
  return node ? view(response, node) : undefined;
}

export { danishNumber, formatKr, formatDate, formatMonth } from './format.js';
