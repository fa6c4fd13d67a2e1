// The calculator's display helpers (wasm/js/format.js): text in, text out, no JS numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DIST } from './helpers.mjs';

const f = await import(path.join(DIST, 'format.js'));

test("approxText shows a core approximation to fewer decimals, never as a shorter decimal", () => {
  // A value just below the tie 4800.5 (its 12-decimal approximation from the core): not
  // 4800.500000, which its rounding to 4800 would seem to contradict.
  assert.equal(f.approxText('4800.499999966667', 6), '4800.499999');
  assert.equal(f.approxText('4800.500000033333', 6), '4800.500001');
  assert.equal(f.approxText('-4800.499999966667', 6), '-4800.499999');
  assert.equal(f.approxText('4800.797829430791', 6), '4800.797829');
  assert.equal(f.approxText('0.000000000001', 6), '0.000001');
  assert.equal(f.approxText('-0.000000000001', 6), '-0.000001');
  // Exact to the places asked: as it is.
  assert.equal(f.approxText('4800.5', 6), '4800.500000');
  assert.equal(f.approxText('4800.500000000000', 6), '4800.500000');
  assert.equal(f.approxText('abc', 6), 'abc');
});

test('shortApprox: two decimals, or the fewest up to six that do not look shorter than the value', () => {
  assert.equal(f.shortApprox('4800.797829430791'), '4800.798'); // not "4800.80"
  assert.equal(f.shortApprox('4800.000400000001'), '4800.0004');
  assert.equal(f.shortApprox('4800.500000033333'), '4800.500001');
  assert.equal(f.shortApprox('4800.787829430791'), '4800.79');
  assert.equal(f.shortApprox('4800.499999966667'), '4800.499999');
  assert.equal(f.shortApprox('3657.334180671279'), '3657.33');
  assert.equal(f.shortApprox('-12.345678901234'), '-12.35');
  assert.equal(f.shortApprox('abc'), 'abc');
});

test('moneyText: an amount of kroner and øre never with one decimal', () => {
  assert.equal(f.moneyText('kr', '151748.1'), '151748.10');
  assert.equal(f.moneyText('kr_per_day', '-3.1'), '-3.10');
  assert.equal(f.moneyText('kr', '76816'), '76816');
  assert.equal(f.moneyText('kr', '4895.0996'), '4895.0996');
  assert.equal(f.moneyText('days', '1051.2'), '1051.2');
  assert.equal(f.moneyText(undefined, '1.5'), '1.5');
});

// The exact neighbour of n/d (d > 0) at `places` decimals by the core's rule: the nearest,
// half away from zero, unless it ends in 0 and is not the value; then the other neighbour.
function directed(n, d, places) {
  const neg = n < 0n;
  const a = (neg ? -n : n) * 10n ** BigInt(places);
  const floor = a / d;
  const rem = a % d;
  let k = 2n * rem >= d ? floor + 1n : floor;
  if (places > 0 && rem !== 0n && k % 10n === 0n) k = k === floor ? floor + 1n : floor;
  const t = k.toString().padStart(places + 1, '0');
  const text = places > 0 ? `${t.slice(0, t.length - places)}.${t.slice(t.length - places)}` : t;
  return neg && k !== 0n ? `-${text}` : text;
}

test("approxText of the core's rule at 12 decimals is the core's rule at 10 or fewer", () => {
  // Fractions anywhere, and a hair from a tie or from a point ending in 0 at the places
  // shown (where a second rounding could go wrong), with a small generator (no JS numbers
  // in the values).
  let seed = 12345n;
  const next = () => (seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n);
  const placesShown = [0, 1, 2, 4, 6, 10];
  let changed = 0;
  for (let i = 0; i < 6000; i++) {
    const sign = i % 3 === 0 ? -1n : 1n;
    const m = next() % 10n ** 8n;
    const hair = (next() % 7n) - 3n;
    // n/q: a hair (±3/(3·10^(p+7))) from m/10^p ending in 0, or from the tie (m + ½)/10^p.
    const p = BigInt(placesShown[i % placesShown.length]);
    const q = [3n * 10n ** (p + 7n), 3n * 10n ** (p + 7n), (next() % 10n ** 14n) + 1n][i % 3];
    const n = [
      (m - (m % 10n)) * 3n * 10n ** 7n + hair,
      ((2n * m + 1n) * 3n * 10n ** 7n) / 2n + hair,
      next() % (q * 100000n),
    ][i % 3];
    const a12 = directed(sign * n, q, 12);
    for (const places of placesShown.filter((k) => k > 0)) {
      assert.equal(f.approxText(a12, places), directed(sign * n, q, places), `${sign * n}/${q} at ${places}`);
    }
    if (directed(sign * n, q, 11) !== f.approxText(a12, 11)) changed += 1;
  }
  // At 11 decimals the bound does not hold, and the generator reaches such values.
  assert.ok(changed > 0);
});

