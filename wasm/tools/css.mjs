// Writes the calculator's stylesheet module minified: js/beregner-css.js holds the stylesheet
// as a readable template string (comments, one rule a line), which esbuild's JS minifier
// leaves as it is; this minifies the CSS itself with esbuild's CSS minifier and writes the
// module `export const css = "…"` to the folder given (build.sh: wasm/dist/takst), with a
// source map that points at the readable source. 0.6 KB less gzipped before the first result.
//
//   node wasm/tools/css.mjs wasm/dist/takst
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.join(here, '../js/beregner-css.js');
const out = path.resolve(process.argv[2] ?? path.join(here, '../dist/takst'));
const module = await import(pathToFileURL(source).href);
// Only `css` is written back: a second export would be lost.
if (Object.keys(module).join() !== 'css') throw new Error(`js/beregner-css.js must export css alone, not ${Object.keys(module).join(', ')}`);
const { css } = module;
const min = await esbuild.transform(css, { loader: 'css', minify: true, logLevel: 'error' });
if (min.warnings.length) throw new Error(`the stylesheet: ${min.warnings.map((w) => w.text).join('; ')}`);
const code = min.code.trim();
if (!code) throw new Error('the stylesheet minified to nothing');
const name = 'beregner-css.js';
/** A source map's base-64 VLQ of a whole number ≥ 0 (a line offset). */
function vlq(n) {
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let v = n << 1; // the sign bit, 0
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += digits[digit];
  } while (v > 0);
  return out;
}
// The map names the readable module as the one source, whole, so the browser's developer
// tools show it; its one mapping points at the line where the string begins (the minified
// text is a single string).
const line = fs.readFileSync(source, 'utf8').split('\n').findIndex((l) => l.startsWith('export const css'));
if (line < 0) throw new Error('js/beregner-css.js: no `export const css`');
const map = {
  version: 3,
  sources: [path.relative(out, source).split(path.sep).join('/')],
  sourcesContent: [fs.readFileSync(source, 'utf8')],
  names: [],
  mappings: `AA${vlq(line)}A`,
};
fs.writeFileSync(path.join(out, name), `export const css=${JSON.stringify(code)};\n//# sourceMappingURL=${name}.map\n`);
fs.writeFileSync(path.join(out, `${name}.map`), JSON.stringify(map));
