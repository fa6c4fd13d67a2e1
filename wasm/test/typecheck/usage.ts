// Compiled with tsc --strict by wasm/test/types.test.mjs: the declarations describe the API.
import {
  init,
  initFigures,
  moduleKind,
  evaluate,
  readSheet,
  priceCourses,
  findNode,
  nodesOf,
  figure,
  formatKr,
  type Response,
  type Course,
  type Problem,
  type Node,
} from '../../js/takst';
import type { TakstBeregner } from '../../js/takst-beregner';

export async function example(sheetText: string): Promise<string> {
  await init();
  const sheet = readSheet(sheetText);
  if (!sheet.ok || !sheet.sheet) return sheet.errors.map((e: Problem) => `${e.code} at ${e.path}: ${e.message}`).join('\n');
  const course: Course = { start: '2026-09-15', phases: [{ service: 'udredning', months: 5 }] };
  const r: Response = priceCourses({ sheet: sheet.sheet, courses: [course], explain: true });
  const total: string | undefined = r.courses?.[0]?.total;
  const node = findNode(r, 'course[0].total');
  const label: string = node ? node.label : '';
  const rounded: Node[] = nodesOf(r).filter((n) => n.rounding !== undefined && n.op !== 'input');
  const ids: number[] = rounded.map((n) => n.id);
  const fig = figure(r, 'course[0].total');
  const why: string = fig ? `${fig.rule ?? ''} ${fig.inputs().map((f) => f.value).join(' + ')}` : '';
  const direct: Response = evaluate({ version: 1, catalogue: sheet.sheet, courses: [course] });
  // @ts-expect-error amounts in a response are strings, not numbers
  const wrong: number = r.courses![0].total;
  return `${label} ${ids.length} ${why} ${total ? formatKr(total) : ''} ${direct.ok} ${wrong}`;
}

/** The calculator's first module: figures only, until an explanation is asked for. */
export async function figuresOnly(): Promise<boolean> {
  await initFigures();
  const kind: 'full' | 'calculator' | 'figures' | null = moduleKind();
  // @ts-expect-error the module kinds are these three (or null)
  const other: 'offers' = moduleKind();
  return kind === 'figures' && other !== null;
}

/** The element's permalink comes as a promise (beregner-mere.js may still be on its way). */
export async function link(): Promise<string> {
  const el: TakstBeregner | null = document.querySelector('takst-beregner');
  // @ts-expect-error a promise, not the link itself
  const wrong: string = el ? el.permalink() : '';
  return el ? `${await el.permalink()} ${wrong}` : '';
}