test('roundText rounds a decimal string half away from zero, for display', () => {
  assert.equal(f.roundText('4800.797829430791', 2), '4800.80');
  assert.equal(f.roundText('4895.0996', 2), '4895.10');
  assert.equal(f.roundText('2.5', 0), '3');
  assert.equal(f.roundText('-2.5', 0), '-3');
  assert.equal(f.roundText('-0.004', 2), '0.00');
  assert.equal(f.roundText('0.995', 2), '1.00');
  assert.equal(f.roundText('12', 2), '12.00');
  assert.equal(f.roundText('99999999999999999999999.995', 2), '100000000000000000000000.00');
  assert.equal(f.roundText('abc', 2), 'abc');
});

test('proportions for the chart come from integer arithmetic on the strings', () => {
  assert.equal(f.toHundredths('1234.5'), 123450n);
  assert.equal(f.toHundredths('-0.01'), -1n);
  const perMille = (part, whole) => f.perMilleOf(f.toHundredths(part), f.toHundredths(whole));
  assert.equal(perMille('50', '200'), 250);
  assert.equal(perMille('146024.00', '146024'), 1000);
  assert.equal(perMille('1', '0'), 0);
  assert.equal(perMille('79228162514264337593543950335', '79228162514264337593543950335'), 1000);
});

test('subtractDecimal is exact on the strings, whatever their scales and signs', () => {
  assert.equal(f.subtractDecimal('1655684.36', '1465087.16'), '190597.20');
  assert.equal(f.subtractDecimal('1465087.16', '1655684.36'), '-190597.20');
  assert.equal(f.subtractDecimal('0.1', '0.3'), '-0.2'); // 0.1 - 0.3 in floats is -0.19999999999999998
  assert.equal(f.subtractDecimal('100', '0.01'), '99.99');
  assert.equal(f.subtractDecimal('-5', '-5.00'), '0.00');
  assert.equal(f.subtractDecimal('79228162514264337593543950335', '-79228162514264337593543950335'), '158456325028528675187087900670');
  assert.equal(f.subtractDecimal('12', '3'), '9');
  assert.equal(f.subtractDecimal('0.05', '0.5'), '-0.45');
  assert.equal(f.subtractDecimal('1e5', '1'), null);
  assert.equal(f.subtractDecimal('abc', '1'), null);
  // Against BigInt on øre for many pairs.
  for (let k = 0; k < 500; k++) {
    const a = BigInt(Math.floor(Math.random() * 2e12) - 1e12);
    const b = BigInt(Math.floor(Math.random() * 2e12) - 1e12);
    const kr = (n) => `${n < 0n ? '-' : ''}${(n < 0n ? -n : n) / 100n}.${String((n < 0n ? -n : n) % 100n).padStart(2, '0')}`;
    assert.equal(f.subtractDecimal(kr(a), kr(b)), kr(a - b));
  }
  assert.equal(f.signOf('-0.01'), -1);
  assert.equal(f.signOf('0.00'), 0);
  assert.equal(f.signOf('3'), 1);
});

test('a decimal comma for spreadsheets, and one full stop after "kr."', () => {
  assert.equal(f.decimalComma('-1234.50'), '-1234,50');
  assert.equal(f.decimalComma('17'), '17');
  assert.equal(f.sentence(`den højeste er ${f.formatKr('148831.00')}`), 'den højeste er 148.831,00 kr.');
  assert.equal(f.sentence('Tallene står i tabellen'), 'Tallene står i tabellen.');
});

