// The parts of <takst-beregner> its first result does not need, in a module of their own:
// the explanation's tree of figures (what "Hvorfor?" opens), the course kept as a link or a
// file and read back, and the CSV exports. takst-beregner.js imports this module after its
// first result (or at once for a page opened with a permalink, and when one of these is
// asked for first), so a page loads less before that result (wasm/README.md, "Size and
// speed"). Each function takes the element as its first argument.

import { figure } from './takst.js';
import { danishNumber, danishDates, formatKr, formatDate, formatMonth, approxText, shortApprox, moneyText, sentence } from './format.js';
import { fingerprint, readSaved, savedObject, toFragment, fromFragment, FRAGMENT_KEY, planDifference, monthsCsv, linesCsv } from './plan.js';
import { h, append, download, slug, today, PLAN_NAMES } from './takst-beregner.js';

const MODES = {
  half_away_from_zero: 'halvt op (væk fra nul)',
  half_even: 'halvt til lige',
  half_toward_zero: 'halvt ned (mod nul)',
  up: 'op (væk fra nul)',
  down: 'ned (mod nul)',
  ceiling: 'op',
  floor: 'ned',
};

/** The fingerprint of the sheet priced from, computed once for each sheet (the link is
 * written after every recompute). */
function sheetPrint(el) {
  if (el.printOf !== el.sheetText) {
    el.printOf = el.sheetText;
    el.sheetPrint = fingerprint(el.sheetText);
  }
  return el.sheetPrint;
}

/** The saved-course object of the form as it is: the totals only if they are its own (none
 * while the form has an error), a quantity only for an add-on that is priced by one. */
export function savedNow(el) {
  const o = (el.sheet && el.sheet.offer) || {};
  const f = el.fileInfo || {};
  const c = el.course;
  const priced = el.priced();
  const quotes = (priced && priced.response.courses) || [];
  const plans = c.plans.map((phases) =>
    phases.map((p) => ({ ...p, addOns: p.addOns.map((a) => (el.takesQuantity(a.id) ? a : { ...a, qty: '' })) })),
  );
  return savedObject({
    sheet: { src: f.src || '', offer: o.id || '', name: o.name || '', provider: o.provider || '', year: o.year, fingerprint: sheetPrint(el), date: f.date },
    start: c.start,
    pl: c.pl,
    plans,
    totals: quotes.map((q) => q.total),
  });
}

/** The permalink of the course as it is: this page's address with "#takst=…". */
export function permalink(el) {
  const url = new URL(location.href);
  url.hash = toFragment(savedNow(el));
  return url.href;
}

/** The link (and the address bar, when its fragment is empty or the calculator's) of the
 * course as it is (the element calls it a moment after the last change). */
