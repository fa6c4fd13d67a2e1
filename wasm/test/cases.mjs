// What the Node tests share, without starting a module: the paths, the conformance cases and
// the readers of their files (helpers.mjs adds the full module, started).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const DIST = path.join(ROOT, 'wasm/dist/takst');

if (!fs.existsSync(path.join(DIST, 'takst_wasm_bg.wasm'))) {
  throw new Error('wasm/dist is not built: run scripts/wasm-test.sh (or bash wasm/tools/build.sh)');
}

export const CASES_DIR = path.join(ROOT, 'tests/cases');
export const cases = fs
  .readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({
    name: f.replace(/\.json$/, ''),
    file: path.join(CASES_DIR, f),
  }));

/**
 * The raw text of a top-level member of a JSON object, exactly as written in the file (so a
 * number keeps its own text, as the core reads it), without parsing it into JS values.
 */
export function rawMember(text, name) {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const string = () => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const value = () => {
    if (text[i] === '"') return string();
    if (text[i] === '{' || text[i] === '[') {
      let depth = 0;
      do {
        const c = text[i];
        if (c === '"') {
          string();
          continue;
        }
        if (c === '{' || c === '[') depth++;
        if (c === '}' || c === ']') depth--;
        i++;
      } while (depth > 0);
      return undefined;
    }
    while (i < text.length && !',}] \t\r\n'.includes(text[i])) i++;
    return undefined;
  };
  ws();
  if (text[i++] !== '{') throw new Error('not an object');
  for (;;) {
    ws();
    if (text[i] === '}') return undefined;
    const key = string();
    ws();
    i++; // ':'
    ws();
    const start = i;
    value();
    if (key === name) return text.slice(start, i);
    ws();
    if (text[i] === ',') i++;
  }
}

/** The subset rule of tests/cases/README.md; returns where it fails, or null. */
export function mismatch(expected, actual, where = '') {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return `${where}: expected a list of ${expected.length}`;
    }
    for (let k = 0; k < expected.length; k++) {
      const m = mismatch(expected[k], actual[k], `${where}[${k}]`);
      if (m) return m;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${where}: expected an object`;
    for (const [k, v] of Object.entries(expected)) {
      if (!(k in actual)) return `${where}.${k}: missing`;
      const m = mismatch(v, actual[k], `${where}.${k}`);
      if (m) return m;
    }
    return null;
  }
  return expected === actual ? null : `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/** Every JS number in a value that is not a safe integer (amounts must be strings). */
export function inexactNumbers(value, where = '', out = []) {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) out.push(`${where}: ${value}`);
  else if (Array.isArray(value)) value.forEach((v, k) => inexactNumbers(v, `${where}[${k}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) inexactNumbers(v, `${where}.${k}`, out);
  }
  return out;
}
