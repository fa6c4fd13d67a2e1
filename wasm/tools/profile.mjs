// Where a recompute of the calculator spends its time in Debian's Chromium: the demo page, a
// 2-phase course, RUNS recomputes (default 2,000) under the DevTools protocol's sampling
// profiler, then the functions by self time and by inclusive time (milliseconds over all
// recomputes and per cent of the samples). UNDER=name,name also prints the call paths below
// those functions. Names are the minified build's (class methods keep theirs); the build's
// source maps name the rest. A developer's tool, not a test: `node wasm/tools/profile.mjs`.
import { setUp } from '../e2e/browser.mjs';
import { twoPhaseCourse, recompute } from './recompute.mjs';

const RUNS = Number(process.env.RUNS ?? 2000);
const env = await setUp();
try {
  const { page } = await env.page();
  await twoPhaseCourse(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  await recompute(page, RUNS);
  const { profile } = await cdp.send('Profiler.stop');

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id) => {
    const f = byId.get(id).callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  };
  // Microseconds of samples that ended in each node.
  const time = new Map();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  const self = new Map();
  const inclusive = new Map();
  for (const [id, t] of time) {
    total += t;
    self.set(name(id), (self.get(name(id)) ?? 0) + t);
    const seen = new Set();
    for (let x = id; x !== undefined; x = parent.get(x)) {
      const k = name(x);
      if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + t);
      seen.add(k);
    }
  }
  const show = (title, m, n = 30) => {
    console.log(`--- ${title}`);
    for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      console.log(`${(t / 1000).toFixed(1).padStart(9)} ms ${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`);
    }
  };
  console.log(`${RUNS} recomputes, ${(total / 1000).toFixed(0)} ms of samples (${(total / 1000 / RUNS).toFixed(3)} ms each, with the profiler's cost)`);
  show('self time', self);
  show('inclusive time', inclusive, 40);
  for (const fn of (process.env.UNDER ?? '').split(',').filter(Boolean)) {
    const paths = new Map();
    for (const [id, t] of time) {
      const chain = [];
      for (let x = id; x !== undefined; x = parent.get(x)) chain.push(byId.get(x).callFrame.functionName || '(anonymous)');
      const i = chain.indexOf(fn);
      if (i >= 0) {
        const k = i === 0 ? '(self)' : chain.slice(0, i).reverse().join(' > ');
        paths.set(k, (paths.get(k) ?? 0) + t);
      }
    }
    show(`below ${fn}`, paths, 15);
  }
} finally {
  await env.close();
}
