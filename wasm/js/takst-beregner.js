// <takst-beregner src="takster.json">: a course price calculator for a municipality's page.
//
// It fetches a provider's published tariff sheet (the `src` attribute), lets the user build a
// citizen's course from the sheet's services (phases with durations, a start date, add-ons,
// a price and wage index), and shows what the takst core computes: the total, the monthly
// payments (table and SVG chart), the comparison with the flat average tariff and, for any
// figure, why it costs what it does (the explanation graph). A second plan can be priced
// beside the first (plan A and plan B, month by month); the course can be printed as a quote,
// kept as a link or a small file, and exported as CSV.
//
// Everything runs in the browser. The element holds no pricing rule: it builds a request,
// calls takst's `evaluate`, and shows the response. Every string from the tariff file or
// from an error message is put into the page as text (textContent, createTextNode), never
// as HTML. No inline script or style: styles are a constructed stylesheet.

import { initFigures, initCalculator, isReady, moduleKind, readSheets, evaluateJson, coreVersion } from './takst.js';
import {
  danishNumber,
  danishDates,
  formatKr,
  formatDate,
  formatMonth,
  monthShort,
  perMilleOf,
  toHundredths,
  sentence,
  signOf,
  subtractDecimal,
  readWhole,
  readDecimal,
  days as dayCount,
  planDifference,
  FRAGMENT_KEY,
} from './format.js';
import { danish, fieldMessage } from './messages.js';
import { css } from './beregner-css.js';

let styles = null;
function stylesheet() {
  if (styles === null) {
    styles = new CSSStyleSheet();
    styles.replaceSync(css);
  }
  return styles;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An element with attributes and children (strings become text nodes; nothing is parsed as HTML). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const k in attrs) {
    const v = attrs[k];
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Makes `nodes` (nulls skipped) the children of `parent`, in order, touching only what differs:
 * a node already in its place stays where it is, a child that is not wanted goes, and a new
 * node goes in where it belongs (a recompute that keeps most of the result moves little of
 * the page; moving a kept node costs as much as inserting a new one). */
function setChildren(parent, nodes) {
  const wanted = new Set(nodes);
  let cur = parent.firstChild;
  for (const n of nodes) {
    if (n === null || n === undefined || n === false) continue;
    while (cur && cur !== n && !wanted.has(cur)) {
      const next = cur.nextSibling;
      cur.remove();
      cur = next;
    }
    if (n === cur) cur = cur.nextSibling;
    else parent.insertBefore(n, cur);
  }
  while (cur) {
    const next = cur.nextSibling;
    cur.remove();
    cur = next;
  }
  return parent;
}

/**
 * The month tables: the course's (with the flat average tariff's columns when the response
 * compares) and plan A beside plan B. `columns` are the figures' headings; `why` gives a
 * month's "Hvorfor?" key and the button's label.
 */
const COURSE_MONTHS = {
  title: 'Månedlige betalinger',
  caption: 'Betaling pr. måned',
  why: (month, name) => [`course[0].month.${month}`, name],
};
const MONTH_TABLES = {
  plain: { ...COURSE_MONTHS, columns: ['Forløb'] },
  flat: { ...COURSE_MONTHS, columns: ['Forløb', 'Gennemsnitstakst', 'Forskel'] },
  // With add-ons, the comparison weighs the service lines (add-ons are billed alike either
  // way): their own column, so that each row's difference is what it shows.
  flatAddOns: { ...COURSE_MONTHS, columns: ['Forløb', 'Heraf ydelser', 'Gennemsnitstakst', 'Forskel (ydelser)'] },
  ab: {
    title: 'Månedlige betalinger, plan A og plan B',
    caption: 'Betaling pr. måned: plan A, plan B og forskellen (B − A)',
    columns: ['Plan A', 'Plan B', 'Forskel (B − A)'],
    why: (month, name) => [`plan-forskel.month.${month}`, `${name}, plan A, plan B og forskellen`],
  },
};

/** The text `setText` last gave each element (only it writes those elements' texts). */
const givenTexts = new WeakMap();

/** Sets an element's text if it differs from the one `setText` last gave it (a kept element
 * with the same text is left alone): in its one text node when it has one, else as its
 * `textContent`. Reading `textContent` back to compare built a new string each time, and
 * setting it replaced the text node: together 7 % of a recompute in the profile. */
function setText(el, text) {
  if (givenTexts.get(el) === text) return el;
  const node = el.firstChild;
  if (node !== null && node === el.lastChild && node.nodeType === Node.TEXT_NODE) node.data = text;
  else el.textContent = text;
  givenTexts.set(el, text);
  return el;
}

/** The attribute values `setAttr` last gave each element, by name. */
const givenAttrs = new WeakMap();

/** Sets an attribute if it differs from the value `setAttr` last gave it (only it writes those
 * attributes): the chart's labels keep their places from one recompute to the next, and
 * setting an attribute to its own value still costs the browser its work. */
function setAttr(el, name, value) {
  let given = givenAttrs.get(el);
  if (given === undefined) givenAttrs.set(el, (given = {}));
  if (given[name] === value) return el;
  el.setAttribute(name, value);
  given[name] = value;
  return el;
}

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const k in attrs) el.setAttribute(k, String(attrs[k]));
  return append(el, children);
}

/** A request value that is written into the JSON text as it is (a number's own text). */
class Raw {
  constructor(text) {
    this.text = text;
  }
}

/** An error at a form field whose text the page cannot read as a number (`readWhole`,
 * `readDecimal`): in the shape of the core's errors, with the field's Danish message. */
function unreadable(path, message_da) {
  return { code: 'invalid_number', path, message: 'the number typed cannot be read (Danish notation: 1.500,5)', message_da };
}