test('one date format: 15.09.2026, and months as "september 2026", also in the core\'s labels', () => {
  assert.equal(f.formatDate('2026-09-15'), '15.09.2026');
  assert.equal(f.formatDate('2027-10-14'), '14.10.2027');
  assert.equal(f.danishDates('Forløbet i 2027-02'), 'Forløbet i februar 2027');
  assert.equal(f.danishDates('Udredningsmodul, 1.2.2027–14.2.2027'), 'Udredningsmodul, 01.02.2027–14.02.2027');
  assert.equal(f.danishDates('fra 2026-09-15'), 'fra 15.09.2026');
  assert.equal(f.danishDates('Udredningsmodul, 1. februar 2027 – 14. februar 2027'), 'Udredningsmodul, 01.02.2027–14.02.2027');
  assert.equal(f.danishDates('den 15. september 2026 i Aarhus'), 'den 15.09.2026 i Aarhus');
  assert.equal(f.danishDates('1.655.684,36 kr. og 4.895,10'), '1.655.684,36 kr. og 4.895,10');
  assert.equal(f.danishDates('takst pr. dag 2027'), 'takst pr. dag 2027');
});

test('Danish dates, months and day counts', () => {
  assert.equal(f.formatDate('not a date'), 'not a date');
  assert.equal(f.formatMonth('2026-12', true), 'dec. 2026');
  assert.equal(f.monthShort('2026-05'), 'maj');
  assert.equal(f.days(1), '1 dag');
  assert.equal(f.days(1234), '1.234 dage');
});

test('numbers typed the Danish way: a comma before the decimals, a point only between groups of three', () => {
  // A whole number (a duration): digits, with thousands points; sent as its plain digits.
  const whole = {
    '5': '5',
    ' 3 ': '3',
    '+3': '3',
    '03': '3',
    '000': '0',
    '1.000': '1000',
    '2.000': '2000',
    '12.500': '12500',
    '1.000.000': '1000000',
  };
  for (const [typed, digits] of Object.entries(whole)) assert.equal(f.readWhole(typed), digits, `"${typed}"`);
  for (const typed of ['', '1.5', '1.50', '1.0000', '0.500', '01.000', '1000.000', '2,5', '3,0', '1,000', '1e1', '1E3', '-3', '- 3', 'fem', '0x10', '٣', '1 000', '1..000', '.5', 'Infinity']) {
    assert.equal(f.readWhole(typed), null, `"${typed}" is not a whole number`);
  }
  // A decimal (a quantity, the PL rate): the core's decimal text, never a JS number.
  const decimal = {
    '6,5': '6.5',
    ' 6,5 ': '6.5',
    '+06,5': '6.5',
    '-1,96': '-1.96',
    '-0': '0',
    '-0,00': '0.00',
    '1500': '1500',
    '1.500': '1500',
    '1.500,0': '1500.0',
    '12.500,5': '12500.5',
    '1,000': '1.000',
    '79228162514264337593543950335': '79228162514264337593543950335',
  };
  for (const [typed, text] of Object.entries(decimal)) assert.equal(f.readDecimal(typed), text, `"${typed}"`);
  for (const typed of ['', '1.5', '1.50', '0.500', '1.000.5', '1.5,5', '1e1', '1,5e2', ',5', '1,', '1/3', 'NaN', '6 ,5', '+-1']) {
    assert.equal(f.readDecimal(typed), null, `"${typed}" is not a Danish decimal`);
  }
  // What a decimal point looks like, for the field's message ("Skriv decimaler med komma").
  for (const typed of ['1.5', '1.50', ' 0.500 ', '-1.5', '1.000.5', '1.96']) assert.equal(f.hasDecimalPoint(typed), true, `"${typed}"`);
  for (const typed of ['1.500', '1,5', 'fem', '1e1', '1.5e1', 'v1.5', '', '1.000,']) assert.equal(f.hasDecimalPoint(typed), false, `"${typed}"`);
});
