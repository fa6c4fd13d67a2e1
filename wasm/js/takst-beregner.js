// <takst-beregner src="takster.json">: a course price calculator for a municipality's page.
//
// It fetches a provider's published tariff sheet (the `src` attribute), lets the user build a
// citizen's course from the sheet's services (phases with durations, a start date, add-ons,
// a price and wage index), and shows what the takst core computes: the total, the monthly
// payments (table and SVG chart), the comparison with the flat average tariff and, for any
// figure, why it costs what it does (the explanation graph).
//
// Everything runs in the browser. The element holds no pricing rule: it builds a request,
// calls takst's `evaluate`, and shows the response. Every string from the tariff file or
// from an error message is put into the page as text (textContent, createTextNode), never
// as HTML. No inline script or style: styles are a constructed stylesheet.

import { init, isReady, readSheets, evaluateJson, findNode, inputsOf } from './takst.js';
import {
  danishNumber,
  formatKr,
  formatDate,
  formatMonth,
  monthShort,
  roundText,
  perMille,
  toHundredths,
  days as dayCount,
} from './format.js';
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
function h(tag, attrs, ...children) {
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

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
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

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** The user's text for a whole-number field: its own text when it is a JSON number (the core
 * says if it is not a whole number or too large), else the text as a string (the core says
 * what is wrong with it). */
function numberField(text) {
  const t = text.trim();
  return JSON_NUMBER.test(t) ? new Raw(t) : t;
}