function toJson(value) {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const parts = [];
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) parts.push(`${JSON.stringify(k)}:${toJson(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value);
}

const ADD_ON_UNITS = { hour: 'time', km: 'km', day: 'dag' };
const ADD_ON_UNITS_PLURAL = { hour: 'timer', km: 'km', day: 'dage' };

/** Whether a quote's total has more than its service lines (the comparison weighs those). */
function hasAddOns(q) {
  return Boolean(q.comparison) && signOf(subtractDecimal(q.total, q.comparison.course)) !== 0;
}

/** A line's rate as it is billed: the day tariff, the month tariff, or quantity × price. */
function lineRate(l) {
  if (l.tariff === undefined) return '';
  if (l.basis === 'full_month') return `hel måned, ${formatKr(l.tariff)}`;
  if (l.basis === 'per_unit' && l.quantity_per_month !== undefined) {
    const one = signOf(subtractDecimal(l.quantity_per_month, '1')) === 0;
    const unit = (one ? ADD_ON_UNITS : ADD_ON_UNITS_PLURAL)[l.unit] ?? l.unit ?? '';
    return `${danishNumber(String(l.quantity_per_month))} ${unit} pr. md. × ${formatKr(l.tariff)}`;
  }
  return formatKr(l.tariff);
}
const UNIT_WORDS = { months: ['måned', 'måneder'], days: ['dag', 'dage'] };
export const PLAN_NAMES = ['Plan A', 'Plan B'];

/** Whether a URL fragment is the calculator's permalink ("#takst=…"). */
const isLink = (hash) => String(hash || '').replace(/^#/, '').startsWith(FRAGMENT_KEY);

/** Said when beregner-mere.js cannot be fetched (the network, or a file missing on the site). */
const LOAD_FAILED = 'Det kunne ikke lade sig gøre: en del af beregneren kunne ikke hentes. Prøv igen, eller genindlæs siden.';
/** The prefix of a plan's field keys and ids: plan A "p0.duration", plan B "b0.duration". */
const PREFIX = ['p', 'b'];

/** The field a problem's path belongs to: `{ key, kind, plan, phase }`. */
function fieldOf(path) {
  let m;
  if (path === 'catalogue' || path.startsWith('catalogue.') || path.startsWith('catalogue[')) return { key: 'file', kind: 'file' };
  if ((m = /^courses\[(\d+)\]/.exec(path))) {
    const plan = Number(m[1]);
    const x = PREFIX[plan] ?? 'p';
    const rest = path.slice(m[0].length);
    if (/^\.start/.test(rest)) return { key: 'start', kind: 'start' };
    if ((m = /^\.phases\[(\d+)\]\.add_ons\[(\d+)\]\.id/.exec(rest))) return { key: `${x}${m[1]}.a${m[2]}.id`, kind: 'id', plan, phase: Number(m[1]) };
    if ((m = /^\.phases\[(\d+)\]\.add_ons\[(\d+)\]/.exec(rest))) return { key: `${x}${m[1]}.a${m[2]}.qty`, kind: 'qty', plan, phase: Number(m[1]) };
    if ((m = /^\.phases\[(\d+)\]\.(service|package)/.exec(rest))) return { key: `${x}${m[1]}.service`, kind: 'service', plan, phase: Number(m[1]) };
    if ((m = /^\.phases\[(\d+)\]/.exec(rest))) return { key: `${x}${m[1]}.duration`, kind: 'duration', plan, phase: Number(m[1]) };
    if (/^\.phases$/.test(rest)) return { key: `${x}phases`, kind: 'phases', plan };
  }
  if (path.startsWith('index')) return { key: 'pl', kind: 'pl' };
  return { key: 'general', kind: 'general' };
}

function isoDate(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export const today = () => isoDate(new Date());

/** Starts a download of `text` as a file (a link to a blob; nothing leaves the browser). */
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A file name from a text: letters, digits and dashes. */
export const slug = (s) =>
  String(s || 'forloeb')
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'forloeb';

export class TakstBeregner extends HTMLElement {
  static observedAttributes = ['src'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.adoptedStyleSheets = [stylesheet()];
    /** Milliseconds of each recompute: `evaluate` (core + JSON) and `total` (with the page update). */
    this.timings = [];
    this.sheet = null;
    this.response = null;
    this.course = null;
    this.loads = 0;
    this.sheets = [];
    this.offer = 0;
    this.fields = new Map();
    this.explained = null;
    /** Counts the explanations asked for while the module with the explanation loads. */
    this.explainLoads = 0;
    /** The module with the explanation has been asked for ahead of a "Hvorfor?". */
    this.explainPrepared = false;
    this.lastAnnounced = '';
    this.headingLevel = null;
    /** The last result that could be computed: `{ parts, request, response }`. */
    this.good = null;
    this.onHash = () => this.hashChanged();
    this.build();
  }

  connectedCallback() {
    if (!this.started) {
      this.started = true;
      // `heading-level` may have been set after the element was created: build again with it.
      if (this.getAttribute('heading-level') !== this.headingLevel) this.build();
      // A permalink ("#takst=…") is applied once the tariff file is read.
      this.pending = isLink(location.hash) ? { from: 'link', hash: location.hash } : null;
      this.heldLink = this.pending ? location.hash : null;
      this.load();
    }
    window.addEventListener('hashchange', this.onHash);
  }

  disconnectedCallback() {
    window.removeEventListener('hashchange', this.onHash);
  }

  attributeChangedCallback(name, before, after) {
    if (name === 'src' && this.started && before !== after) this.load();
  }

  // --- the skeleton -----------------------------------------------------------------------

  build() {
    this.headingLevel = this.getAttribute('heading-level');
    const level = Math.min(Math.max(Number(this.getAttribute('heading-level')) || 2, 1), 5);
    this.hn = (n) => `h${Math.min(level + n, 6)}`;
    // The parts of the result that a recompute updates in place (tables, chart, line boxes):
    // made anew with the headings of this level.
    this.views = {};
    this.heading = h(this.hn(0), { id: 'titel' }, 'Beregn prisen på et forløb');
    this.offerLine = h('p', { class: 'tilbud' }, 'Henter takstfilen …');
    this.fileBox = h('div', { class: 'fejlboks', id: 'fil-fejl', hidden: true });
    this.savedBox = h('div', { class: 'besked', id: 'gemt-besked', hidden: true });
    this.form = h('form', { novalidate: true, 'aria-labelledby': 'titel', hidden: true, onsubmit: (e) => e.preventDefault() });
    this.generalBox = h('div', { class: 'fejlboks', id: 'generel-fejl', hidden: true });
    this.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.staleBox = h(
      'p',
      { class: 'foraeldet-besked', id: 'ikke-opdateret', hidden: true },
      'Ikke opdateret: tallene nedenfor er den seneste beregning, før fejlen. Ret fejlen for at beregne igen.',
    );
    this.results = h('div', {
      class: 'tal-og-tabeller',
      onclick: (e) => {
        const button = e.target.closest('button[data-forklar]');
        if (button) this.explain(button.dataset.forklar, true, button);
      },
      // A pointer over a "Hvorfor?" or the focus on one: the module with the explanation is
      // fetched and started then, so that the click finds it ready or on its way.
      onpointerover: (e) => {
        if (e.target.closest('button[data-forklar]')) this.prepareExplanation();
      },
      onfocusin: (e) => {
        if (e.target.closest('button[data-forklar]')) this.prepareExplanation();
      },
    });
    this.explainBox = h('section', { class: 'forklaring', 'aria-labelledby': 'forklaring-titel', hidden: true });
    this.resultSection = h(
      'section',
      { class: 'resultat', 'aria-labelledby': 'resultat-titel', hidden: true },
      h(this.hn(1), { id: 'resultat-titel' }, 'Resultat'),
      this.status,
      this.generalBox,
      this.staleBox,
      this.results,
      this.explainBox,
    );
    this.tools = this.buildTools();
    this.root = h(
      'div',
      { class: 'takst', lang: 'da' },
      this.heading,
      this.offerLine,
      this.fileBox,
      this.savedBox,
      this.form,
      this.resultSection,
      this.tools,
    );
    this.shadowRoot.replaceChildren(this.root);
  }

  /** Print, keep, share and export: the buttons under the result. */
  buildTools() {
    this.linkOut = h('a', { id: 'permalink', href: '#' }, 'Link til denne beregning');
    this.copied = h('span', { class: 'noter', role: 'status' });
    const fileInput = h('input', {
      type: 'file',
      accept: '.json,application/json',
      onchange: (e) => {
        const f = e.target.files && e.target.files[0];
        if (f) this.loadSavedFile(f);
        e.target.value = '';
      },
    });
    const loadField = this.labelledTool('hent', 'Hent et gemt forløb (JSON-fil)', fileInput);
    // Saved and exported is only a result of the form as it is: while it has an error, these
    // are off and the note says why (see `showExportable`).
    this.exportButtons = [
      h('button', { type: 'button', onclick: () => this.saveFile() }, 'Gem forløbet som fil'),
      h('button', { type: 'button', onclick: () => this.exportCsv('months') }, 'Månedlige betalinger (CSV)'),
      h('button', { type: 'button', onclick: () => this.exportCsv('lines') }, 'Fakturalinjer (CSV)'),
    ];
    this.exportNote = h(
      'p',
      { class: 'besked', id: 'eksport-besked', hidden: true },
      'Forløbet har en fejl, så det kan ikke gemmes eller eksporteres som CSV: tallene ovenfor er ikke opdateret. Ret fejlen først.',
    );
    return h(
      'section',
      { class: 'vaerktoej', 'aria-labelledby': 'vaerktoej-titel', hidden: true },
      h(this.hn(1), { id: 'vaerktoej-titel' }, 'Udskriv, gem og del'),
      h(
        'div',
        { class: 'knapper' },
        h('button', { type: 'button', onclick: () => window.print() }, 'Udskriv tilbud'),
        this.exportButtons,
      ),
      this.exportNote,
      h(
        'p',
        { class: 'link-linje' },
        this.linkOut,
        ' ',
        h('button', { type: 'button', class: 'lille', onclick: () => this.copyLink() }, 'Kopiér link'),
        ' ',
        this.copied,
      ),
      h('p', { class: 'hjaelp' }, 'Linket og filen gemmer forløbet, ikke prisen: de beregnes igen med takstfilen, når de åbnes.'),
      loadField,
    );
  }

  labelledTool(key, labelText, control) {
    const id = `f-${key}`;
    control.id = id;
    const error = h('p', { class: 'fejl', id: `${id}-fejl`, hidden: true });
    this.loadError = error;
    this.loadControl = control;
    return h('div', { class: 'felt' }, h('label', { for: id }, labelText), control, error);
  }

  /** Turns saving and the CSV exports on (the form's course is priced) or off (it has an error). */
  showExportable(on) {
    for (const b of this.exportButtons) {
      b.disabled = !on;
      if (on) b.removeAttribute('aria-describedby');
      else b.setAttribute('aria-describedby', this.exportNote.id);
    }
    this.exportNote.hidden = on;
  }

  // --- the tariff file --------------------------------------------------------------------

  async load() {
    const load = ++this.loads;
    const src = this.getAttribute('src');
    this.offerLine.textContent = 'Henter takstfilen …';
    this.showFileProblems(null);
    if (!src) {
      this.fileFailed('Beregneren mangler en takstfil (attributten src).');
      return;
    }
    // The module and the tariff sheet are fetched side by side: the sheet's round trip is not
    // added after the module's download. The first module: the figures without their
    // explanation (the smallest download); the module with the explanation is loaded when one
    // is first asked for (`explainLater`).
    const started = initFigures(this.getAttribute('wasm') || undefined);
    const fetched = this.fetchSheet(src);
    try {
      await started;
    } catch (e) {
      // Without the module the sheet is of no use: its download stops (unless a newer src's
      // is under way).
      if (load === this.loads) this.fetching?.abort();
      const text = String((e && e.message) || e);
      if (/Refused to compile|unsafe-eval|wasm-eval|Content Security Policy/i.test(text)) {
        this.fileFailed(
          'Beregneren kunne ikke starte, fordi sidens sikkerhedspolitik (Content-Security-Policy) ikke tillader WebAssembly. Webstedet skal tilføje \'wasm-unsafe-eval\' til script-src.',
        );
      } else {
        this.fileFailed(
          'Beregnerens filer kunne ikke hentes, så beregneren kan ikke starte. Prøv igen senere; hvis fejlen bliver ved, så kontakt webstedet.',
        );
      }
      return;
    }
    const sheet = await fetched;
    if (load !== this.loads) return; // a newer src is on its way
    if (sheet.failed) {
      this.fileFailed(sheet.failed);
      return;
    }
    const { url, text, modified } = sheet;
    const date = modified ? new Date(modified) : null;
    this.fileInfo = {
      src,
      url: url.href,
      name: decodeURIComponent(url.pathname.split('/').pop() || url.host),
      date: date && !Number.isNaN(date.getTime()) ? isoDate(date) : '',
    };
    try {
      this.useFile(text);
    } catch (e) {
      this.fileFailed('Takstfilen kunne ikke læses.');
      this.unexpectedDetail = e;
    }
  }

  /** The tariff sheet at `src`: `{ url, text, modified }`, or `{ failed }` with the Danish
   * message to show. Never rejects (the module may fail first, and then this is not awaited
   * at once). A newer src cancels the fetch of an older one. */
  async fetchSheet(src) {
    let url;
    try {
      this.fetching?.abort();
      this.fetching = new AbortController();
      url = new URL(src, document.baseURI);
      const res = await fetch(url, { credentials: 'same-origin', signal: this.fetching.signal });
      if (!res.ok) return { failed: `Takstfilen kunne ikke hentes (HTTP-status ${res.status}).` };
      return { url, text: await res.text(), modified: res.headers.get('Last-Modified') };
    } catch {
      return {
        failed:
          url && url.origin !== location.origin
            ? `Takstfilen kunne ikke hentes fra ${url.host}. Webstedet skal tillade det (CORS og connect-src).`
            : 'Takstfilen kunne ikke hentes.',
      };
    }
  }

  /** Reads the file's text and shows the form for its (first or chosen) offer. */
  useFile(text) {
    const reads = readSheets(text);
    const problems = reads.flatMap((r) => (r.ok ? [] : r.errors));
    if (problems.length > 0) {
      this.sheet = null;
      this.showFileProblems(problems);
      this.offerLine.textContent = 'Takstfilen kan ikke bruges.';
      this.form.hidden = true;
      this.resultSection.hidden = true;
      this.tools.hidden = true;
      this.dispatch();
      return;
    }
    // One sheet, or several offers in one file: the user picks the offer.
    this.sheets = reads.map((r) => r.sheet);
    this.useSheet(this.offer < this.sheets.length ? this.offer : 0);
    this.course ??= this.defaultCourse();
    this.form.hidden = false;
    this.resultSection.hidden = false;
    this.tools.hidden = false;
    if (this.pending) {
      // The link's course is the first result: beregner-mere.js reads it, fetched first.
      const pending = this.pending;
      this.pending = null;
      this.more().then(
        (m) => {
          if (!m.applyLink(this, pending.hash)) this.showDefault();
        },
        () => {
          this.linkFailed();
          this.showDefault();
        },
      );
      return;
    }
    this.showDefault();
  }

  /** The form as it is, priced. */
  showDefault() {
    this.renderForm();
    this.recompute();
  }

  /** The address's fragment changed: a permalink's course is put into the form (by
   * beregner-mere.js, imported for it), or kept for when the tariff file is read. */
  hashChanged() {
    const hash = location.hash;
    if (hash === this.ownHash || !isLink(hash)) return;
    // Until it is read, the address keeps it (the course's own link is not written over it).
    this.heldLink = hash;
    if (!this.sheet) {
      this.pending = { from: 'link', hash };
      return;
    }
    this.more().then(
      (m) => {
        if (location.hash === hash) m.applyLink(this, hash);
      },
      () => this.linkFailed(),
    );
  }

  /** A permalink whose course could not be read because beregner-mere.js could not be
   * fetched: said, and the address keeps the link (reloading the page tries again). */
  linkFailed() {
    this.showLoadMessage(
      'Forløbet fra linket er ikke indlæst: en del af beregneren kunne ikke hentes. Genindlæs siden for at prøve igen.',
      true,
      'link',
    );
  }

  fileFailed(text) {
    this.sheet = null;
    this.offerLine.textContent = 'Takstfilen kan ikke bruges.';
    // A permalink waiting for the file cannot be priced either: say so, not nothing.
    const link = this.pending ? ' Forløbet fra linket kan derfor ikke beregnes; linket virker igen, når takstfilen kan hentes.' : '';
    this.fileBox.replaceChildren(h('p', {}, text + link));
    this.fileBox.hidden = false;
    this.form.hidden = true;
    this.resultSection.hidden = true;
    this.tools.hidden = true;
    this.dispatch();
  }

  showFileProblems(errors) {
    if (!errors || errors.length === 0) {
      this.fileBox.replaceChildren();
      this.fileBox.hidden = true;
      return;
    }
    const items = errors.slice(0, 20).map((e) => {
      const text = danish(e).replace(/\.$/, '');
      // The core's Danish message may say where in the text already; if not, it is added.
      const where = [];
      if (e.line && !/linje \d/.test(text)) where.push(`linje ${e.line}, kolonne ${e.column}`);
      if (e.path && !text.includes(e.path)) where.push(`felt ${e.path}`);
      return h('li', {}, text, where.length ? ` (${where.join('; ')})` : '', '.');
    });
    if (errors.length > 20) items.push(h('li', {}, `… og ${errors.length - 20} problemer mere.`));
    this.fileBox.replaceChildren(h('p', {}, 'Takstfilen kan ikke bruges:'), h('ul', {}, items));
    this.fileBox.hidden = false;
  }

  /** Prices from the file's sheet number `i` (the sheet as the core read it: amounts as strings). */
  useSheet(i) {
    this.offer = i;
    this.sheet = this.sheets[i];
    this.sheetText = JSON.stringify(this.sheet);
    this.describeOffer();
  }

  describeOffer() {
    const o = this.sheet.offer || {};
    const parts = [o.name, o.provider, o.year !== undefined ? `takster ${o.year}` : null].filter(Boolean);
    this.offerLine.textContent = parts.join(' · ');
  }

  services() {
    const list = (this.sheet.services || []).map((s) => ({ id: s.id, name: s.name || s.id, day: s.tariff && s.tariff.day }));
    if (this.sheet.average && this.sheet.average.day !== undefined) {
      list.push({ id: 'average', name: 'Gennemsnitstakst', day: this.sheet.average.day });
    }
    return list;
  }

  addOns() {
    return this.sheet.add_ons || [];
  }

  defaultCourse() {
    const first = this.services()[0];
    const start = this.getAttribute('start') || today();
    return { start, pl: '', plans: [[this.newPhase(first ? first.id : '')]] };
  }

  newPhase(service) {
    return { service, unit: 'months', amount: '3', until: '', addOns: [] };
  }

  /** The offer `i` of the file, keeping the course: phases whose services the offer lacks are
   * kept and marked (the core names them), never silently replaced. */
  switchOffer(i) {
    this.useSheet(i);
    this.renderForm('offer');
    this.recompute();
  }

  // --- the form ---------------------------------------------------------------------------

  field(key, control, error) {
    this.fields.set(key, { control, error });
  }

  /** A labelled control with its error line; the label is in the same shadow root as the control. */
  labelled(key, labelText, control, { hint, narrow } = {}) {
    const id = `f-${key.replace(/\./g, '-')}`;
    control.id = id;
    const errorId = `${id}-fejl`;
    const hintId = hint ? `${id}-hjaelp` : null;
    const error = h('p', { class: 'fejl', id: errorId, hidden: true });
    if (hintId) control.setAttribute('aria-describedby', hintId);
    this.field(key, control, error);
    return h(
      'div',
      { class: narrow ? 'felt smal' : 'felt' },
      h('label', { for: id }, labelText),
      hint ? h('p', { class: 'hjaelp', id: hintId }, hint) : null,
      control,
      error,
    );
  }

  renderForm(focusKey) {
    this.fields.clear();
    const c = this.course;
    const year = this.sheet.offer && this.sheet.offer.year;
    const start = h('input', { type: 'date', value: c.start, oninput: (e) => this.set(() => (c.start = e.target.value)) });
    const pl = h('input', {
      type: 'text',
      inputmode: 'decimal',
      autocomplete: 'off',
      value: c.pl,
      oninput: (e) => this.set(() => (c.pl = e.target.value)),
    });
    let offer = null;
    if (this.sheets.length > 1) {
      const select = h('select', { onchange: (e) => this.switchOffer(Number(e.target.value)) });
      this.sheets.forEach((sheet, i) => {
        const o = sheet.offer || {};
        select.append(h('option', { value: String(i) }, [o.name || o.id || `Tilbud ${i + 1}`, o.year !== undefined ? ` (${o.year})` : ''].join('')));
      });
      select.value = String(this.offer);
      offer = this.labelled('offer', 'Tilbud', select);
    }
    const general = h(
      'fieldset',
      {},
      h('legend', {}, 'Forløbet'),
      h(
        'div',
        { class: 'felter' },
        offer,
        this.labelled('start', 'Startdato', start),
        this.labelled('pl', 'PL-fremskrivning pr. år (%)', pl, {
          hint: `Frivillig. Fremskriver taksterne for årene efter ${year ?? 'takståret'}, f.eks. 1,96.`,
        }),
      ),
    );
    const two = c.plans.length > 1;
    const compare = h(
      'button',
      {
        type: 'button',
        id: two ? 'fjern-plan-b' : 'sammenlign',
        onclick: () => {
          if (two) {
            c.plans.splice(1);
            // Plan B's box of lines goes with it: no longer open.
            if (this.linesOpen) this.linesOpen[1] = false;
          }
          else c.plans.push(c.plans[0].map((p) => ({ ...p, addOns: p.addOns.map((a) => ({ ...a })) })));
          this.renderForm(two ? 'compare' : 'b0.service');
          this.recompute();
        },
      },
      two ? 'Fjern plan B' : 'Sammenlign med en anden plan',
    );
    this.compareButton = compare;
    this.form.replaceChildren(
      general,
      h('div', { class: two ? 'planer to' : 'planer' }, c.plans.map((phases, k) => this.renderPlan(phases, k, two))),
      h('div', { class: 'knapper' }, compare),
    );
    const target =
      focusKey === 'compare'
        ? compare
        : /^add-phase/.test(focusKey || '')
          ? this.shadowRoot.getElementById(focusKey === 'add-phase-b' ? 'tilfoej-fase-b' : 'tilfoej-fase')
          : this.fields.get(focusKey)?.control;
    if (target) target.focus();
  }

  renderPlan(phases, k, two) {
    const x = PREFIX[k];
    const list = h('ol', { class: 'faser' }, phases.map((p, i) => this.renderPhase(phases, k, p, i)));
    const phasesError = h('p', { class: 'fejl', id: `f-${x}phases-fejl`, hidden: true });
    this.field(`${x}phases`, null, phasesError);
    const addPhase = h(
      'button',
      {
        type: 'button',
        id: k === 0 ? 'tilfoej-fase' : 'tilfoej-fase-b',
        onclick: () => {
          const services = this.services();
          const last = phases[phases.length - 1];
          const at = services.findIndex((s) => s.id === (last && last.service));
          const next = services[Math.min(at + 1, services.length - 1)] || services[0];
          phases.push(this.newPhase(next ? next.id : ''));
          this.renderForm(`${x}${phases.length - 1}.service`);
          this.recompute();
        },
      },
      'Tilføj fase',
      two ? h('span', { class: 'skjult' }, ` til plan ${'AB'[k]}`) : null,
    );
    const titleId = `faser-titel-${x}`;
    return h(
      'section',
      { class: 'plan', 'aria-labelledby': titleId },
      h(this.hn(1), { class: two ? null : 'skjult', id: titleId }, two ? PLAN_NAMES[k] : 'Faser'),
      list,
      phasesError,
      h('div', { class: 'knapper' }, addPhase),
    );
  }

  renderPhase(phases, k, p, i) {
    const x = PREFIX[k];
    const planWord = phases === this.course.plans[1] ? ` i plan B` : '';
    const services = this.services();
    const service = h('select', { onchange: (e) => this.set(() => (p.service = e.target.value)) });
    for (const s of services) {
      const label = s.day !== undefined ? `${s.name} (${formatKr(s.day)} pr. ${this.dayWord()})` : s.name;
      service.append(h('option', { value: s.id }, label));
    }
    const known = services.find((s) => s.id === p.service);
    if (known) p.name = known.name;
    else {
      // A service the file (or the chosen offer) does not have: kept, so the core says so
      // next to the field, until the user picks another.
      service.append(h('option', { value: p.service }, `Findes ikke i tilbuddet: ${p.name || p.service}`));
    }
    service.value = p.service;

    const unit = h(
      'select',
      {
        onchange: (e) => {
          p.unit = e.target.value;
          this.renderForm(`${x}${i}.unit`);
          this.recompute();
        },
      },
      h('option', { value: 'months' }, 'måneder'),
      h('option', { value: 'days' }, 'dage'),
      h('option', { value: 'until' }, 'til og med dato'),
    );
    unit.value = p.unit;
    const amount =
      p.unit === 'until'
        ? h('input', { type: 'date', value: p.until, oninput: (e) => this.set(() => (p.until = e.target.value)) })
        : h('input', {
            type: 'text',
            inputmode: 'numeric',
            autocomplete: 'off',
            value: p.amount,
            oninput: (e) => this.set(() => (p.amount = e.target.value)),
          });
    const n = i + 1;
    const fields = h(
      'div',
      { class: 'felter' },
      this.labelled(`${x}${i}.service`, 'Ydelse', service),
      this.labelled(`${x}${i}.duration`, p.unit === 'until' ? 'Til og med' : 'Varighed', amount, { narrow: true }),
      this.labelled(`${x}${i}.unit`, 'Enhed', unit, { narrow: true }),
    );

    const addOns = h('ul', { class: 'tillaeg' }, p.addOns.map((a, j) => this.renderAddOn(phases, k, p, i, a, j)));
    const buttons = h('div', { class: 'knapper' });
    if (this.addOns().length > 0) {
      buttons.append(
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              const first = this.addOns()[0];
              p.addOns.push({ id: first.id, qty: first.unit === 'day' ? '' : '1' });
              this.renderForm(`${x}${i}.a${p.addOns.length - 1}.id`);
              this.recompute();
            },
          },
          'Tilføj tillæg',
          h('span', { class: 'skjult' }, ` til fase ${n}${planWord}`),
        ),
      );
    }
    if (phases.length > 1) {
      buttons.append(
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              phases.splice(i, 1);
              this.renderForm(k === 0 ? 'add-phase' : 'add-phase-b');
              this.recompute();
            },
          },
          'Fjern fase',
          h('span', { class: 'skjult' }, ` ${n}${planWord}`),
        ),
      );
    }
    return h('li', {}, h('fieldset', {}, h('legend', {}, `Fase ${n}`), fields, addOns, buttons));
  }

  renderAddOn(phases, k, p, i, a, j) {
    const x = PREFIX[k];
    const planWord = phases === this.course.plans[1] ? ` i plan B` : '';
    const list = this.addOns();
    const current = list.find((y) => y.id === a.id);
    const select = h('select', {
      onchange: (e) => {
        a.id = e.target.value;
        const chosen = list.find((y) => y.id === a.id);
        if (chosen && chosen.unit !== 'day' && a.qty === '') a.qty = '1';
        this.renderForm(`${x}${i}.a${j}.id`);
        this.recompute();
      },
    });
    for (const y of list) {
      const unit = ADD_ON_UNITS[y.unit] ?? y.unit;
      select.append(h('option', { value: y.id }, `${y.name || y.id} (${formatKr(y.price)} pr. ${unit})`));
    }
    if (current) a.name = current.name || current.id;
    else select.append(h('option', { value: a.id }, `Findes ikke i tilbuddet: ${a.name || a.id}`));
    select.value = a.id;
    const parts = [this.labelled(`${x}${i}.a${j}.id`, `Tillæg ${j + 1}`, select)];
    if (!current || current.unit !== 'day') {
      const qty = h('input', {
        type: 'text',
        inputmode: 'decimal',
        autocomplete: 'off',
        value: a.qty,
        oninput: (e) => this.set(() => (a.qty = e.target.value)),
      });
      const what = current && current.unit === 'km' ? 'Antal km pr. måned' : 'Antal timer pr. måned';
      parts.push(this.labelled(`${x}${i}.a${j}.qty`, what, qty, { narrow: true }));
    } else {
      parts.push(h('p', { class: 'hjaelp' }, 'Betales for hver dag i fasen.'));
    }
    const remove = h(
      'button',
      {
        type: 'button',
        class: 'lille',
        onclick: () => {
          p.addOns.splice(j, 1);
          this.renderForm(p.addOns.length ? `${x}${i}.a${Math.max(j - 1, 0)}.id` : `${x}${i}.service`);
          this.recompute();
        },
      },
      'Fjern tillæg',
      h('span', { class: 'skjult' }, ` ${j + 1} i fase ${i + 1}${planWord}`),
    );
    return h('li', {}, h('div', { class: 'felter' }, parts), h('div', { class: 'knapper' }, remove));
  }

  /** Applies a change from an input and recomputes (at once: a recompute takes about a millisecond). */
  set(change) {
    change();
    this.recompute();
  }

  // --- the request ------------------------------------------------------------------------

  /** Whether an add-on is priced by a quantity per month (an hour or km add-on, or one the
   * sheet does not have, which the core names): a day add-on takes none. */
  takesQuantity(id) {
    const y = this.addOns().find((x) => x.id === id);
    return !y || y.unit !== 'day';
  }

  /**
   * The request for the form as it is: `{ courses, index, pl, errors, sheetText }`. Numbers
   * are read the Danish way (format.js): a duration as a whole number, a quantity and the PL
   * rate as decimals, each sent as its plain decimal text. A text that cannot be read is not
   * sent: it is an error at its field in `errors` (the core's errors about the field it left
   * out come after it, and the field shows the first).
   */
  requestParts() {
    const c = this.course;
    const errors = [];
    const courses = c.plans.map((phases, k) => {
      const list = phases.map((p, i) => {
        const at = `courses[${k}].phases[${i}]`;
        const phase = { service: p.service };
        if (p.unit === 'until') {
          if (p.until !== '') phase.until = p.until;
        } else if (p.amount.trim() !== '') {
          const whole = readWhole(p.amount);
          if (whole !== null) phase[p.unit] = new Raw(whole);
          else errors.push(unreadable(`${at}.${p.unit}`, fieldMessage('duration', { code: 'invalid_number' }, p, p.amount)));
        }
        if (p.addOns.length) {
          phase.add_ons = p.addOns.map((a, j) => {
            const use = { id: a.id };
            // A day add-on's quantity (one typed before the add-on was changed) is not priced:
            // not sent, printed or saved.
            if (this.takesQuantity(a.id) && a.qty.trim() !== '') {
              const qty = readDecimal(a.qty);
              if (qty !== null) use.quantity_per_month = qty;
              else errors.push(unreadable(`${at}.add_ons[${j}].quantity_per_month`, fieldMessage('qty', { code: 'invalid_number' }, p, a.qty)));
            }
            return use;
          });
        }
        return phase;
      });
      const course = { start: c.start, phases: list };
      return c.plans.length > 1 ? { id: PLAN_NAMES[k], ...course } : course;
    });
    let index;
    let pl;
    if (c.pl.trim() !== '') {
      pl = readDecimal(c.pl);
      if (pl === null) {
        errors.push(unreadable('index.later_pct', fieldMessage('pl', { code: 'invalid_number' }, null, c.pl)));
      } else {
        // The same yearly rate for every year after the sheet's, however far the course
        // reaches (`later_pct`: one rate where fifty years of rates were sent with every
        // recompute, a third of the core's work on the page's request).
        index = { later_pct: pl };
      }
    }
    return { courses, index, pl, errors, sheetText: this.sheetText };
  }

  /** The request's JSON text for these parts; when `lines` is false, without the quotes'
   * invoice lines and without the tariff sheet echoed back (`options.tariff_sheet`: the page
   * holds the sheet it sent, which was some 40 % of such a response). */
  requestText(parts, explain, lines = true) {
    const options = lines ? { explain } : { explain, lines: false, tariff_sheet: false };
    const rest = toJson({ courses: parts.courses, index: parts.index, options });
    return `{"version":1,"catalogue":${parts.sheetText},${rest.slice(1)}`;
  }

  // --- computing and showing --------------------------------------------------------------

  /** The request for these parts and the core's response to it; with a field the page could
   * not read (`parts.errors`), a response that is not ok, with those errors first. */
  evaluate(parts, explain, lines = true) {
    const request = this.requestText(parts, explain, lines);
    let response = JSON.parse(evaluateJson(request));
    if (parts.errors.length) {
      response = { version: response.version, ok: false, warnings: [], errors: [...parts.errors, ...(response.ok ? [] : response.errors)] };
    }
    return { request, response };
  }

  /** Prices the form and shows the result; `quiet`: without `takst-beregnet` (the same
   * figures again, now with their invoice lines). */
  recompute({ quiet = false } = {}) {
    if (!this.sheet) return;
    try {
      // With an explanation open, one call computes the figures and their explanation.
      const explain = Boolean(this.explainKey);
      // The invoice lines (most of a response's text) only while a box of them is open or
      // an explanation is: the export and the `takst-beregnet` event compute them when
      // asked (`withLines`).
      const lines = explain || this.linesShown();
      const t0 = performance.now();
      const parts = this.requestParts();
      const { request, response } = this.evaluate(parts, explain, lines);
      const t1 = performance.now();
      this.request = request;
      this.response = response;
      if (response.ok) {
        this.good = { parts, request, response, lines };
        this.explained = explain ? response : null;
      }
      this.show(response);
      const t2 = performance.now();
      this.timings.push({ evaluate: t1 - t0, total: t2 - t0 });
      if (this.timings.length > 2000) this.timings.splice(0, 1000);
      if (!quiet) this.dispatch();
      this.restartAfterInternal(response);
      if (response.ok) this.scheduleLink();
    } catch (e) {
      this.unexpected(e);
    }
  }

  /** The request for the current form and its response: `{ request, response }`. */
  price(explain) {
    return this.evaluate(this.requestParts(), explain);
  }

  /** Whether a box of invoice lines is open. */
  linesShown() {
    return Boolean(this.linesOpen && this.linesOpen.some(Boolean));
  }

  /** A result's response with its invoice lines: as computed, when it was computed with
   * them, else computed again with them once (the same figures: `options.lines` leaves out
   * the lines only). */
  withLines(good) {
    if (good.lines) return good.response;
    good.full ??= this.evaluate(good.parts, false).response;
    return good.full;
  }

  /** The last result if it is the form's as it is now (null while the form has an error). */
  priced() {
    return this.response && this.response.ok ? this.good : null;
  }

  /** After an internal error the module is stopped: start a fresh one and price again, once
   * for the same request (so a request that fails again is not retried for ever). */
  restartAfterInternal(response) {
    if (isReady() || !(response.errors || []).some((e) => e.code === 'internal')) return;
    if (this.request === this.restartedFor) return;
    this.restartedFor = this.request;
    // Restarted as the module that was running (takst.js keeps its compiled modules).
    initFigures(this.getAttribute('wasm') || undefined).then(
      () => this.recompute(),
      (e) => this.unexpected(e),
    );
  }

  /** A JS exception (never expected): say so in Danish instead of leaving a stale page. */
  unexpected(e) {
    this.unexpectedDetail = e;
    this.form.hidden = !this.sheet;
    this.resultSection.hidden = false;
    this.results.replaceChildren();
    this.good = null;
    this.showExportable(false);
    this.staleBox.hidden = true;
    this.closeExplanation();
    this.generalBox.replaceChildren(h('p', {}, 'Beregneren fejlede uventet. Prøv igen, eller genindlæs siden.'));
    this.generalBox.hidden = false;
    this.announce('Beregneren fejlede uventet.');
  }

  /** `takst-beregnet`: the request and its response, the quotes with their invoice lines
   * (a result computed without them gives the request with them, and its response computed
   * when first read). */
  dispatch() {
    const good = this.good;
    let detail = { response: this.response, request: this.request };
    if (good && good.response === this.response && !good.lines) {
      const page = this;
      let request;
      detail = {
        get request() {
          return (request ??= page.requestText(good.parts, false));
        },
        get response() {
          return page.withLines(good);
        },
      };
    }
    this.dispatchEvent(new CustomEvent('takst-beregnet', { bubbles: true, composed: true, detail }));
  }

  /** Takes every field's message away; a field that shows none is only read (writing its
   * attributes again cost a recompute 5 % in the profile, for nothing). */
  clearErrors() {
    for (const { control, error } of this.fields.values()) {
      if (error.hidden && !(control && control.hasAttribute('aria-invalid'))) continue;
      if (control) {
        control.removeAttribute('aria-invalid');
        const hint = control.getAttribute('aria-describedby');
        if (hint) {
          const kept = hint.split(' ').filter((x) => !x.endsWith('-fejl')).join(' ');
          if (kept) control.setAttribute('aria-describedby', kept);
          else control.removeAttribute('aria-describedby');
        }
      }
      error.replaceChildren();
      error.hidden = true;
    }
    if (!this.generalBox.hidden) {
      this.generalBox.replaceChildren();
      this.generalBox.hidden = true;
    }
  }

  /** Shows each problem next to its field; returns how many places show a message. */
  showErrors(errors) {
    const general = [];
    const fileErrors = [];
    let shown = 0;
    for (const e of errors) {
      const f = fieldOf(e.path || '');
      if (f.key === 'file') {
        fileErrors.push({ ...e, path: e.path.replace(/^catalogue\.?/, '') });
        continue;
      }
      const slot = this.fields.get(f.key);
      if (!slot) {
        general.push(e);
        continue;
      }
      if (!slot.error.hidden) continue; // one message per field
      const phase = f.phase !== undefined ? this.course.plans[f.plan]?.[f.phase] : null;
      const typed = slot.control && slot.control.value !== undefined ? slot.control.value : '';
      slot.error.replaceChildren(document.createTextNode(fieldMessage(f.kind, e, phase, typed)));
      slot.error.hidden = false;
      shown++;
      if (slot.control) {
        slot.control.setAttribute('aria-invalid', 'true');
        const ids = (slot.control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
        ids.push(slot.error.id);
        slot.control.setAttribute('aria-describedby', ids.join(' '));
      }
    }
    if (fileErrors.length) {
      this.showFileProblems(fileErrors);
      shown++;
    }
    if (general.length) {
      shown++;
      const texts = [...new Set(general.map((e) => fieldMessage('general', e)))];
      this.generalBox.replaceChildren(h('ul', {}, texts.slice(0, 10).map((t) => h('li', {}, t))));
      this.generalBox.hidden = false;
    }
    return shown;
  }

  announce(text) {
    if (text !== this.lastAnnounced) {
      this.lastAnnounced = text;
      this.status.textContent = text;
    }
  }

  show(r) {
    this.clearErrors();
    this.showFileProblems(null);
    this.showExportable(r.ok);
    if (!r.ok) {
      const n = this.showErrors(r.errors || []);
      // The last result stays, marked as not updated.
      const stale = Boolean(this.good) && this.results.childElementCount > 0;
      this.staleBox.hidden = !stale;
      this.results.classList.toggle('foraeldet', stale);
      if (!stale) {
        this.results.replaceChildren();
        this.closeExplanation();
      }
      this.announce(
        (n <= 1 ? 'Prisen kan ikke beregnes: ret den markerede fejl.' : `Prisen kan ikke beregnes: ret de ${n} markerede fejl.`) +
          (stale ? ' Det seneste resultat vises, men er ikke opdateret.' : ''),
      );
      return;
    }
    if (!this.staleBox.hidden) this.staleBox.hidden = true;
    if (this.results.classList.contains('foraeldet')) this.results.classList.remove('foraeldet');
    const quotes = r.courses || [];
    if (!quotes[0]) {
      this.results.replaceChildren();
      this.announce('Der er intet forløb at beregne.');
      return;
    }
    const parts = quotes.length > 1 ? this.comparison(quotes[0], quotes[1], r) : this.single(quotes[0], r);
    setChildren(this.results, parts);
    if (this.explainKey) this.explain(this.explainKey, false);
  }

  /** The period of a quote: "15.09.2026 – 14.10.2027". */
  period(q) {
    const first = q.schedule && q.schedule[0];
    const last = q.schedule && q.schedule[q.schedule.length - 1];
    return first && last ? `${formatDate(first.from)} – ${formatDate(last.to)}` : '';
  }

  single(q, r) {
    const period = this.period(q);
    this.announce(`Forløbet koster i alt ${formatKr(q.total)} for ${dayCount(q.days)}${period ? `, ${period}` : ''}.`);
    return [
      this.provenance(),
      this.planText(),
      this.keyFigures(q, period),
      this.warningList(r.warnings || []),
      this.monthly(q),
      this.lineTable(q, 0),
    ];
  }

  comparison(qa, qb, r) {
    const diff = planDifference(qa, qb);
    this.difference = diff;
    const s = signOf(diff.total);
    const word = s === 0 ? 'det samme som plan A' : `${formatKr(diff.total.replace(/^-/, ''))} ${s < 0 ? 'billigere' : 'dyrere'} end plan A`;
    this.announce(`Plan A koster i alt ${formatKr(qa.total)}, plan B ${formatKr(qb.total)}: plan B er ${word}.`);
    return [
      this.provenance(),
      this.planText(),
      this.compareFigures(qa, qb, diff, word),
      this.warningList(r.warnings || []),
      this.monthlyCompare(qa, qb, diff),
      this.lineTable(qa, 0),
      this.lineTable(qb, 1),
    ];
  }

  /** A "Hvorfor?" button for the figure with this key (one listener on the results handles them all). */
  why(key, label) {
    return h('button', { type: 'button', class: 'lille', 'data-forklar': key }, 'Hvorfor?', h('span', { class: 'skjult' }, ` ${label}`));
  }

  /** What the figures are and where they come from: provider, offer, file, dates, version. */
  provenance() {
    const o = (this.sheet && this.sheet.offer) || {};
    const f = this.fileInfo || {};
    if (!this.version) {
      try {
        this.version = coreVersion();
      } catch {
        this.version = '';
      }
    }
    const version = this.version;
    const provider = o.provider || o.name || 'udbyderen';
    const offer = [o.name, o.year !== undefined ? `takster ${o.year}` : null].filter(Boolean).join(', ');
    const file = [f.name, f.url && f.url !== f.name ? `(${f.url})` : null, f.date ? `ændret ${formatDate(f.date)}` : 'dato ukendt']
      .filter(Boolean)
      .join(' ');
    const lines = [
      `Vejledende beregning — takster fra ${provider}`,
      `Tilbud: ${offer || 'uden navn'}. Takstfil: ${file}. Beregnet ${formatDate(today())} med takst ${version || 'ukendt version'}.`,
    ];
    // The same text as last time: the same node (a recompute builds only what changed).
    const key = lines.join('\n');
    if (this.provenanceNode && this.provenanceKey === key) return this.provenanceNode;
    this.provenanceKey = key;
    this.provenanceNode = h('div', { class: 'kilde' }, h('p', { class: 'vejledende' }, lines[0]), h('p', { class: 'noter' }, lines[1]));
    return this.provenanceNode;
  }

  /** The course plan as text (for the printed quote; the form shows it on the screen), from
   * the request of the result shown (`this.good`: a result is shown once it is the last good
   * one): each number as it was priced, written the Danish way, not the text as typed. */
  planText() {
    const parts = this.good.parts;
    const names = new Map(this.services().map((s) => [s.id, s.name]));
    const addOnNames = new Map(this.addOns().map((a) => [a.id, a.name || a.id]));
    const phaseText = (p, n) => {
      let length;
      if (p.until !== undefined) length = `til og med ${formatDate(p.until)}`;
      else {
        const unit = p.days !== undefined ? 'days' : 'months';
        const amount = p[unit] ? p[unit].text : '';
        const [one, many] = UNIT_WORDS[unit];
        length = `${danishNumber(amount)} ${amount === '1' ? one : many}`;
      }
      const extras = (p.add_ons || []).map((a) => {
        const qty = a.quantity_per_month !== undefined ? ` (${danishNumber(a.quantity_per_month)} pr. måned)` : '';
        return `tillæg ${addOnNames.get(a.id) ?? a.id}${qty}`;
      });
      return `Fase ${n}: ${names.get(p.service) ?? p.service}, ${length}${extras.length ? `, ${extras.join(', ')}` : ''}.`;
    };
    const courses = parts.courses;
    const two = courses.length > 1;
    const pl = parts.pl !== undefined ? `PL-fremskrivning ${danishNumber(parts.pl)} % pr. år.` : 'Ingen PL-fremskrivning.';
    const head = `Start ${formatDate(courses[0].start)}. ${pl}`;
    const plans = courses.map((course, k) => [two ? `${PLAN_NAMES[k]}: ` : 'Forløbet: ', course.phases.map((p, i) => phaseText(p, i + 1)).join(' ')]);
    // The node stays while the number of plans does; its texts are updated in place.
    if (this.planNode?.plans.length !== plans.length) {
      this.planNode = {
        head: h('p', {}),
        plans: plans.map(() => ({ name: h('strong', {}), text: h('span', {}) })),
      };
      this.planNode.box = h(
        'div',
        { class: 'plan-tekst kun-print' },
        this.planNode.head,
        this.planNode.plans.map((p) => h('p', {}, p.name, p.text)),
      );
    }
    setText(this.planNode.head, head);
    plans.forEach(([name, text], k) => {
      setText(this.planNode.plans[k].name, name);
      setText(this.planNode.plans[k].text, text);
    });
    return this.planNode.box;
  }

  keyFigures(q, period) {
    // [term, value, the key of its "Hvorfor?" or null]
    const rows = [
      ['Periode', period || '–', null],
      ['Fakturerede dage', danishNumber(String(q.days)), null],
      ['Forløbets pris i alt', formatKr(q.total), 'course[0].total'],
    ];
    if (q.comparison) {
      const d = q.comparison.difference;
      const s = signOf(d);
      const word = s < 0 ? 'billigere end gennemsnitstaksten' : s === 0 ? 'det samme som gennemsnitstaksten' : 'dyrere end gennemsnitstaksten';
      // The comparison weighs the service lines; with add-ons they are less than the total.
      if (hasAddOns(q)) rows.push(['Heraf ydelser (sammenlignes)', formatKr(q.comparison.course), 'course[0].services']);
      rows.push(['Samme dage til gennemsnitstakst', formatKr(q.comparison.flat), 'course[0].flat']);
      rows.push(['Forskel', `${formatKr(d.replace(/^-/, ''))} ${word}`, 'course[0].difference']);
    }
    if (q.years && q.years.length > 1) {
      for (const y of q.years) rows.push([`Heraf ${y.year}`, formatKr(y.amount), `course[0].year.${y.year}`]);
    }
    // A row keeps its elements from one recompute to the next (its value is updated in place).
    const v = this.views;
    v.figures ??= h('dl', { class: 'tal' });
    const before = v.figureRows ?? new Map();
    const kept = new Map();
    const nodes = [];
    for (const [t, value, key] of rows) {
      const id = `${t}\n${key ?? ''}`;
      let row = before.get(id);
      if (!row) {
        const text = h('span', {});
        row = { text, nodes: [h('dt', {}, t), h('dd', {}, text, key ? this.why(key, t) : null)] };
      }
      setText(row.text, value);
      kept.set(id, row);
      nodes.push(...row.nodes);
    }
    v.figureRows = kept;
    return setChildren(v.figures, nodes);
  }

  /** Plan A and plan B side by side: the key figures and B − A. */
  compareFigures(qa, qb, diff, word) {
    const cell = (text, button) => h('td', { class: 'tal' }, h('span', {}, text), button ? [' ', button] : null);
    const flatWord = (q) => {
      if (!q.comparison) return '–';
      const d = q.comparison.difference;
      const s = signOf(d);
      return `${formatKr(d.replace(/^-/, ''))} ${s < 0 ? 'billigere' : s === 0 ? 'det samme' : 'dyrere'}`;
    };
    const rows = [
      h('tr', {}, h('th', { scope: 'row' }, 'Periode'), h('td', {}, this.period(qa)), h('td', {}, this.period(qb)), h('td', {}, '')),
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, 'Fakturerede dage'),
        cell(danishNumber(String(qa.days))),
        cell(danishNumber(String(qb.days))),
        cell(''),
      ),
      h(
        'tr',
        { class: 'i-alt' },
        h('th', { scope: 'row' }, 'Pris i alt'),
        cell(formatKr(qa.total), this.why('course[0].total', 'Plan A i alt')),
        cell(formatKr(qb.total), this.why('course[1].total', 'Plan B i alt')),
        cell(formatKr(diff.total), this.why('plan-forskel.total', 'Forskel i alt')),
      ),
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, 'Samme dage til gennemsnitstakst'),
        cell(qa.comparison ? formatKr(qa.comparison.flat) : '–', qa.comparison ? this.why('course[0].flat', 'Plan A til gennemsnitstakst') : null),
        cell(qb.comparison ? formatKr(qb.comparison.flat) : '–', qb.comparison ? this.why('course[1].flat', 'Plan B til gennemsnitstakst') : null),
        cell(''),
      ),
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, 'Forskel til gennemsnitstakst'),
        cell(flatWord(qa), qa.comparison ? this.why('course[0].difference', 'Plan A, forskel til gennemsnitstakst') : null),
        cell(flatWord(qb), qb.comparison ? this.why('course[1].difference', 'Plan B, forskel til gennemsnitstakst') : null),
        cell(''),
      ),
    ];
    return h(
      'div',
      {},
      h('p', { class: 'sammenfatning' }, `Plan B er ${word}.`),
      h(
        'div',
        { class: 'rulle', tabindex: '0', role: 'region', 'aria-labelledby': 'planer-tabel' },
        h(
          'table',
          { class: 'planer-tabel' },
          h('caption', { id: 'planer-tabel' }, 'Plan A og plan B'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('td', {}, ''),
              h('th', { scope: 'col', class: 'tal' }, 'Plan A'),
              h('th', { scope: 'col', class: 'tal' }, 'Plan B'),
              h('th', { scope: 'col', class: 'tal' }, 'Forskel (B − A)'),
            ),
          ),
          h('tbody', {}, rows),
        ),
      ),
    );
  }

  warningList(warnings) {
    if (!warnings.length) return null;
    const seen = new Map();
    for (const w of warnings) {
      const text = danishDates(danish(w));
      if (!seen.has(text)) seen.set(text, 0);
      seen.set(text, seen.get(text) + 1);
    }
    return h(
      'div',
      { class: 'advarsler' },
      h('p', {}, h('strong', {}, 'Bemærk:')),
      h(
        'ul',
        {},
        [...seen.keys()].map((text) => h('li', {}, text)),
      ),
    );
  }

  monthly(q) {
    const flat = new Map((q.comparison ? q.comparison.months : []).map((m) => [m.month, m]));
    const months = q.months || [];
    const cmp = Boolean(q.comparison);
    const chart = this.chart(
      months.map((m) => m.month),
      [{ cls: 'soejle', name: 'Forløbet', values: new Map(months.map((m) => [m.month, m.amount])), years: q.years || [] }],
      cmp ? flat : null,
    );
    const addOns = cmp && hasAddOns(q);
    const rows = months.slice(0, 600).map((m) => {
      const f = flat.get(m.month);
      const cells = [formatKr(m.amount)];
      if (addOns) cells.push(f ? formatKr(f.course) : '–');
      if (cmp) cells.push(f ? formatKr(f.flat) : '–', f ? formatKr(f.difference) : '–');
      return { month: m.month, cells };
    });
    const totals = [formatKr(q.total)];
    if (addOns) totals.push(formatKr(q.comparison.course));
    if (cmp) totals.push(formatKr(q.comparison.flat), formatKr(q.comparison.difference));
    return this.monthBox(addOns ? 'flatAddOns' : cmp ? 'flat' : 'plain', chart, rows, totals, months.length);
  }

  /** Plan A and plan B month by month, and B − A (exact), each month with its "Hvorfor?". */
  monthlyCompare(qa, qb, diff) {
    const years = (q) => q.years || [];
    const chart = this.chart(
      diff.months.map((m) => m.month),
      [
        { cls: 'soejle', name: 'Plan A', values: new Map((qa.months || []).map((m) => [m.month, m.amount])), years: years(qa) },
        { cls: 'soejle-b', name: 'Plan B', values: new Map((qb.months || []).map((m) => [m.month, m.amount])), years: years(qb) },
      ],
      null,
    );
    const rows = diff.months.slice(0, 600).map((m) => ({
      month: m.month,
      cells: [m.a !== undefined ? formatKr(m.a) : '–', m.b !== undefined ? formatKr(m.b) : '–', formatKr(m.difference)],
    }));
    return this.monthBox('ab', chart, rows, [formatKr(qa.total), formatKr(qb.total), formatKr(diff.total)], diff.months.length);
  }

  /**
   * A month table (`MONTH_TABLES[kind]`) in its box, under its title and `chart`: `rows` are
   * `{ month, cells }` (the figures' texts), `totals` the total row's, `count` the months
   * there are (the table shows at most 600). The box, the table and its head stay from one
   * recompute to the next, one set for each kind; so does a month's row, its figures
   * updated in place, also while it is out of the table (a course made shorter and longer
   * again as its length is typed gets its rows back rather than new ones), up to twice the
   * rows shown and a year more.
   */
  monthBox(kind, chart, rows, totals, count) {
    const spec = MONTH_TABLES[kind];
    const shell = ((this.views.monthly ??= {})[kind] ??= this.monthShell(spec));
    if (shell.rows.size > 2 * rows.length + 12) {
      const shown = new Set(rows.map((r) => r.month));
      for (const month of shell.rows.keys()) if (!shown.has(month)) shell.rows.delete(month);
    }
    const body = rows.map((r) => {
      let row = shell.rows.get(r.month);
      if (!row) {
        const name = formatMonth(r.month);
        const cells = spec.columns.map(() => h('td', { class: 'tal' }));
        const [key, label] = spec.why(r.month, name);
        const tr = h('tr', {}, h('th', { scope: 'row' }, name), cells, h('td', { class: 'knap-kolonne' }, this.why(key, label)));
        row = { tr, cells };
        shell.rows.set(r.month, row);
      }
      r.cells.forEach((text, i) => setText(row.cells[i], text));
      return row.tr;
    });
    setChildren(shell.body, body);
    totals.forEach((text, i) => setText(shell.totals[i], text));
    const cut = count > rows.length;
    if (cut) setText(shell.more, `Tabellen viser de første ${rows.length} af ${count} måneder.`);
    return setChildren(shell.box, [shell.title, chart, shell.table, cut ? shell.more : null]);
  }

  /** The lasting elements of a month table of this `spec` (see `monthBox`). */
  monthShell(spec) {
    const body = h('tbody', {});
    const totals = spec.columns.map(() => h('td', { class: 'tal' }));
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col' }, 'Måned'),
      spec.columns.map((c) => h('th', { scope: 'col', class: 'tal' }, c)),
      h('th', { scope: 'col', class: 'knap-kolonne' }, h('span', { class: 'skjult' }, 'Forklaring')),
    );
    const foot = h('tr', { class: 'i-alt' }, h('th', { scope: 'row' }, 'I alt'), totals, h('td', { class: 'knap-kolonne' }, ''));
    return {
      box: h('div', { class: 'maaneder' }),
      title: h(this.hn(2), { id: 'maaneder-titel' }, spec.title),
      table: h(
        'div',
        { class: 'rulle', tabindex: '0', role: 'region', 'aria-labelledby': 'maaneder-tabel' },
        h('table', {}, h('caption', { id: 'maaneder-tabel' }, spec.caption), h('thead', {}, head), body, h('tfoot', {}, foot)),
      ),
      body,
      totals,
      rows: new Map(),
      more: h('p', { class: 'noter' }),
    };
  }

  /**
   * Bars by month (by year beyond five years), one series or two side by side, and the flat
   * average tariff as a line (one series only). `series` is `[{ cls, name, values, years }]`.
   */
  chart(months, series, flat) {
    const byMonth = months.length <= 60;
    let keys;
    if (byMonth) keys = months;
    else keys = [...new Set(series.flatMap((s) => s.years.map((y) => String(y.year))))].sort();
    const valuesOf = (s) => (byMonth ? s.values : new Map(s.years.map((y) => [String(y.year), y.amount])));
    const data = series.map((s) => ({ ...s, map: valuesOf(s) }));
    if (keys.length === 0) return h('p', {}, 'Ingen betalinger.');
    // The highest amount; each amount read in øre once (for the bars' heights too).
    let max = '0';
    let maxOere = 0n;
    const oereOf = new Map();
    const consider = (v) => {
      const oere = toHundredths(v);
      oereOf.set(v, oere);
      if (oere > maxOere) [max, maxOere] = [v, oere];
    };
    const perMille = (v) => perMilleOf(oereOf.get(v) ?? toHundredths(v), maxOere);
    for (const s of data) for (const v of s.map.values()) consider(v);
    const flatAt = (k) => (byMonth && flat ? flat.get(k)?.flat : undefined);
    if (byMonth && flat) for (const k of keys) if (flatAt(k) !== undefined) consider(flatAt(k));
    const W = 640;
    const H = 240;
    const left = 8;
    const top = 22;
    const bottom = 40;
    const plot = H - top - bottom;
    const step = (W - 2 * left) / keys.length;
    const groupW = Math.max(step * 0.7, 1);
    const barW = groupW / data.length;
    const title = byMonth ? 'Diagram: betaling pr. måned' : 'Diagram: betaling pr. år';
    const label = (k) => (byMonth ? formatMonth(k) : k);
    const what = data.length > 1 ? 'plan A og plan B (side om side)' : 'forløbets betaling';
    const desc =
      `Søjler for ${what} ${byMonth ? 'pr. måned' : 'pr. år'} fra ${label(keys[0])} til ${label(keys[keys.length - 1])}; ` +
      sentence(`den højeste er ${formatKr(max)}`) +
      (flat && byMonth ? ' Linjen viser de samme dage til gennemsnitstakst.' : '') +
      ' Tallene står i tabellen.';
    // The chart's elements stay from one recompute to the next (a set for each number of
    // series): the texts, the bars' paths and the labels are updated in place.
    const c = ((this.views.charts ??= {})[data.length] ??= {
      svg: svg('svg', { class: 'diagram', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'diagram-titel diagram-beskrivelse' }),
      title: svg('title', { id: 'diagram-titel' }),
      desc: svg('desc', { id: 'diagram-beskrivelse' }),
      max: svg('text', { x: left, y: 14 }),
      axis: svg('line', { class: 'akse', x1: left, x2: W - left, y1: top + plot, y2: top + plot }),
      labels: [],
      paths: data.map((s) => svg('path', { class: s.cls })),
      line: svg('polyline', { class: 'flad' }),
      dot: svg('circle', { class: 'punkt', r: 4 }),
      legends: new Map(),
    });
    setText(c.title, title);
    setText(c.desc, desc);
    setText(c.max, `højeste: ${formatKr(max)}`);
    const every = Math.ceil(keys.length / 12);
    const points = [];
    // All bars of a series are one path (a closed rectangle per item, "M x,y h w v h h -w Z"):
    // one element however long the course, which keeps a recompute cheap.
    const bars = data.map(() => []);
    // The axis' labels: [x, y, text], drawn with the label elements kept from the last chart.
    const labels = [];
    keys.forEach((key, k) => {
      const x0 = left + k * step + (step - groupW) / 2;
      data.forEach((s, j) => {
        const v = s.map.get(key);
        if (v === undefined) return;
        const x = x0 + j * barW;
        const height = (perMille(v) * plot) / 1000;
        bars[j].push(`M${x.toFixed(2)},${(top + plot - height).toFixed(2)}h${barW.toFixed(2)}v${height.toFixed(2)}h-${barW.toFixed(2)}Z`);
      });
      const f = flatAt(key);
      if (f !== undefined) points.push(`${(x0 + groupW / 2).toFixed(2)},${(top + plot - (perMille(f) * plot) / 1000).toFixed(2)}`);
      if (k % every === 0) {
        const cx = (x0 + groupW / 2).toFixed(2);
        labels.push([cx, top + plot + 16, byMonth ? monthShort(key) : key]);
        if (byMonth && (k === 0 || key.endsWith('-01'))) labels.push([cx, top + plot + 32, key.slice(0, -3)]);
      }
    });
    const texts = labels.map(([x, y, text], i) => {
      const el = (c.labels[i] ??= svg('text', { 'text-anchor': 'middle' }));
      setAttr(el, 'x', x);
      setAttr(el, 'y', String(y));
      return setText(el, text);
    });
    data.forEach((s, j) => setAttr(c.paths[j], 'd', bars[j].join('')));
    let flatMark = null;
    if (points.length > 1) {
      flatMark = setAttr(c.line, 'points', points.join(' '));
    } else if (points.length === 1) {
      const [cx, cy] = points[0].split(',');
      flatMark = setAttr(setAttr(c.dot, 'cx', cx), 'cy', cy);
    }
    setChildren(c.svg, [c.title, c.desc, c.max, c.axis, ...texts, ...c.paths, flatMark]);
    const legendKey = `${data.map((s) => `${s.cls} ${s.name}`).join('\n')}\n${points.length > 0}`;
    const legend = c.legends.get(legendKey) ?? h(
      'ul',
      { class: 'signatur', 'aria-hidden': 'true' },
      data.map((s) => h('li', { class: s.cls === 'soejle' ? 's-forloeb' : 's-plan-b' }, s.name)),
      points.length ? h('li', { class: 's-flad' }, 'Samme dage til gennemsnitstakst') : null,
    );
    c.legends.set(legendKey, legend);
    c.box ??= h('div', { class: 'diagram-boks' });
    return setChildren(c.box, [c.svg, legend]);
  }

  /** The invoice lines, in a closed <details>: the table is built when it is opened. The
   * box stays from one recompute to the next, open or closed as the user left it. A result
   * computed while every box was closed has no lines (`options.lines`): the box opened
   * gets them then, and their number in its name. */
  lineTable(q, k) {
    const two = this.course.plans.length > 1;
    const name = (q) => `Fakturalinjer${two ? `, plan ${'AB'[k]}` : ''}${q.lines ? ` (${q.lines.length})` : ''}`;
    this.linesOpen ??= [false, false];
    const boxes = (this.views.lines ??= []);
    let box = boxes[k];
    if (!box) {
      const summary = h('summary', {});
      const details = h('details', { class: 'linjer' }, summary);
      box = { details, summary, q: null };
      const fill = () => {
        if (details.open && details.childElementCount === 1) details.append(this.lineRows(box.q, k));
      };
      details.addEventListener('toggle', () => {
        this.linesOpen[k] = details.open;
        if (details.open && !box.q.lines) {
          const good = this.good;
          if (this.response && this.response.ok) {
            // Computed while every box was closed: computed again with the lines (the
            // figures of the last `takst-beregnet`, whose response has them already).
            this.recompute({ quiet: true });
          } else if (good && (good.response.courses || [])[k] === box.q) {
            // The result shown while the form has an error: its own lines.
            box.q = this.withLines(good).courses[k];
            setText(box.summary, box.name(box.q));
          }
        }
        fill();
      });
      box.fill = fill;
      boxes[k] = box;
      details.open = this.linesOpen[k];
    }
    box.name = name;
    setText(box.summary, name(q));
    if (box.q !== q) {
      box.q = q;
      // The rows of an earlier result go; an open box gets this result's rows.
      while (box.details.childElementCount > 1) box.details.lastElementChild.remove();
    }
    box.fill();
    return box.details;
  }

  lineRows(q, k) {
    const lines = (q.lines || []).slice(0, 600);
    const names = new Map(this.services().map((s) => [s.id, s.name]));
    const addOnNames = new Map(this.addOns().map((a) => [a.id, a.name || a.id]));
    const plan = this.course.plans.length > 1 ? `, plan ${'AB'[k]}` : '';
    const rows = lines.map((l, j) => {
      const what = l.add_on !== undefined ? `Tillæg: ${addOnNames.get(l.add_on) ?? l.add_on}` : names.get(l.service) ?? l.service;
      return h(
        'tr',
        {},
        h('td', {}, formatMonth(l.month)),
        h('td', {}, `Fase ${l.phase + 1}: ${what}`),
        h('td', {}, `${formatDate(l.from)} – ${formatDate(l.to)}`),
        h('td', { class: 'tal' }, danishNumber(String(l.days))),
        h('td', { class: 'tal' }, lineRate(l)),
        h('td', { class: 'tal' }, formatKr(l.amount)),
        h('td', { class: 'knap-kolonne' }, this.why(`course[${k}].line[${j}]`, `linje ${j + 1}${plan}`)),
      );
    });
    const id = `linjer-tabel-${k}`;
    return h(
      'div',
      { class: 'rulle', tabindex: '0', role: 'region', 'aria-labelledby': id },
      h(
        'table',
        {},
        h(
          'caption',
          { id },
          `Fakturalinjer${plan}: dage × dagstakst, en hel måned til månedstaksten, et tillæg pr. time eller km som antal pr. måned × pris × månedens andel af dagene; afrundet til øre`,
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Måned', 'Ydelse', 'Periode'].map((t) => h('th', { scope: 'col' }, t)),
            ['Dage', 'Takst', 'Beløb'].map((t) => h('th', { scope: 'col', class: 'tal' }, t)),
            h('th', { scope: 'col', class: 'knap-kolonne' }, h('span', { class: 'skjult' }, 'Forklaring')),
          ),
        ),
        h('tbody', {}, rows),
      ),
    );
  }

  // --- keep, share, export: beregner-mere.js ---------------------------------------------

  /**
   * The module with the parts a first result does not need (beregner-mere.js: the saved
   * course, the permalink, the CSV exports, the explanation's tree): imported once, after the
   * first result or when one of them is asked for; again after a failed import.
   */
  more() {
    if (!this.moreLoad) {
      this.moreLoad = import('./beregner-mere.js').then(
        (m) => {
          const retried = this.moreFailed;
          this.moreFailed = false;
          this.mere = m;
          if (retried) this.scheduleLink(); // the link, which waited for it
          return m;
        },
        (e) => {
          this.moreLoad = null;
          this.moreFailed = true;
          throw e;
        },
      );
      this.moreLoad.catch(() => {}); // each caller handles the failure it meets
    }
    return this.moreLoad;
  }

  /** beregner-mere.js's `name` called with the element; if the module cannot be fetched, the
   * status line says so. */
  async withMore(name, ...args) {
    let m;
    try {
      m = await this.more();
    } catch {
      this.lastAnnounced = null; // said again for a second click
      this.announce(LOAD_FAILED);
      return undefined;
    }
    return m[name](this, ...args);
  }

  /** The permalink of the course as it is: this page's address with "#takst=…". */
  async permalink() {
    return (await this.more()).permalink(this);
  }

  /** Keeps the link (and the address bar, when its fragment is empty or the calculator's) in
   * step with the course, a moment after the last change; the first result imports
   * beregner-mere.js, which writes it. */
  scheduleLink() {
    clearTimeout(this.linkTimer);
    // After a failed import the link waits for a user's action to import it again, rather
    // than every recompute asking the network; meanwhile it is no link.
    if (this.moreFailed) {
      this.linkOut.removeAttribute('href');
      return;
    }
    const more = this.more();
    this.linkTimer = setTimeout(
      () =>
        more.then(
          (m) => m.updateLink(this),
          () => this.linkOut.removeAttribute('href'),
        ),
      250,
    );
  }

  copyLink() {
    return this.more().then(
      (m) => m.copyLink(this),
      () => {
        this.copied.textContent = LOAD_FAILED;
      },
    );
  }

  saveFile() {
    return this.withMore('saveFile');
  }

  loadSavedFile(file) {
    return this.withMore('loadSavedFile', file);
  }

  exportCsv(what) {
    return this.withMore('exportCsv', what);
  }

  /** A message next to the field the saved course came from (the file field, or above the form for a link). */
  showLoadMessage(text, invalid, from = 'file') {
    for (const box of [this.loadError, this.savedBox]) {
      box.replaceChildren();
      box.hidden = true;
    }
    this.loadControl.removeAttribute('aria-invalid');
    this.loadControl.removeAttribute('aria-describedby');
    if (!text) return;
    const box = from === 'file' ? this.loadError : this.savedBox;
    box.replaceChildren(from === 'file' ? text : h('p', {}, text));
    box.hidden = false;
    box.classList.toggle('advarsel', !invalid);
    if (from === 'file') {
      if (invalid) this.loadControl.setAttribute('aria-invalid', 'true');
      this.loadControl.setAttribute('aria-describedby', this.loadError.id);
    }
  }

  // --- why does it cost this? -------------------------------------------------------------

  closeExplanation() {
    this.explainKey = null;
    this.explainLoads += 1; // an explanation still loading is not shown
    this.explainBox.replaceChildren();
    this.explainBox.hidden = true;
  }

  /** The explanation of the result on the screen (the last one that could be computed). */
  explainedResponse() {
    if (!this.good) return null;
    if (!this.explained) {
      this.explained = JSON.parse(evaluateJson(this.requestText(this.good.parts, true)));
    }
    return this.explained;
  }

  explain(key, focus, from) {
    if (moduleKind() === 'figures' || !this.mere) {
      this.explainLater(key, focus, from);
      return;
    }
    if (from) this.explainFrom = key;
    const r = this.explainedResponse();
    const node = r && r.ok ? this.mere.figureFor(this, r, key) : undefined;
    if (!node) {
      this.closeExplanation();
      return;
    }
    this.explainKey = key;
    const heading = h(this.hn(2), { id: 'forklaring-titel', tabindex: '-1' }, 'Hvorfor koster det dette? ', h('span', {}, danishDates(node.label)));
    const back = h(
      'button',
      {
        type: 'button',
        class: 'lille',
        onclick: () => {
          const k = this.explainFrom;
          this.closeExplanation();
          const btn = [...this.shadowRoot.querySelectorAll('button[data-forklar]')].find((b) => b.dataset.forklar === k);
          if (btn) btn.focus();
        },
      },
      'Luk forklaringen',
    );
    this.explainBox.replaceChildren(
      heading,
      h('p', { class: 'noter' }, 'Hvert tal er regnet ud af tallene under det. Åbn et tal for at se, hvor det kommer fra.'),
      h('ul', {}, this.mere.explainNode(this, node, 0)),
      back,
    );
    this.explainBox.hidden = false;
    if (focus) heading.focus();
  }

  /**
   * Starts the module with the explanation, and imports beregner-mere.js, ahead of the first
   * "Hvorfor?", once. If that fails, a pointer or the focus does not try again (no request on
   * every hover); a click does, and says so if it fails too.
   */
  prepareExplanation() {
    if (this.explainPrepared) return;
    this.explainPrepared = true;
    this.more().catch(() => {});
    if (moduleKind() === 'figures') this.startExplaining().catch(() => {});
  }

  /** Starts the module with the explanation (`wasm-forklaring`, default takst_beregner_bg.wasm beside takst.js). */
  startExplaining() {
    return initCalculator(this.getAttribute('wasm-forklaring') || undefined);
  }

  /**
   * The first explanation asked for: the first module computes the figures only, so the module
   * with the explanation (`wasm-forklaring`, default takst_beregner_bg.wasm beside takst.js)
   * is started first, which replaces it, and beregner-mere.js, which draws the explanation,
   * imported if it is not yet; the box says so meanwhile. Only the last one asked for is shown.
   */
  explainLater(key, focus, from) {
    const asked = ++this.explainLoads;
    // Closable while it loads, and when it failed: the box never stays without a way out.
    const close = () =>
      h('button', { type: 'button', class: 'lille', onclick: () => this.closeExplanation() }, 'Luk forklaringen');
    this.explainBox.replaceChildren(h('p', { class: 'noter', role: 'status' }, 'Henter forklaringen …'), close());
    this.explainBox.hidden = false;
    Promise.all([moduleKind() === 'figures' ? this.startExplaining() : null, this.more()]).then(
      () => {
        if (asked !== this.explainLoads) return;
        // The focus goes to the explanation only if the user has not moved on meanwhile
        // (typing in a field while the module loads): it stays on the button that asked, or
        // was let go when a recompute rebuilt the results.
        const active = this.shadowRoot.activeElement;
        const stayed = active ? active.dataset?.forklar === key : document.activeElement === document.body;
        this.explain(key, focus && stayed, from);
      },
      () => {
        if (asked !== this.explainLoads) return;
        this.explainBox.replaceChildren(
          h('p', { class: 'fejl', role: 'alert' }, 'Forklaringen kunne ikke hentes. Prøv igen senere; hvis fejlen bliver ved, så kontakt webstedet.'),
          close(),
        );
      },
    );
  }

  /** "døgn" for a residential offer's tariffs, "dag" for a day offer's (the sheet's kind). */
  dayWord() {
    return this.sheet && this.sheet.offer && this.sheet.offer.kind === 'residential' ? 'døgn' : 'dag';
  }

}

if (!customElements.get('takst-beregner')) customElements.define('takst-beregner', TakstBeregner);
