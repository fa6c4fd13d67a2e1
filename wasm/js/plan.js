// A caseworker's course to keep and share: the saved-course format (a small JSON file, and
// the same object in the URL fragment as a permalink), the tariff file's fingerprint, and
// the CSV exports for a Danish spreadsheet. Pure functions of text: no DOM, no JS numbers
// for money.
//
// The saved course holds what the user typed (each field's own text), never a price the
// calculator would trust: on load the course is priced again from the tariff file at hand,
// and the fingerprint of the sheet it was priced from says whether that file has changed.

import { decimalComma, FRAGMENT_KEY } from './format.js';

// Kept in format.js, which the element loads for its first result (this module comes after
// it); exported here as well, as they were.
export { planDifference, FRAGMENT_KEY } from './format.js';

export const FORMAT = 'takst/forloeb';
const MAX_PLANS = 2;
const MAX_PHASES = 50;
const MAX_ADD_ONS = 20;
const MAX_TEXT = 200;
const UNITS = ['months', 'days', 'until'];

/**
 * A short fingerprint of a text (two 32-bit FNV-1a hashes over its UTF-16 units, as 16 hex
 * digits): enough to tell that a tariff sheet is not the one a course was priced from.
 */
export function fingerprint(text) {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const s = String(text);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  const hex = (x) => (x >>> 0).toString(16).padStart(8, '0');
  return hex(a) + hex(b);
}

const text = (v, fallback = '') => (typeof v === 'string' ? v.slice(0, MAX_TEXT) : fallback);

/** A phase as the form holds it, from the saved object (unknown fields dropped). */
function readPhase(p) {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return null;
  const unit = UNITS.includes(p.unit) ? p.unit : 'months';
  const addOns = Array.isArray(p.add_ons) ? p.add_ons.slice(0, MAX_ADD_ONS) : [];
  return {
    service: text(p.service),
    unit,
    amount: text(p.amount),
    until: text(p.until),
    addOns: addOns
      .filter((a) => a !== null && typeof a === 'object')
      .map((a) => ({ id: text(a.id), qty: text(a.qty) })),
  };
}

/**
 * Reads a saved course (the object of a saved file or a permalink). Returns `{ ok: true,
 * saved }` with `saved = { sheet: { src, offer, name, provider, year, fingerprint, date },
 * start, pl, plans: [phases, phases?], totals }`, or `{ ok: false }` for anything else.
 * Never throws; every string is cut to a sane length and lists to a sane count.
 */
export function readSaved(value) {
  const bad = { ok: false };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return bad;
  if (value.format !== FORMAT || value.version !== 1) return bad;
  if (!Array.isArray(value.plans) || value.plans.length < 1 || value.plans.length > MAX_PLANS) return bad;
  const plans = [];
  for (const plan of value.plans) {
    const list = plan && Array.isArray(plan.phases) ? plan.phases.slice(0, MAX_PHASES) : null;
    if (!list || list.length === 0) return bad;
    const phases = list.map(readPhase);
    if (phases.some((p) => p === null)) return bad;
    plans.push(phases);
  }
  const f = value.takstfil && typeof value.takstfil === 'object' ? value.takstfil : {};
  const year = Number.isSafeInteger(f.year) ? f.year : undefined;
  return {
    ok: true,
    saved: {
      sheet: {
        src: text(f.src),
        offer: text(f.offer),
        name: text(f.name),
        provider: text(f.provider),
        year,
        fingerprint: text(f.fingerprint),
        date: text(f.date),
      },
      start: text(value.start),
      pl: text(value.pl),
      plans,
      totals: Array.isArray(value.totals) ? value.totals.slice(0, MAX_PLANS).map((t) => text(t)) : [],
    },
  };
}

/** The saved-course object for the form's state, the sheet it is priced from and its totals. */
export function savedObject({ sheet, start, pl, plans, totals, saved }) {
  const phase = (p) => {
    const out = { service: p.service, unit: p.unit };
    if (p.unit === 'until') out.until = p.until;
    else out.amount = p.amount;
    if (p.addOns.length) out.add_ons = p.addOns.map((a) => ({ id: a.id, qty: a.qty }));
    return out;
  };
  const takstfil = { src: sheet.src, offer: sheet.offer, name: sheet.name, year: sheet.year, fingerprint: sheet.fingerprint };
  if (sheet.provider) takstfil.provider = sheet.provider;
  if (sheet.date) takstfil.date = sheet.date;
  const out = { format: FORMAT, version: 1, takstfil, start, pl, plans: plans.map((phases) => ({ phases: phases.map(phase) })) };
  if (totals && totals.length) out.totals = totals;
  if (saved) out.saved = saved;
  return out;
}