/** A decimal typed the Danish way ("6,5") as the core's decimal text ("6.5"). */
function decimalText(text) {
  const t = text.trim();
  return /^-?\d+,\d+$/.test(t) ? t.replace(',', '.') : t;
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

// Danish words for what the core computes; presentation only.
const UNITS = {
  kr: 'kr.',
  kr_per_day: 'kr. pr. dag',
  kr_per_month: 'kr. pr. måned',
  kr_per_year: 'kr. pr. år',
  kr_per_hour: 'kr. pr. time',
  kr_per_km: 'kr. pr. km',
  kr_per_day_per_weekly_hour: 'kr. pr. dag pr. ugentlig time',
  days: 'dage',
  places: 'pladser',
  citizens: 'borgere',
  percent: '%',
  ratio: '',
  hours_per_week: 'timer pr. uge',
  day_hours: 'timer pr. dag',
  number: '',
};

const MODES = {
  half_away_from_zero: 'halvt op (væk fra nul)',
  half_even: 'halvt til lige',
  half_toward_zero: 'halvt ned (mod nul)',
  up: 'op (væk fra nul)',
  down: 'ned (mod nul)',
  ceiling: 'op',
  floor: 'ned',
};

const ADD_ON_UNITS = { hour: 'time', km: 'km', day: 'dag' };

// What a problem in the tariff file means, in Danish, by the core's stable error code.
const FILE_PROBLEMS = {
  syntax: 'Filen er ikke gyldig JSON',
  unknown_field: 'Et felt, som formatet ikke kender',
  missing_field: 'Et felt mangler',
  invalid_type: 'Et felt har en forkert type',
  invalid_value: 'En værdi er ikke tilladt',
  invalid_number: 'Et tal kan ikke læses',
  unsupported_version: 'Filen er i en version af formatet, som beregneren ikke kender',
  negative: 'En værdi er negativ',
  not_positive: 'En værdi skal være større end nul',
  out_of_range: 'En værdi er uden for det mulige',
  duplicate_id: 'Det samme id står to gange',
  unknown_reference: 'Der henvises til en ydelse, som ikke findes',
  missing_value: 'En værdi mangler',
  conflict: 'To felter udelukker hinanden',
  overflow: 'Et tal er for stort til at regne med',
  division_by_zero: 'Et tal ville kræve division med nul',
  duplicate_key: 'Et felt står to gange',
  limit_exceeded: 'Filen er større, end beregneren tillader',
  internal: 'Beregneren fejlede uventet',
};

const WARNINGS = {
  tariff_year_unknown:
    'Forløbet rækker ind i et år, som takstfilen ikke har takster for. Dagene er prissat med taksten fra det nærmeste år; angiv en PL-fremskrivning for at fremskrive taksterne.',
  no_average_tariff: 'Takstfilen har ingen gennemsnitstakst, så forløbet kan ikke sammenlignes med den.',
  zero_tariff: 'En takst i takstfilen er 0 kr.',
  no_month_tariff: 'En ydelse har ingen månedstakst; måneden er afregnet pr. dag.',
};

/** The field a problem's path belongs to. */
function fieldOf(path) {
  let m;
  if (path === 'catalogue' || path.startsWith('catalogue.') || path.startsWith('catalogue[')) return 'file';
  if (/^courses\[0\]\.start/.test(path)) return 'start';
  if ((m = /^courses\[0\]\.phases\[(\d+)\]\.add_ons\[(\d+)\]\.id/.exec(path))) return `p${m[1]}.a${m[2]}.id`;
  if ((m = /^courses\[0\]\.phases\[(\d+)\]\.add_ons\[(\d+)\]/.exec(path))) return `p${m[1]}.a${m[2]}.qty`;
  if ((m = /^courses\[0\]\.phases\[(\d+)\]\.(service|package)/.exec(path))) return `p${m[1]}.service`;
  if ((m = /^courses\[0\]\.phases\[(\d+)\]/.exec(path))) return `p${m[1]}.duration`;
  if (/^courses\[0\]\.phases$/.test(path)) return 'phases';
  if (path.startsWith('index')) return 'pl';
  return 'general';
}

/** The years the core prices, as its message states them ("… (1900–2200)"). */
function years(e) {
  const m = /\((\d{4})–(\d{4})\)/.exec((e && e.message) || '');
  return m ? `mellem år ${m[1]} og ${m[2]}` : 'inden for de år, beregneren kan prise';
}

/** A clear Danish message for a problem at a field. */
function message(field, e, phase) {
  const c = e.code;
  if (field === 'start') {
    if (c === 'missing_field' || c === 'invalid_value' || c === 'invalid_type') return 'Angiv en gyldig startdato.';
    return `Startdatoen skal ligge ${years(e)}.`;
  }
  if (field.endsWith('.duration')) {
    const until = phase && phase.unit === 'until';
    if (c === 'missing_value' || c === 'missing_field') {
      return until ? 'Angiv fasens slutdato.' : 'Angiv fasens varighed.';
    }
    if (until) {
      if (c === 'out_of_range') {
        // At the date itself: before the phase starts; at the phase: outside the years priced.
        return /\.until$/.test(e.path || '') ? 'Slutdatoen ligger før fasens start.' : `Forløbet skal ligge ${years(e)}.`;
      }
      return 'Angiv en gyldig slutdato.';
    }
    if (c === 'not_positive') return 'Varigheden skal være mindst 1.';
    if (c === 'invalid_type' || c === 'invalid_value' || c === 'invalid_number') {
      return 'Skriv varigheden som et helt tal, f.eks. 5.';
    }
    if (c === 'out_of_range') {
      return `Varigheden er for lang: forløbet skal ligge ${years(e)}.`;
    }
    return 'Varigheden kan ikke bruges.';
  }
  if (field.endsWith('.service')) {
    if (c === 'unknown_reference') return 'Ydelsen findes ikke i takstfilen. Vælg en anden ydelse.';
    return 'Vælg en ydelse fra takstfilen.';
  }
  if (field.endsWith('.id')) {
    if (c === 'unknown_reference') return 'Tillægget findes ikke i takstfilen.';
    return 'Vælg et tillæg fra takstfilen.';
  }
  if (field.endsWith('.qty')) {
    if (c === 'missing_value' || c === 'missing_field') return 'Angiv antal pr. måned.';
    if (c === 'negative') return 'Antallet må ikke være negativt.';
    if (c === 'invalid_number' || c === 'invalid_type') return 'Skriv antallet som et tal, f.eks. 6 eller 6,5.';
    if (c === 'overflow') return 'Antallet er for stort til at regne med.';
    return 'Antallet kan ikke bruges.';
  }
  if (field === 'pl') {
    if (c === 'invalid_number' || c === 'invalid_type') return 'Skriv PL-satsen som et tal i procent, f.eks. 1,96.';
    if (c === 'out_of_range') return 'PL-satsen skal være større end -100 %.';
    return 'PL-satsen kan ikke bruges.';
  }
  if (field === 'phases') return 'Forløbet skal have mindst én fase.';
  if (c === 'overflow') return 'Et beløb bliver for stort til at regne med. Tjek antal og takster.';
  if (c === 'limit_exceeded') return 'Forløbet er for stort til beregneren.';
  return FILE_PROBLEMS[c] ? `${FILE_PROBLEMS[c]}.` : 'Prisen kan ikke beregnes.';
}

function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

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
    this.lastAnnounced = '';
    this.headingLevel = null;
    /** The month table's rows of the last result, by their content: a recompute that leaves a
     * month's figures unchanged keeps its row instead of building it again. */
    this.monthRows = new Map();
    this.build();
  }

  connectedCallback() {
    if (!this.started) {
      this.started = true;
      // `heading-level` may have been set after the element was created: build again with it.
      if (this.getAttribute('heading-level') !== this.headingLevel) this.build();
      this.load();
    }
  }

  attributeChangedCallback(name, before, after) {
    if (name === 'src' && this.started && before !== after) this.load();
  }

  // --- the skeleton -----------------------------------------------------------------------

  build() {
    this.headingLevel = this.getAttribute('heading-level');
    const level = Math.min(Math.max(Number(this.getAttribute('heading-level')) || 2, 1), 5);
    this.hn = (n) => `h${Math.min(level + n, 6)}`;
    this.heading = h(this.hn(0), { id: 'titel' }, 'Beregn prisen på et forløb');
    this.offerLine = h('p', { class: 'tilbud' }, 'Henter takstfilen …');
    this.fileBox = h('div', { class: 'fejlboks', id: 'fil-fejl', hidden: true });
    this.form = h('form', { novalidate: true, 'aria-labelledby': 'titel', hidden: true, onsubmit: (e) => e.preventDefault() });
    this.generalBox = h('div', { class: 'fejlboks', id: 'generel-fejl', hidden: true });
    this.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.results = h('div', {
      class: 'tal-og-tabeller',
      onclick: (e) => {
        const button = e.target.closest('button[data-forklar]');
        if (button) this.explain(button.dataset.forklar, true, button);
      },
    });
    this.explainBox = h('section', { class: 'forklaring', 'aria-labelledby': 'forklaring-titel', hidden: true });
    this.resultSection = h(
      'section',
      { class: 'resultat', 'aria-labelledby': 'resultat-titel', hidden: true },
      h(this.hn(1), { id: 'resultat-titel' }, 'Resultat'),
      this.status,
      this.generalBox,
      this.results,
      this.explainBox,
    );
    this.root = h('div', { class: 'takst', lang: 'da' }, this.heading, this.offerLine, this.fileBox, this.form, this.resultSection);
    this.shadowRoot.replaceChildren(this.root);
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
    try {
      await init(this.getAttribute('wasm') || undefined);
    } catch (e) {
      this.fileFailed('Beregneren kunne ikke starte i denne browser.', e && e.message);
      return;
    }
    let text;
    try {
      // A newer src cancels the fetch of an older one.
      this.fetching?.abort();
      this.fetching = new AbortController();
      const res = await fetch(new URL(src, document.baseURI), { credentials: 'same-origin', signal: this.fetching.signal });
      if (!res.ok) {
        if (load === this.loads) this.fileFailed(`Takstfilen kunne ikke hentes (HTTP-status ${res.status}).`);
        return;
      }
      text = await res.text();
    } catch (e) {
      if (load === this.loads) this.fileFailed('Takstfilen kunne ikke hentes.', e && e.message);
      return;
    }
    if (load !== this.loads) return; // a newer src is on its way
    try {
      this.useFile(text);
    } catch (e) {
      this.fileFailed('Takstfilen kunne ikke læses.', (e && e.message) || String(e));
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
      this.dispatch();
      return;
    }
    // One sheet, or several offers in one file: the user picks the offer.
    this.sheets = reads.map((r) => r.sheet);
    this.useSheet(this.offer < this.sheets.length ? this.offer : 0);
    this.course ??= this.defaultCourse();
    this.renderForm();
    this.form.hidden = false;
    this.resultSection.hidden = false;
    this.recompute();
  }

  fileFailed(text, detail) {
    this.sheet = null;
    this.offerLine.textContent = 'Takstfilen kan ikke bruges.';
    this.fileBox.replaceChildren(h('p', {}, text, detail ? h('span', { class: 'detalje', lang: 'en' }, detail) : null));
    this.fileBox.hidden = false;
    this.form.hidden = true;
    this.resultSection.hidden = true;
    this.dispatch();
  }

  showFileProblems(errors) {
    if (!errors || errors.length === 0) {
      this.fileBox.replaceChildren();
      this.fileBox.hidden = true;
      return;
    }
    const items = errors.slice(0, 20).map((e) => {
      const where = [];
      if (e.line) where.push(`linje ${e.line}, kolonne ${e.column}`);
      if (e.path) where.push(`felt ${e.path}`);
      return h(
        'li',
        {},
        FILE_PROBLEMS[e.code] ?? 'Takstfilen kan ikke bruges',
        where.length ? ` (${where.join('; ')})` : '',
        '.',
        h('span', { class: 'detalje', lang: 'en' }, e.message),
      );
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
    return { start, pl: '', phases: [this.newPhase(first ? first.id : '')] };
  }

  newPhase(service) {
    return { service, unit: 'months', amount: '3', until: '', addOns: [] };
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
      const select = h('select', {
        onchange: (e) => {
          this.useSheet(Number(e.target.value));
          c.phases = this.defaultCourse().phases;
          this.renderForm('offer');
          this.recompute();
        },
      });
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
    const phases = h('ol', { class: 'faser' }, c.phases.map((p, i) => this.renderPhase(p, i)));
    const phasesError = h('p', { class: 'fejl', id: 'f-phases-fejl', hidden: true });
    this.field('phases', null, phasesError);
    const addPhase = h(
      'button',
      {
        type: 'button',
        id: 'tilfoej-fase',
        onclick: () => {
          const services = this.services();
          const last = c.phases[c.phases.length - 1];
          const at = services.findIndex((s) => s.id === (last && last.service));
          const next = services[Math.min(at + 1, services.length - 1)] || services[0];
          c.phases.push(this.newPhase(next ? next.id : ''));
          this.renderForm(`p${c.phases.length - 1}.service`);
          this.recompute();
        },
      },
      'Tilføj fase',
    );
    this.form.replaceChildren(
      general,
      h(this.hn(1), { class: 'skjult', id: 'faser-titel' }, 'Faser'),
      phases,
      phasesError,
      h('div', { class: 'knapper' }, addPhase),
    );
    const target = focusKey === 'add-phase' ? addPhase : this.fields.get(focusKey)?.control;
    if (target) target.focus();
  }

  renderPhase(p, i) {
    const c = this.course;
    const services = this.services();
    const service = h('select', { onchange: (e) => this.set(() => (p.service = e.target.value)) });
    for (const s of services) {
      const label = s.day !== undefined ? `${s.name} (${formatKr(s.day)} pr. dag)` : s.name;
      service.append(h('option', { value: s.id }, label));
    }
    if (!services.some((s) => s.id === p.service)) {
      // A service the file does not have (e.g. after the file changed): kept, so the core
      // says so next to the field, until the user picks another.
      service.append(h('option', { value: p.service }, `Ukendt ydelse: ${p.service}`));
    }
    service.value = p.service;

    const unit = h(
      'select',
      {
        onchange: (e) => {
          p.unit = e.target.value;
          this.renderForm(`p${i}.unit`);
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
      this.labelled(`p${i}.service`, 'Ydelse', service),
      this.labelled(`p${i}.duration`, p.unit === 'until' ? 'Til og med' : 'Varighed', amount, { narrow: true }),
      this.labelled(`p${i}.unit`, 'Enhed', unit, { narrow: true }),
    );

    const addOns = h('ul', { class: 'tillaeg' }, p.addOns.map((a, j) => this.renderAddOn(p, i, a, j)));
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
              this.renderForm(`p${i}.a${p.addOns.length - 1}.id`);
              this.recompute();
            },
          },
          'Tilføj tillæg',
          h('span', { class: 'skjult' }, ` til fase ${n}`),
        ),
      );
    }
    if (c.phases.length > 1) {
      buttons.append(
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              c.phases.splice(i, 1);
              this.renderForm('add-phase');
              this.recompute();
            },
          },
          'Fjern fase',
          h('span', { class: 'skjult' }, ` ${n}`),
        ),
      );
    }
    return h('li', {}, h('fieldset', {}, h('legend', {}, `Fase ${n}`), fields, addOns, buttons));
  }

  renderAddOn(p, i, a, j) {
    const list = this.addOns();
    const current = list.find((x) => x.id === a.id);
    const select = h('select', {
      onchange: (e) => {
        a.id = e.target.value;
        const chosen = list.find((x) => x.id === a.id);
        if (chosen && chosen.unit !== 'day' && a.qty === '') a.qty = '1';
        this.renderForm(`p${i}.a${j}.id`);
        this.recompute();
      },
    });
    for (const x of list) {
      const unit = ADD_ON_UNITS[x.unit] ?? x.unit;
      select.append(h('option', { value: x.id }, `${x.name || x.id} (${formatKr(x.price)} pr. ${unit})`));
    }
    if (!current) select.append(h('option', { value: a.id }, `Ukendt tillæg: ${a.id}`));
    select.value = a.id;
    const parts = [this.labelled(`p${i}.a${j}.id`, `Tillæg ${j + 1}`, select)];
    if (!current || current.unit !== 'day') {
      const qty = h('input', {
        type: 'text',
        inputmode: 'decimal',
        autocomplete: 'off',
        value: a.qty,
        oninput: (e) => this.set(() => (a.qty = e.target.value)),
      });
      const what = current && current.unit === 'km' ? 'Antal km pr. måned' : 'Antal timer pr. måned';
      parts.push(this.labelled(`p${i}.a${j}.qty`, what, qty, { narrow: true }));
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
          this.renderForm(p.addOns.length ? `p${i}.a${Math.max(j - 1, 0)}.id` : `p${i}.service`);
          this.recompute();
        },
      },
      'Fjern tillæg',
      h('span', { class: 'skjult' }, ` ${j + 1} i fase ${i + 1}`),
    );
    return h('li', {}, h('div', { class: 'felter' }, parts), h('div', { class: 'knapper' }, remove));
  }

  /** Applies a change from an input and recomputes (at once: a recompute takes about a millisecond). */
  set(change) {
    change();
    this.recompute();
  }

  // --- the request ------------------------------------------------------------------------

  requestParts() {
    const c = this.course;
    const phases = c.phases.map((p) => {
      const phase = { service: p.service };
      if (p.unit === 'until') {
        if (p.until !== '') phase.until = p.until;
      } else if (p.amount.trim() !== '') {
        phase[p.unit] = numberField(p.amount);
      }
      if (p.addOns.length) {
        phase.add_ons = p.addOns.map((a) => {
          const x = this.addOns().find((y) => y.id === a.id);
          const use = { id: a.id };
          if (!x || x.unit !== 'day') {
            if (a.qty.trim() !== '') use.quantity_per_month = decimalText(a.qty);
          }
          return use;
        });
      }
      return phase;
    });
    const course = { start: c.start, phases };
    let index;
    if (c.pl.trim() !== '') {
      // The same yearly rate for the years after the sheet's (as far as a course may reach).
      const from = Number(this.sheet.offer && this.sheet.offer.year) || 0;
      const pct = decimalText(c.pl);
      index = { rates_pct: Array.from({ length: 50 }, (_, k) => ({ year: new Raw(String(from + 1 + k)), pct })) };
    }
    return { course, index };
  }

  // --- computing and showing --------------------------------------------------------------

  recompute() {
    if (!this.sheet) return;
    try {
      // With an explanation open, one call computes the figures and their explanation.
      const explain = Boolean(this.explainKey);
      const t0 = performance.now();
      const { request, response } = this.price(explain);
      const t1 = performance.now();
      this.request = request;
      this.response = response;
      this.explained = explain ? response : null;
      this.show(response);
      const t2 = performance.now();
      this.timings.push({ evaluate: t1 - t0, total: t2 - t0 });
      if (this.timings.length > 2000) this.timings.splice(0, 1000);
      this.dispatch();
      this.restartAfterInternal(response);
    } catch (e) {
      this.unexpected(e);
    }
  }

  /** The request for the current form and its response: `{ request, response }`. */
  price(explain) {
    const { course, index } = this.requestParts();
    const rest = toJson({ courses: [course], index, options: { explain } });
    const request = `{"version":1,"catalogue":${this.sheetText},${rest.slice(1)}`;
    return { request, response: JSON.parse(evaluateJson(request)) };
  }

  /** After an internal error the module is stopped: start a fresh one and price again, once
   * for the same request (so a request that fails again is not retried for ever). */
  restartAfterInternal(response) {
    if (isReady() || !(response.errors || []).some((e) => e.code === 'internal')) return;
    if (this.request === this.restartedFor) return;
    this.restartedFor = this.request;
    init(this.getAttribute('wasm') || undefined).then(
      () => this.recompute(),
      (e) => this.unexpected(e),
    );
  }

  /** A JS exception (never expected): say so in Danish instead of leaving a stale page. */
  unexpected(e) {
    this.form.hidden = !this.sheet;
    this.resultSection.hidden = false;
    this.results.replaceChildren();
    this.closeExplanation();
    this.generalBox.replaceChildren(
      h('p', {}, 'Beregneren fejlede uventet. Prøv igen, eller genindlæs siden.', h('span', { class: 'detalje', lang: 'en' }, String((e && e.message) || e))),
    );
    this.generalBox.hidden = false;
    this.announce('Beregneren fejlede uventet.');
  }

  dispatch() {
    this.dispatchEvent(
      new CustomEvent('takst-beregnet', { bubbles: true, composed: true, detail: { response: this.response, request: this.request } }),
    );
  }

  clearErrors() {
    for (const { control, error } of this.fields.values()) {
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
    this.generalBox.replaceChildren();
    this.generalBox.hidden = true;
  }

  /** Shows each problem next to its field; returns how many places show a message. */
  showErrors(errors) {
    const general = [];
    const fileErrors = [];
    let shown = 0;
    for (const e of errors) {
      const key = fieldOf(e.path || '');
      if (key === 'file') {
        fileErrors.push({ ...e, path: e.path.replace(/^catalogue\.?/, '') });
        continue;
      }
      const slot = this.fields.get(key);
      if (!slot) {
        general.push(e);
        continue;
      }
      if (!slot.error.hidden) continue; // one message per field
      const phase = /^p(\d+)\./.exec(key);
      slot.error.replaceChildren(document.createTextNode(message(key, e, phase ? this.course.phases[Number(phase[1])] : null)));
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
      this.generalBox.replaceChildren(
        h(
          'ul',
          {},
          general.slice(0, 10).map((e) =>
            h('li', {}, message('general', e), h('span', { class: 'detalje', lang: 'en' }, e.message)),
          ),
        ),
      );
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
    if (!r.ok) {
      const n = this.showErrors(r.errors || []);
      this.results.replaceChildren();
      this.closeExplanation();
      this.announce(
        n <= 1 ? 'Prisen kan ikke beregnes: ret den markerede fejl.' : `Prisen kan ikke beregnes: ret de ${n} markerede fejl.`,
      );
      return;
    }
    const q = r.courses && r.courses[0];
    if (!q) {
      this.results.replaceChildren();
      this.announce('Der er intet forløb at beregne.');
      return;
    }
    const first = q.schedule && q.schedule[0];
    const last = q.schedule && q.schedule[q.schedule.length - 1];
    const period = first && last ? `${formatDate(first.from)} – ${formatDate(last.to)}` : '';
    this.announce(`Forløbet koster i alt ${formatKr(q.total)} for ${dayCount(q.days)}${period ? `, ${period}` : ''}.`);
    const parts = [this.keyFigures(q, period), this.warningList(r.warnings || []), this.monthly(q), this.lineTable(q)];
    this.results.replaceChildren(...parts.filter(Boolean));
    if (this.explainKey) this.explain(this.explainKey, false);
  }

  /** A "Hvorfor?" button for the figure with this key (one listener on the results handles them all). */
  why(key, label) {
    return h('button', { type: 'button', class: 'lille', 'data-forklar': key }, 'Hvorfor?', h('span', { class: 'skjult' }, ` ${label}`));
  }

  keyFigures(q, period) {
    const rows = [
      ['Periode', period || '–', null],
      ['Fakturerede dage', danishNumber(String(q.days)), null],
      ['Forløbets pris i alt', formatKr(q.total), this.why('course[0].total', 'Forløbets pris i alt')],
    ];
    if (q.comparison) {
      const d = q.comparison.difference;
      const word = d.startsWith('-') ? 'billigere end gennemsnitstaksten' : d === '0' || /^0(\.0+)?$/.test(d) ? 'det samme som gennemsnitstaksten' : 'dyrere end gennemsnitstaksten';
      rows.push(['Samme dage til gennemsnitstakst', formatKr(q.comparison.flat), this.why('course[0].flat', 'Samme dage til gennemsnitstakst')]);
      rows.push([
        'Forskel',
        `${formatKr(d.replace(/^-/, ''))} ${word}`,
        this.why('course[0].difference', 'Forskel'),
      ]);
    }
    if (q.years && q.years.length > 1) {
      for (const y of q.years) rows.push([`Heraf ${y.year}`, formatKr(y.amount), this.why(`course[0].year.${y.year}`, `Heraf ${y.year}`)]);
    }
    return h(
      'dl',
      { class: 'tal' },
      rows.map(([t, v, b]) => [h('dt', {}, t), h('dd', {}, h('span', {}, v), b)]),
    );
  }

  warningList(warnings) {
    if (!warnings.length) return null;
    const seen = new Map();
    for (const w of warnings) {
      const text = WARNINGS[w.code] ?? null;
      const key = text ?? w.message;
      if (!seen.has(key)) seen.set(key, { text, message: w.message, n: 0 });
      seen.get(key).n++;
    }
    return h(
      'div',
      { class: 'advarsler' },
      h('p', {}, h('strong', {}, 'Bemærk:')),
      h(
        'ul',
        {},
        [...seen.values()].map((w) =>
          h('li', {}, w.text ?? 'Beregningen har en advarsel.', h('span', { class: 'detalje', lang: 'en' }, w.message)),
        ),
      ),
    );
  }

  monthly(q) {
    const flat = new Map((q.comparison ? q.comparison.months : []).map((m) => [m.month, m]));
    const months = q.months || [];
    const box = h('div', {});
    box.append(h(this.hn(2), { id: 'maaneder-titel' }, 'Månedlige betalinger'));
    box.append(this.chart(q, flat));
    const shown = months.slice(0, 600);
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col' }, 'Måned'),
      h('th', { scope: 'col', class: 'tal' }, 'Forløb'),
      q.comparison ? h('th', { scope: 'col', class: 'tal' }, 'Gennemsnitstakst') : null,
      q.comparison ? h('th', { scope: 'col', class: 'tal' }, 'Forskel') : null,
      h('th', { scope: 'col' }, h('span', { class: 'skjult' }, 'Forklaring')),
    );
    const rows = new Map();
    const body = shown.map((m) => {
      const f = flat.get(m.month);
      const key = q.comparison ? `${m.month} ${m.amount} ${f ? `${f.flat} ${f.difference}` : '-'}` : `${m.month} ${m.amount}`;
      let row = this.monthRows.get(key);
      if (!row) {
        const name = formatMonth(m.month);
        row = h(
          'tr',
          {},
          h('th', { scope: 'row' }, name),
          h('td', { class: 'tal' }, formatKr(m.amount)),
          q.comparison ? h('td', { class: 'tal' }, f ? formatKr(f.flat) : '–') : null,
          q.comparison ? h('td', { class: 'tal' }, f ? formatKr(f.difference) : '–') : null,
          h('td', {}, this.why(`course[0].month.${m.month}`, name)),
        );
      }
      rows.set(key, row);
      return row;
    });
    this.monthRows = rows;
    box.append(
      h(
        'div',
        { class: 'rulle', tabindex: '0', role: 'region', 'aria-labelledby': 'maaneder-tabel' },
        h(
          'table',
          {},
          h('caption', { id: 'maaneder-tabel' }, 'Betaling pr. måned'),
          h('thead', {}, head),
          h('tbody', {}, body),
        ),
      ),
    );
    if (months.length > shown.length) {
      box.append(h('p', { class: 'noter' }, `Tabellen viser de første ${shown.length} af ${months.length} måneder.`));
    }
    return box;
  }

  chart(q, flat) {
    // Monthly bars for courses up to five years; yearly bars beyond.
    const byMonth = (q.months || []).length <= 60;
    const items = byMonth
      ? (q.months || []).map((m) => ({ key: m.month, amount: m.amount, flat: flat.get(m.month)?.flat, label: monthShort(m.month), year: m.month.slice(0, -3) }))
      : (q.years || []).map((y) => ({ key: String(y.year), amount: y.amount, flat: undefined, label: String(y.year) }));
    if (items.length === 0) return h('p', {}, 'Ingen betalinger.');
    let max = items[0].amount;
    const bigger = (a, b) => (toHundredths(a) > toHundredths(b) ? a : b);
    for (const it of items) {
      max = bigger(it.amount, max);
      if (it.flat !== undefined) max = bigger(it.flat, max);
    }
    const W = 640;
    const H = 240;
    const left = 8;
    const top = 22;
    const bottom = 40;
    const plot = H - top - bottom;
    const step = (W - 2 * left) / items.length;
    const barW = Math.max(step * 0.7, 1);
    const title = byMonth ? 'Diagram: betaling pr. måned' : 'Diagram: betaling pr. år';
    const first = items[0];
    const lastItem = items[items.length - 1];
    const desc = `Søjler for forløbets betaling ${byMonth ? 'pr. måned' : 'pr. år'} fra ${byMonth ? formatMonth(first.key) : first.key} til ${byMonth ? formatMonth(lastItem.key) : lastItem.key}; den højeste er ${formatKr(max)}.${byMonth && q.comparison ? ' Linjen viser de samme dage til gennemsnitstakst.' : ''} Tallene står i tabellen.`;
    const chart = svg(
      'svg',
      { class: 'diagram', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'diagram-titel diagram-beskrivelse' },
      svg('title', { id: 'diagram-titel' }, title),
      svg('desc', { id: 'diagram-beskrivelse' }, desc),
      svg('text', { x: left, y: 14 }, `højeste: ${formatKr(max)}`),
      svg('line', { class: 'akse', x1: left, x2: W - left, y1: top + plot, y2: top + plot }),
    );
    const every = Math.ceil(items.length / 12);
    const points = [];
    // All bars are one path (a closed rectangle per item, "M x,y h w v h h -w Z"): one
    // element however long the course, which keeps a recompute cheap.
    const bars = [];
    items.forEach((it, k) => {
      const x = left + k * step + (step - barW) / 2;
      const height = (perMille(it.amount, max) * plot) / 1000;
      bars.push(`M${x.toFixed(2)},${(top + plot - height).toFixed(2)}h${barW.toFixed(2)}v${height.toFixed(2)}h-${barW.toFixed(2)}Z`);
      if (it.flat !== undefined) {
        points.push(`${(x + barW / 2).toFixed(2)},${(top + plot - (perMille(it.flat, max) * plot) / 1000).toFixed(2)}`);
      }
      if (k % every === 0) {
        chart.append(svg('text', { x: (x + barW / 2).toFixed(2), y: top + plot + 16, 'text-anchor': 'middle' }, it.label));
        if (byMonth && (k === 0 || it.key.endsWith('-01'))) {
          chart.append(svg('text', { x: (x + barW / 2).toFixed(2), y: top + plot + 32, 'text-anchor': 'middle' }, it.year));
        }
      }
    });
    chart.append(svg('path', { class: 'soejle', d: bars.join('') }));
    if (points.length > 1) {
      chart.append(svg('polyline', { class: 'flad', points: points.join(' ') }));
    } else if (points.length === 1) {
      const [cx, cy] = points[0].split(',');
      chart.append(svg('circle', { class: 'punkt', cx, cy, r: 4 }));
    }
    const legend = h(
      'ul',
      { class: 'signatur', 'aria-hidden': 'true' },
      h('li', { class: 's-forloeb' }, 'Forløbet'),
      points.length ? h('li', { class: 's-flad' }, 'Samme dage til gennemsnitstakst') : null,
    );
    return h('div', {}, chart, legend);
  }

  /** The invoice lines, in a closed <details>: the table is built when it is opened. */
  lineTable(q) {
    const details = h('details', { class: 'linjer' }, h('summary', {}, `Fakturalinjer (${(q.lines || []).length})`));
    const fill = () => {
      if (details.open && details.childElementCount === 1) details.append(this.lineRows(q));
    };
    details.addEventListener('toggle', fill);
    if (this.linesOpen) {
      details.open = true;
      fill();
    }
    details.addEventListener('toggle', () => (this.linesOpen = details.open));
    return details;
  }

  lineRows(q) {
    const lines = (q.lines || []).slice(0, 600);
    const names = new Map(this.services().map((s) => [s.id, s.name]));
    const addOnNames = new Map(this.addOns().map((a) => [a.id, a.name || a.id]));
    const rows = lines.map((l, j) => {
      const what = l.add_on !== undefined ? `Tillæg: ${addOnNames.get(l.add_on) ?? l.add_on}` : names.get(l.service) ?? l.service;
      return h(
        'tr',
        {},
        h('td', {}, formatMonth(l.month, true)),
        h('td', {}, `Fase ${l.phase + 1}: ${what}`),
        h('td', {}, `${formatDate(l.from)} – ${formatDate(l.to)}`),
        h('td', { class: 'tal' }, danishNumber(String(l.days))),
        h('td', { class: 'tal' }, l.tariff !== undefined ? formatKr(l.tariff) : ''),
        h('td', { class: 'tal' }, formatKr(l.amount)),
        h('td', {}, this.why(`course[0].line[${j}]`, `linje ${j + 1}`)),
      );
    });
    return h(
      'div',
      { class: 'rulle', tabindex: '0', role: 'region', 'aria-labelledby': 'linjer-tabel' },
      h(
        'table',
        {},
        h('caption', { id: 'linjer-tabel' }, 'Fakturalinjer: dage × dagstakst, afrundet til øre'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Måned', 'Ydelse', 'Periode'].map((t) => h('th', { scope: 'col' }, t)),
            ['Dage', 'Takst', 'Beløb'].map((t) => h('th', { scope: 'col', class: 'tal' }, t)),
            h('th', { scope: 'col' }, h('span', { class: 'skjult' }, 'Forklaring')),
          ),
        ),
        h('tbody', {}, rows),
      ),
    );
  }

  // --- why does it cost this? -------------------------------------------------------------

  closeExplanation() {
    this.explainKey = null;
    this.explainBox.replaceChildren();
    this.explainBox.hidden = true;
  }

  explain(key, focus, from) {
    if (from) this.explainFrom = key;
    this.explained ??= this.price(true).response;
    const r = this.explained;
    const node = r.ok ? findNode(r, key) : undefined;
    if (!node) {
      this.closeExplanation();
      return;
    }
    this.explainKey = key;
    const heading = h(this.hn(2), { id: 'forklaring-titel', tabindex: '-1' }, 'Hvorfor koster det dette? ', h('span', {}, node.label));
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
      h('ul', {}, this.explainNode(r, node, 0)),
      back,
    );
    this.explainBox.hidden = false;
    if (focus) heading.focus();
  }

  valueText(node) {
    const unit = UNITS[node.unit] ?? '';
    let v;
    if (node.rounding && node.rounding.after !== undefined) {
      v = danishNumber(node.rounding.after); // the rounded figure, with the scale of its rounding
    } else if (String(node.value).includes('/')) {
      v = `≈ ${danishNumber(roundText(node.value_approx ?? '', 2))}`;
    } else if (node.unit === 'kr' && /^-?\d+(\.\d{1,2})?$/.test(node.value)) {
      v = danishNumber(roundText(node.value, 2)); // a sum of øre amounts, shown with its øre
    } else {
      v = danishNumber(node.value);
    }
    return unit ? `${v} ${unit}` : v;
  }

  meta(node) {
    const lines = [];
    if (node.rule) lines.push(`Regel: ${node.rule}`);
    if (node.source) lines.push(`Kilde: ${node.source}`);
    if (node.path) {
      const p = String(node.path);
      lines.push(p.startsWith('catalogue') ? `Fra takstfilen: ${p.replace(/^catalogue\.?/, '') || 'filen'}` : `Fra forløbet: ${p}`);
    }
    if (node.rounding) {
      const pol = node.rounding.policy || {};
      const to = pol.increment === '1' ? 'hele kroner' : pol.increment === '0.01' ? 'øre' : `${danishNumber(pol.increment)}`;
      const before = String(node.rounding.before).includes('/') ? `≈ ${danishNumber(roundText(node.rounding.before_approx ?? '', 6))}` : danishNumber(node.rounding.before);
      lines.push(`Afrundet til ${to}, ${MODES[pol.mode] ?? MODES.half_away_from_zero}, fra ${before}`);
    }
    return lines.map((t) => h('p', { class: 'meta' }, t));
  }

  explainNode(r, node, depth) {
    const head = [h('span', {}, node.label), ': ', h('span', { class: 'vaerdi' }, this.valueText(node))];
    const inputs = inputsOf(r, node);
    if (inputs.length === 0) return h('li', {}, head, this.meta(node));
    if (depth === 0) {
      return h('li', {}, head, this.meta(node), h('ul', {}, inputs.map((n) => this.explainNode(r, n, depth + 1))));
    }
    const details = h('details', {}, h('summary', {}, head));
    details.addEventListener('toggle', () => {
      if (details.open && details.childElementCount === 1) {
        append(details, [this.meta(node), h('ul', {}, inputs.map((n) => this.explainNode(r, n, depth + 1)))]);
      }
    });
    return h('li', {}, details);
  }
}

if (!customElements.get('takst-beregner')) customElements.define('takst-beregner', TakstBeregner);
