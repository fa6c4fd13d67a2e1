// The TypeScript declarations: generated from the committed JSON Schemas and in sync with
// them, and a usage file type-checks against takst.d.ts with tsc --strict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT } from './helpers.mjs';

const { generate } = await import(path.join(ROOT, 'wasm/tools/types.mjs'));

test('wasm/js/types/*.d.ts are what json-schema-to-typescript makes of schema/*.json', async () => {
  const generated = await generate();
  for (const [file, text] of Object.entries(generated)) {
    const have = fs.readFileSync(path.join(ROOT, 'wasm/js/types', file), 'utf8');
    assert.equal(have, text, `wasm/js/types/${file} is out of date: run node wasm/tools/types.mjs`);
  }
});

test('the response types have no number where the format has a decimal string', () => {
  const d = fs.readFileSync(path.join(ROOT, 'wasm/js/types/response.d.ts'), 'utf8');
  assert.match(d, /export type Decimal = string;/);
  assert.doesNotMatch(d, /string \| number/);
});

test('a usage file type-checks against takst.d.ts (tsc --strict)', () => {
  const tsc = path.join(ROOT, 'wasm/node_modules/.bin/tsc');
  execFileSync(tsc, ['-p', path.join(ROOT, 'wasm/test/typecheck/tsconfig.json')], { stdio: 'pipe' });
});