/** UTF-8 text as base64url (for the URL fragment). */
export function toBase64Url(s) {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url back to UTF-8 text; null if it is not. */
export function fromBase64Url(s) {
  try {
    if (typeof s !== 'string' || s.length > 100000 || !/^[A-Za-z0-9_-]*$/.test(s)) return null;
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The URL fragment (without "#") that carries a saved-course object. */
export function toFragment(object) {
  return FRAGMENT_KEY + toBase64Url(JSON.stringify(object));
}

/**
 * Reads a URL fragment ("#takst=…", with or without "#"): `{ ok, saved }` as `readSaved`, or
 * `null` when the fragment is not the calculator's.
 */
export function fromFragment(hash) {
  const h = String(hash || '').replace(/^#/, '');
  if (!h.startsWith(FRAGMENT_KEY)) return null;
  const json = fromBase64Url(h.slice(FRAGMENT_KEY.length));
  if (json === null) return { ok: false };
  try {
    return readSaved(JSON.parse(json));
  } catch {
    return { ok: false };
  }
}

// --- CSV for a Danish spreadsheet ---------------------------------------------------------
// Semicolon between fields, decimal comma, no digit grouping, dates as YYYY-MM-DD (which a
// spreadsheet reads as a date in any language), CRLF line ends, UTF-8 with a byte order mark
// (without it Excel reads UTF-8 as Windows-1252 and "æøå" come out wrong).

/** A text field: quoted when it must be, and a leading =, +, -, @ made harmless (a name from
 * a tariff file must not become a formula). */
function textCell(v) {
  let s = String(v ?? '');
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A number field from the core's decimal string: "1234.50" → "1234,50". */
const numberCell = (v) =>
  v === undefined || v === null ? '' : /^-?\d+(\.\d+)?$/.test(String(v)) ? decimalComma(v) : textCell(v);

function csv(rows) {
  return '\uFEFF' + rows.map((r) => r.join(';')).join('\r\n') + '\r\n';
}

/**
 * The monthly payments as CSV. `plans` is `[{ name, quote }]` (one or two). One plan: month,
 * amount, the same days at the flat average tariff and the difference. Two plans: month,
 * plan A, plan B and B − A (`differences`, exact decimal strings by month).
 */
export function monthsCsv(plans, differences) {
  if (plans.length === 1) {
    const q = plans[0].quote;
    const flat = new Map(((q.comparison && q.comparison.months) || []).map((m) => [m.month, m]));
    // The comparison weighs the service lines (add-ons are billed alike either way): their
    // own column, so that each row's difference is services − flat.
    const rows = [['Måned', 'Beløb (kr.)', 'Heraf ydelser (kr.)', 'Samme dage til gennemsnitstakst (kr.)', 'Forskel, ydelser (kr.)'].map(textCell)];
    for (const m of q.months || []) {
      const f = flat.get(m.month);
      rows.push([textCell(m.month), numberCell(m.amount), numberCell(f && f.course), numberCell(f && f.flat), numberCell(f && f.difference)]);
    }
    const c = q.comparison;
    rows.push([textCell('I alt'), numberCell(q.total), numberCell(c && c.course), numberCell(c && c.flat), numberCell(c && c.difference)]);
    return csv(rows);
  }
  const [a, b] = plans;
  const rows = [['Måned', `${a.name} (kr.)`, `${b.name} (kr.)`, `Forskel, ${b.name} − ${a.name} (kr.)`].map(textCell)];
  for (const d of differences.months) rows.push([textCell(d.month), numberCell(d.a), numberCell(d.b), numberCell(d.difference)]);
  rows.push([textCell('I alt'), numberCell(a.quote.total), numberCell(b.quote.total), numberCell(differences.total)]);
  return csv(rows);
}

/** How a line is priced, in Danish (`basis`). */
const BASIS = { per_day: 'dage × dagstakst', full_month: 'hel måned', per_unit: 'antal × pris × andel af måneden' };
/** An add-on's unit, in Danish. */
const LINE_UNITS = { day: 'dag', hour: 'time', km: 'km' };

/** The invoice lines as CSV: one row per line, for each plan. `names` maps service and add-on ids to names. */
export function linesCsv(plans, names) {
  const rows = [
    ['Plan', 'Måned', 'Fase', 'Ydelse', 'Fra', 'Til', 'Dage', 'Beregning', 'Antal pr. måned', 'Enhed', 'Takst (kr.)', 'Beløb (kr.)', 'Takstår'].map(textCell),
  ];
  for (const { name, quote } of plans) {
    for (const l of quote.lines || []) {
      const what = l.add_on !== undefined ? `Tillæg: ${names.get(l.add_on) ?? l.add_on}` : names.get(l.service) ?? l.service;
      rows.push([
        textCell(name),
        textCell(l.month),
        String(Number(l.phase) + 1),
        textCell(what),
        textCell(l.from),
        textCell(l.to),
        String(l.days),
        textCell(BASIS[l.basis] ?? l.basis ?? ''),
        numberCell(l.quantity_per_month),
        textCell(LINE_UNITS[l.unit] ?? l.unit ?? ''),
        numberCell(l.tariff),
        numberCell(l.amount),
        l.tariff_year === undefined ? '' : String(l.tariff_year),
      ]);
    }
  }
  return csv(rows);
}
