// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside every file of
// wasm/dist that a browser downloads (.wasm, .js, .json, .html, .css, .svg), for servers that
// serve precompressed files (wasm/tools/serve.mjs; nginx gzip_static/brotli_static, Caddy's
// `precompressed`): about a third of the bytes cross the wire, with no compression per request.
//
//   node wasm/tools/compress.mjs [folder]      (default wasm/dist)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.join(here, '../dist'));
const KINDS = new Set(['.wasm', '.js', '.json', '.html', '.css', '.svg']);

let files = 0;
let raw = 0;
let br = 0;
for (const entry of fs.readdirSync(root, { recursive: true })) {
  const file = path.join(root, entry);
  if (!KINDS.has(path.extname(file)) || !fs.statSync(file).isFile()) continue;
  const body = fs.readFileSync(file);
  const b = zlib.brotliCompressSync(body, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
  const g = zlib.gzipSync(body, { level: 9 });
  fs.writeFileSync(file + '.br', b);
  fs.writeFileSync(file + '.gz', g);
  // The copies keep the file's time, so Last-Modified is the same whichever is served.
  const { atime, mtime } = fs.statSync(file);
  fs.utimesSync(file + '.br', atime, mtime);
  fs.utimesSync(file + '.gz', atime, mtime);
  files++;
  raw += body.length;
  br += b.length;
}
console.log(`compressed ${files} files in ${path.relative(process.cwd(), root) || '.'}: ${(raw / 1024).toFixed(0)} KB → ${(br / 1024).toFixed(0)} KB brotli`);
