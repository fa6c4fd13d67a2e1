// A tiny static server for wasm/dist (the demo and the built module), on 127.0.0.1 only,
// with the strict Content-Security-Policy the calculator must work under, `.wasm` served as
// application/wasm, and the precompressed copies the build writes (`.br`, `.gz`) served with
// their Content-Encoding to a browser that accepts it.
//
//   node wasm/tools/serve.mjs [port]        then open http://127.0.0.1:8080/demo/
//
// The tests import `serve` to start it on a free port, with extra routes for hostile files.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST = path.resolve(here, '../dist');

/** The encodings a request accepts, from its Accept-Encoding header (q=0 excluded). */
function accepted(header) {
  const out = new Set();
  for (const part of String(header || '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name || params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) continue;
    out.add(name.trim());
  }
  return out;
}

/**
 * Starts the server. `routes` maps a URL path to `{ status, type, body, headers }` (served
 * before the files); `mounts` maps a URL prefix ending in "/" to a folder (served like `root`);
 * `headers` are added to every answer (e.g. CORS or Cache-Control); `csp` is the page's
 * Content-Security-Policy (none when falsy). Resolves to `{ url, server, close() }`.
 */
export function serve({ root = DIST, port = 0, csp = CSP, routes = {}, mounts = {}, headers: extra = {} } = {}) {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra };
    if (csp) headers['Content-Security-Policy'] = csp;
    const route = routes[url.pathname];
    if (route) {
      res.writeHead(route.status ?? 200, {
        ...headers,
        'Content-Type': route.type ?? 'application/json; charset=utf-8',
        ...(route.headers ?? {}),
      });
      res.end(route.body ?? '');
      return;
    }
    let folder = base;
    let rest = url.pathname;
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (url.pathname.startsWith(prefix)) {
        folder = path.resolve(dir);
        rest = '/' + url.pathname.slice(prefix.length);
        break;
      }
    }
    let file;
    try {
      file = path.resolve(folder, '.' + decodeURIComponent(rest));
    } catch {
      res.writeHead(400, headers).end('bad request');
      return;
    }
    if (!file.startsWith(folder + path.sep) && file !== folder) {
      res.writeHead(403, headers).end('forbidden');
      return;
    }
    try {
      if (fs.statSync(file).isDirectory()) {
        // /demo → /demo/, so that the page's relative URLs resolve inside the folder.
        if (!url.pathname.endsWith('/')) {
          res.writeHead(301, { ...headers, Location: url.pathname + '/' + url.search }).end();
          return;
        }
        file = path.join(file, 'index.html');
      }
      const stat = fs.statSync(file);
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      // The precompressed copy the browser accepts, brotli first.
      const accepts = accepted(req.headers['accept-encoding']);
      let body = null;
      let encoding = null;
      for (const [name, ext] of [
        ['br', '.br'],
        ['gzip', '.gz'],
      ]) {
        if (accepts.has(name) && fs.existsSync(file + ext)) {
          body = fs.readFileSync(file + ext);
          encoding = name;
          break;
        }
      }
      body ??= fs.readFileSync(file);
      res.writeHead(200, {
        ...headers,
        'Content-Type': type,
        'Content-Length': body.length,
        'Last-Modified': stat.mtime.toUTCString(),
        Vary: 'Accept-Encoding',
        ...(encoding ? { 'Content-Encoding': encoding } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address();
      resolve({ url: `http://127.0.0.1:${p}`, server, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!fs.existsSync(path.join(DIST, 'takst', 'takst_wasm_bg.wasm'))) {
    console.error('wasm/dist is not built: run scripts/wasm-setup.sh, then bash wasm/tools/build.sh');
    process.exit(1);
  }
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  const { url } = await serve({ port });
  console.log(`serving wasm/dist on ${url}/demo/ (Ctrl-C to stop)`);
}
