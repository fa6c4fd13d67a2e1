// The calculator's display helpers (wasm/js/format.js): text in, text out, no JS numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DIST } from './helpers.mjs';

const f = await import(path.join(DIST, 'format.js'));

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
  assert.equal(f.perMille('50', '200'), 250);
  assert.equal(f.perMille('146024.00', '146024'), 1000);
  assert.equal(f.perMille('1', '0'), 0);
  assert.equal(f.perMille('79228162514264337593543950335', '79228162514264337593543950335'), 1000);
});

test('Danish dates, months and day counts', () => {
  assert.equal(f.formatDate('2027-10-14'), '14. oktober 2027');
  assert.equal(f.formatDate('not a date'), 'not a date');
  assert.equal(f.formatMonth('2026-12', true), 'dec. 2026');
  assert.equal(f.monthShort('2026-05'), 'maj');
  assert.equal(f.days(1), '1 dag');
  assert.equal(f.days(1234), '1.234 dage');
});