export function updateLink(el) {
  if (!el.sheet || !el.priced()) return;
  const href = permalink(el);
  el.linkOut.href = href;
  const hash = location.hash.replace(/^#/, '');
  // A permalink not yet read (its module was still on its way, or could not be fetched) is
  // the user's: not written over.
  if ((hash === '' || hash.startsWith(FRAGMENT_KEY)) && location.hash !== el.heldLink) {
    const next = new URL(href).hash;
    if (next !== location.hash) {
      el.ownHash = next;
      history.replaceState(history.state, '', next);
    }
  }
}

/** The course of a permalink ("#takst=…") put into the form: `applySaved`'s answer. */
export function applyLink(el, hash) {
  el.heldLink = null;
  return applySaved(el, fromFragment(hash), 'link');
}

export async function copyLink(el) {
  const href = permalink(el);
  el.linkOut.href = href;
  try {
    await navigator.clipboard.writeText(href);
    el.copied.textContent = 'Linket er kopieret.';
  } catch {
    el.copied.textContent = 'Linket kunne ikke kopieres her: højreklik på «Link til denne beregning», og kopiér det.';
  }
}

export function saveFile(el) {
  if (!el.priced()) return;
  const o = (el.sheet && el.sheet.offer) || {};
  const object = { ...savedNow(el), saved: today() };
  download(`forloeb-${slug(o.id || o.name)}-${today()}.json`, 'application/json', JSON.stringify(object, null, 2) + '\n');
}

export async function loadSavedFile(el, file) {
  el.showLoadMessage(null);
  let read = { ok: false };
  try {
    if (file.size > 1 << 20) throw new Error('too large');
    read = readSaved(JSON.parse(await file.text()));
  } catch {
    read = { ok: false };
  }
  if (!read.ok) {
    el.showLoadMessage('Filen er ikke et gemt forløb fra beregneren. Vælg en JSON-fil, som beregneren har gemt.', true);
    return;
  }
  applySaved(el, read, 'file');
}

/**
 * Puts a saved course (from a link or a file) into the form and prices it from the tariff
 * file at hand. Says so, in Danish, when that file lacks the saved offer or is not the one
 * the course was priced from: never a silently different price. Returns true if applied.
 */
export function applySaved(el, read, from) {
  const word = from === 'link' ? 'Linket' : 'Filen';
  if (!read || !read.ok) {
    el.showLoadMessage(`${word} indeholder ikke et forløb, som beregneren kan læse. Forløbet er ikke indlæst.`, true, from);
    return false;
  }
  const saved = read.saved;
  const s = saved.sheet;
  const savedName = [s.name || s.offer || 'et ukendt tilbud', s.year !== undefined ? `(${s.year})` : ''].filter(Boolean).join(' ');
  let i = el.sheets.findIndex((x) => x.offer && x.offer.id === s.offer && x.offer.year === s.year);
  if (i < 0) i = el.sheets.findIndex((x) => x.offer && x.offer.id === s.offer);
  if (i < 0) {
    const f = el.fileInfo || {};
    el.showLoadMessage(
      `${word} er til takster for ${savedName}${s.src ? ` fra takstfilen ${s.src}` : ''}, som ikke findes i takstfilen ${f.name || ''} her. Forløbet er ikke indlæst.`.replace(/\s+\./, '.'),
      true,
      from,
    );
    return false;
  }
  el.useSheet(i);
  el.course = { start: saved.start, pl: saved.pl, plans: saved.plans };
  el.linesOpen = [false, false];
  for (const box of el.views.lines ?? []) if (box) box.details.open = false;
  el.closeExplanation();
  el.renderForm();
  el.recompute();
  const quotes = (el.response && el.response.ok && el.response.courses) || [];
  const now = quotes.map((q) => q.total);
  const sameFile = s.fingerprint === sheetPrint(el);
  const sameTotals = saved.totals.length === now.length && saved.totals.every((t, k) => t === now[k]);
  const savedWhen = s.date ? `, ændret ${formatDate(s.date)}` : '';
  if (!sameFile) {
    const then = saved.totals.length ? saved.totals.map((t) => formatKr(t)).join(' og ') : 'ukendt';
    const price = now.length ? now.map((t) => formatKr(t)).join(' og ') : 'kan ikke beregnes';
    el.showLoadMessage(
      `Takstfilen er ændret, siden forløbet blev gemt (gemt med ${savedName}${s.src ? `, ${s.src}` : ''}${savedWhen}). ` +
        sentence(`Prisen er beregnet igen med den takstfil, der gælder nu: ${price}; da forløbet blev gemt, var den ${then}`),
      false,
      from,
    );
  } else if (!sameTotals && saved.totals.length && now.length) {
    el.showLoadMessage(
      `Prisen er ikke den samme som da forløbet blev gemt (${saved.totals.map((t) => formatKr(t)).join(' og ')}): tjek forløbet.`,
      false,
      from,
    );
  } else {
    el.showLoadMessage(null);
    el.announce(`${from === 'link' ? 'Forløbet fra linket' : 'Det gemte forløb'} er indlæst. ${el.status.textContent}`);
  }
  return true;
}

export function exportCsv(el, what) {
  const priced = el.priced();
  if (!priced) return;
  const quotes = (what === 'lines' ? el.withLines(priced) : priced.response).courses || [];
  const plans = quotes.map((quote, k) => ({ name: quotes.length > 1 ? PLAN_NAMES[k] : 'Forløbet', quote }));
  const o = (el.sheet && el.sheet.offer) || {};
  const base = `${slug(o.id || o.name)}-${today()}`;
  if (what === 'months') {
    const diff = plans.length > 1 ? planDifference(quotes[0], quotes[1]) : null;
    download(`maanedlige-betalinger-${base}.csv`, 'text/csv;charset=utf-8', monthsCsv(plans, diff));
  } else {
    const names = new Map([...el.services().map((s) => [s.id, s.name]), ...el.addOns().map((a) => [a.id, a.name || a.id])]);
    download(`fakturalinjer-${base}.csv`, 'text/csv;charset=utf-8', linesCsv(plans, names));
  }
}

/** A figure to explain: a figure of the core, or plan B − plan A (computed here from two). */
export function figureFor(el, r, key) {
  const m = /^plan-forskel\.(total|month\.(\d{4}-\d{2}))$/.exec(key);
  if (!m) return figure(r, key);
  const month = m[2];
  const a = figure(r, month ? `course[0].month.${month}` : 'course[0].total');
  const b = figure(r, month ? `course[1].month.${month}` : 'course[1].total');
  const diff = month ? (el.difference?.months.find((x) => x.month === month) || {}).difference : el.difference?.total;
  if (diff === undefined || diff === null) return undefined;
  // Both months (or totals) are labelled "Forløbet …" by the core: say which plan is which.
  const inputs = [
    b && { ...b, label: `Plan B: ${b.label}` },
    a && { ...a, label: `Plan A: ${a.label}` },
  ].filter(Boolean);
  return {
    key,
    label: month ? `Forskel i ${formatMonth(month)}, plan B − plan A` : 'Forskel i alt, plan B − plan A',
    value: diff,
    unit: 'kr',
    unitDa: 'kr.',
    rule: 'plan B − plan A, regnet nøjagtigt i øre (en plan uden betaling i måneden tæller 0 kr.)',
    rounding: null,
    inputs: () => inputs,
  };
}

export function valueText(el, node) {
  // The core's words for the unit ("kr. pr. døgn" for a residential offer's figure).
  const unit = node.unitDa ?? '';
  let v;
  if (node.rounding && node.rounding.after !== undefined) {
    v = danishNumber(node.rounding.after); // the rounded figure, with the scale of its rounding
  } else if (node.value.includes('/')) {
    v = `≈ ${danishNumber(shortApprox(node.approx ?? ''))}`;
  } else {
    // An amount of kroner and øre never with one decimal, whole kroner whole, as the
    // core's text and Python show it.
    v = danishNumber(moneyText(node.unit, node.value));
  }
  return unit ? `${v} ${unit}` : v;
}

export function meta(el, node) {
  const lines = [];
  if (node.rule) lines.push(`Regel: ${danishDates(node.rule)}`);
  if (node.source) lines.push(`Kilde: ${node.source}`);
  if (node.path) {
    const p = node.path;
    lines.push(p.startsWith('catalogue') ? `Fra takstfilen: ${p.replace(/^catalogue\.?/, '') || 'filen'}` : `Fra forløbet: ${p}`);
  }
  if (node.rounding) {
    const pol = node.rounding;
    const to = pol.increment === '1' ? 'hele kroner' : pol.increment === '0.01' ? 'øre' : `${danishNumber(pol.increment)}`;
    const before = pol.before.includes('/') ? `≈ ${danishNumber(approxText(pol.beforeApprox ?? '', 6))}` : danishNumber(moneyText(node.unit, pol.before));
    lines.push(`Afrundet til ${to}, ${MODES[pol.mode] ?? MODES.half_away_from_zero}, fra ${before}`);
  }
  return lines.map((t) => h('p', { class: 'meta' }, t));
}

export function explainNode(el, node, depth) {
  const head = [h('span', {}, danishDates(node.label)), ': ', h('span', { class: 'vaerdi' }, valueText(el, node))];
  const inputs = node.inputs();
  if (inputs.length === 0) return h('li', {}, head, meta(el, node));
  if (depth === 0) {
    return h('li', {}, head, meta(el, node), h('ul', {}, inputs.map((n) => explainNode(el, n, depth + 1))));
  }
  const details = h('details', {}, h('summary', {}, head));
  details.addEventListener('toggle', () => {
    if (details.open && details.childElementCount === 1) {
      append(details, [meta(el, node), h('ul', {}, inputs.map((n) => explainNode(el, n, depth + 1)))]);
    }
  });
  return h('li', {}, details);
}
