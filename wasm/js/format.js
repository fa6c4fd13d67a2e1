// Danish notation for the decimal strings and ISO dates the core returns.
//
// Amounts are never turned into JS numbers: a decimal string ("1655684.36") is regrouped as
// text ("1.655.684,36"). These functions only change how a figure is written; they round
// nothing except where a caller asks for a shorter display of an approximate value
// (`roundText`, and `approxText` by the core's rule for approximations), which the
// calculator marks with "≈".

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** The texts `danishNumber` wrote last, by the text given: a recompute writes mostly the
 * same figures again (a month's amount, a total), each once per recompute. */
const written = new Map();

/** "-1234567.5" → "-1.234.567,5". Text that is not a plain decimal is returned unchanged. */
export function danishNumber(text) {
  const s = String(text);
  const known = written.get(s);
  if (known !== undefined) return known;
  const m = DECIMAL.exec(s);
  if (!m) return s;
  const [, sign, int, frac] = m;
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const out = sign + grouped + (frac === undefined ? '' : ',' + frac);
  if (written.size >= 4096) written.clear();
  written.set(s, out);
  return out;
}

/** "1234.50" → "1.234,50 kr." (ends with the abbreviation's full stop: see `sentence`). */
export function formatKr(text) {
  return danishNumber(text) + ' kr.';
}

/** A sentence ending in one full stop: "… 148.831,00 kr." is not given a second one. */
export function sentence(text) {
  const t = String(text);
  return t.endsWith('.') ? t : `${t}.`;
}

/** A decimal string as an integer and its scale ("-12.5" → { n: -125n, scale: 1 }), or null. */
function scaled(text) {
  const m = DECIMAL.exec(String(text));
  if (!m) return null;
  const [, sign, int, frac = ''] = m;
  const n = BigInt(int + frac);
  return { n: sign ? -n : n, scale: frac.length };
}

/**
 * `a − b` of two decimal strings, exactly (BigInt on the figures scaled to the same number of
 * decimals), written with the larger of their scales: "1655684.36" − "1465087.16" =
 * "190597.20". Returns null if either is not a plain decimal. Never a JS number.
 */
export function subtractDecimal(a, b) {
  const x = scaled(a);
  const y = scaled(b);
  if (!x || !y) return null;
  const scale = Math.max(x.scale, y.scale);
  const d = x.n * 10n ** BigInt(scale - x.scale) - y.n * 10n ** BigInt(scale - y.scale);
  const digits = (d < 0n ? -d : d).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${d < 0n ? '-' : ''}${int}${frac}`;
}

/** The sign of a decimal string: -1, 0 or 1 (0 for text that is not a decimal). */
export function signOf(text) {
  const x = scaled(text);
  return !x || x.n === 0n ? 0 : x.n < 0n ? -1 : 1;
}

// Numbers typed on the page, read the Danish way: a comma before the decimals, a point only
// between groups of three digits ("1.500" is fifteen hundred, as the page itself writes it).
// Anything else is not read: the caller says so at the field, never guesses.

// The whole part is digits, or groups of three after a point with a first group not starting
// with 0 ("0.500" is no number of thousands).
const DANISH_WHOLE = /^\+?(\d+|[1-9]\d{0,2}(?:\.\d{3})+)$/;
const DANISH_DECIMAL = /^([+-]?)(\d+|[1-9]\d{0,2}(?:\.\d{3})+)(?:,(\d+))?$/;

/** Digits without thousands points and leading zeros: "1.000" → "1000", "05" → "5", "000" → "0". */
const plainDigits = (int) => int.replace(/\./g, '').replace(/^0+(?=\d)/, '');

/**
 * A whole number typed the Danish way, as its plain digits: "5", "05", "+5", " 1.000 " →
 * "5", "5", "5", "1000". Null for anything else ("1.5", "2,5", "1e1", "-3", "fem").
 */
export function readWhole(text) {
  const m = DANISH_WHOLE.exec(String(text).trim());
  return m ? plainDigits(m[1]) : null;
}

/**
 * A decimal typed the Danish way, as the core's decimal text: "6,5" → "6.5", "1.500" →
 * "1500", "12.500,5" → "12500.5", "+06,5" → "6.5", "-1,96" → "-1.96". Null for anything
 * else: a decimal point ("1.5", "1.50"), an exponent ("1e1"), a fraction, a word.
 */
export function readDecimal(text) {
  const m = DANISH_DECIMAL.exec(String(text).trim());
  if (!m) return null;
  const [, sign, int, frac] = m;
  const digits = plainDigits(int) + (frac === undefined ? '' : `.${frac}`);
  // "-0" and "-0,0" are 0: no sign on a zero (printed back, it would read "-0").
  return (sign === '-' && /[1-9]/.test(digits) ? '-' : '') + digits;
}

/** Whether a text that is not a Danish decimal is digits with a point where no thousands
 * point can be ("1.5", "1.50", "0.500", "1.000.5"): written with a decimal point. */
export function hasDecimalPoint(text) {
  const t = String(text).trim();
  // A trailing comma ("1.000,") is decimals missing, not a decimal point.
  return t.includes('.') && !t.endsWith(',') && /^[+-]?[\d.,]*\d[\d.,]*$/.test(t) &&
    readDecimal(t) === null;
}

/** A decimal string for a Danish spreadsheet: "-1234.5" → "-1234,5" (no grouping). */
export function decimalComma(text) {
  const s = String(text);
  return DECIMAL.test(s) ? s.replace('.', ',') : s;
}

/**
 * Rounds a decimal string to `places` decimals, half away from zero, by integer arithmetic
 * on its digits (for displaying an approximate value; never used on an amount that is billed).
 */
export function roundText(text, places) {
  const m = DECIMAL.exec(String(text));
  if (!m) return String(text);
  const [, sign, int, frac = ''] = m;
  if (frac.length <= places) return sign + int + (places > 0 ? '.' + frac.padEnd(places, '0') : '');
  const digits = BigInt(int + frac.slice(0, places));
  const up = frac.charCodeAt(places) >= 53; // the next digit is 5 or more
  const rounded = (digits + (up ? 1n : 0n)).toString().padStart(places + 1, '0');
  const whole = rounded.slice(0, rounded.length - places);
  const part = rounded.slice(rounded.length - places);
  const isZero = /^0*$/.test(rounded);
  return (isZero ? '' : sign) + whole + (places > 0 ? '.' + part : '');
}

/**
 * An approximation shown to `places` decimals that never looks shorter than the value: the
 * rule of the core's approximations (`Exact::approx`), applied to one of them (a
 * `before_approx` or `value_approx`, 12 decimals). The nearest, unless it ends in 0 and
 * digits were dropped: then its neighbour on the value's side, so that a value just below
 * the tie 4800.5 shows as 4800.499999 rather than 4800.500000, which its rounding to 4800
 * would seem to contradict. Up to 10 decimals this is what the core gives to `places`
 * decimals: its 12-decimal approximation is never a shorter decimal than the value, so it
 * is on the value's side of every tie and neighbour of 10 decimals or fewer.
 */
export function approxText(text, places) {
  const m = DECIMAL.exec(String(text));
  if (!m || places <= 0) return roundText(text, places);
  const [, sign, int, frac = ''] = m;
  if (frac.length <= places || /^0*$/.test(frac.slice(places))) return roundText(text, places);
  const floor = BigInt(int + frac.slice(0, places));
  const up = frac.charCodeAt(places) >= 53; // the next digit is 5 or more
  let digits = floor + (up ? 1n : 0n);
  if (digits % 10n === 0n) digits = up ? floor : floor + 1n;
  const rounded = digits.toString().padStart(places + 1, '0');
  return sign + rounded.slice(0, rounded.length - places) + '.' + rounded.slice(rounded.length - places);
}

/**
 * A fraction's value in a list of figures, from its core approximation: the nearest with two
 * decimals, or the fewest up to six whose last is not 0, so that it never looks like a
 * shorter decimal than the value (4800.4999996 as "4800.50", beside its rounding to 4800);
 * failing that, six by the core's rule ([`approxText`]), as the rounding's own line shows it.
 */
export function shortApprox(text) {
  if (!DECIMAL.test(String(text))) return String(text);
  for (let places = 2; places <= 6; places++) {
    const shown = roundText(text, places);
    if (!shown.endsWith('0')) return shown;
  }
  return approxText(text, 6);
}

/**
 * An exact figure of unit `unit` by the core's rule for amounts (`danish::figure`): an amount
 * of kroner and øre (a unit `kr…`) never with one decimal ("151748.1" → "151748.10"), whole
 * kroner whole; anything else as it is.
 */
export function moneyText(unit, text) {
  const s = String(text);
  return String(unit ?? '').startsWith('kr') && /^-?\d+\.\d$/.test(s) ? `${s}0` : s;
}

/** A decimal string as an integer number of hundredths (øre), for proportions only. */
export function toHundredths(text) {
  const m = DECIMAL.exec(String(text));
  if (!m) return 0n;
  const [, sign, int, frac = ''] = m;
  const v = BigInt(int + (frac + '00').slice(0, 2));
  return sign ? -v : v;
}

/** `part / whole` in thousandths (0–1000), from two amounts in hundredths (`toHundredths`),
 * without floating point. */
export function perMilleOf(p, w) {
  if (w <= 0n || p <= 0n) return 0;
  const r = (p * 1000n) / w;
  return Number(r > 1000n ? 1000n : r);
}

const MONTHS = [
  'januar', 'februar', 'marts', 'april', 'maj', 'juni',
  'juli', 'august', 'september', 'oktober', 'november', 'december',
];
const MONTHS_SHORT = [
  'jan.', 'feb.', 'mar.', 'apr.', 'maj', 'jun.', 'jul.', 'aug.', 'sep.', 'okt.', 'nov.', 'dec.',
];

// One date format everywhere in the calculator: "15.09.2026" (day.month.year, the way a
// Danish date field shows it), and months as "september 2026".

/** "2026-09-15" → "15.09.2026". */
export function formatDate(iso) {
  const m = /^(-?\d{4,6})-(\d{2})-(\d{2})$/.exec(String(iso));
  if (!m) return String(iso);
  return `${m[3]}.${m[2]}.${m[1]}`;
}

const LONG_DATE = new RegExp(`\\b(\\d{1,2})\\. (${MONTHS.join('|')}) (\\d{4})\\b`, 'g');

/**
 * The core's Danish labels write dates in words ("1. februar 2027 – 14. februar 2027"), and
 * months as "2027-02" or dates as "1.2.2027" / "2027-02-01" in older texts; this rewrites
 * them in the calculator's one format ("01.02.2027–14.02.2027", "februar 2027"), leaving
 * other text alone.
 */
export function danishDates(text) {
  return String(text)
    .replace(LONG_DATE, (all, d, month, y) => `${d.padStart(2, '0')}.${String(MONTHS.indexOf(month) + 1).padStart(2, '0')}.${y}`)
    .replace(/\b(\d{2}\.\d{2}\.\d{4}) – (\d{2}\.\d{2}\.\d{4})\b/g, '$1–$2')
    .replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3.$2.$1')
    .replace(/\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/g, (all, d, m, y) =>
      Number(m) >= 1 && Number(m) <= 12 && Number(d) >= 1 && Number(d) <= 31 ? `${d.padStart(2, '0')}.${m.padStart(2, '0')}.${y}` : all,
    )
    .replace(/\b(\d{4})-(\d{2})\b(?!-)/g, (all, y, m) => (MONTHS[Number(m) - 1] ? `${MONTHS[Number(m) - 1]} ${y}` : all));
}

/** "2026-09" → "september 2026"; with `short`, "sep. 2026". */
export function formatMonth(ym, short = false) {
  const m = /^(-?\d{4,6})-(\d{2})$/.exec(String(ym));
  if (!m) return String(ym);
  const names = short ? MONTHS_SHORT : MONTHS;
  return `${names[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** "2026-09" → "sep." (the month's short name alone). */
export function monthShort(ym) {
  const m = /^-?\d{4,6}-(\d{2})$/.exec(String(ym));
  return m ? MONTHS_SHORT[Number(m[1]) - 1] ?? String(ym) : String(ym);
}

/** Danish plural: 1 dag, 2 dage. */
export function days(n) {
  return `${danishNumber(String(n))} ${String(n) === '1' ? 'dag' : 'dage'}`;
}

/**
 * Plan B against plan A, month by month and in total, exactly: `{ months: [{ month, a, b,
 * difference }], total }`, where `difference` is b − a by decimal string arithmetic (a month
 * that only one plan has counts as 0 in the other; `a` or `b` is then undefined).
 */
export function planDifference(qa, qb) {
  const a = new Map((qa.months || []).map((m) => [m.month, m.amount]));
  const b = new Map((qb.months || []).map((m) => [m.month, m.amount]));
  const months = [...new Set([...a.keys(), ...b.keys()])].sort();
  return {
    months: months.map((month) => ({
      month,
      a: a.get(month),
      b: b.get(month),
      difference: subtractDecimal(b.get(month) ?? '0', a.get(month) ?? '0'),
    })),
    total: subtractDecimal(qb.total, qa.total),
  };
}

/** The key of a saved course in a URL fragment ("#takst=…"; plan.js writes and reads it). */
export const FRAGMENT_KEY = 'takst=';
