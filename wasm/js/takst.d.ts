// TypeScript declarations of takst.js. The request, response and tariff-sheet types are
// generated from the committed JSON Schemas (which are generated from the Rust types) into
// ./types/ by wasm/tools/types.mjs; a test fails when they drift.

import type { Request, Course, Indexation, Billing } from './types/request';
import type {
  Response,
  Error as Problem,
  ErrorCode,
  Warning,
  WarningCode,
  RoundingStep,
  NodeKind,
  TariffSheet,
  Quote,
  InvoiceLine,
} from './types/response';
import type { TariffSheet as TariffSheetInput } from './types/tariff-sheet';

export type {
  Request,
  Course,
  Indexation,
  Billing,
  Response,
  Problem,
  ErrorCode,
  Warning,
  WarningCode,
  TariffSheet,
  TariffSheetInput,
  Quote,
  InvoiceLine,
};

/** An error in the use of the module (not loaded yet, could not load); not a problem of a request. */
export class TakstError extends Error {
  readonly code: 'not_loaded' | 'load_failed';
  readonly path: string;
}

/**
 * Loads and starts the full module (every request but e-invoices); `source` defaults to
 * takst_wasm_bg.wasm beside takst.js. Replaces the calculator's modules if one is running.
 */
export function init(
  source?: string | URL | globalThis.Response | BufferSource | WebAssembly.Module,
): Promise<void>;
/**
 * Loads and starts the calculator's module (catalogues and courses only, byte for byte as the
 * full one, with the explanation; `unsupported` for an offer, a notice, a settlement, financing
 * or scenarios); `source` defaults to takst_beregner_bg.wasm beside takst.js. Keeps it or the
 * full module if running; replaces the first module (`initFigures`).
 */
export function initCalculator(
  source?: string | URL | globalThis.Response | BufferSource | WebAssembly.Module,
): Promise<void>;
/**
 * Loads and starts the calculator's first module: catalogues and courses without the
 * explanation, byte for byte as the other modules; `unsupported` for a request that asks for
 * the explanation (`options.explain`, true by default), has a provider section, a `billing`
 * section, a course's `changes` or `options.caseload: true`. `source`
 * defaults to takst_tal_bg.wasm beside takst.js. Keeps a module already running.
 */
export function initFigures(
  source?: string | URL | globalThis.Response | BufferSource | WebAssembly.Module,
): Promise<void>;
/**
 * Which module is running: 'full', 'calculator', 'figures' (the calculator's first module), or
 * null when none is (not started, or stopped by an internal error).
 */
export function moduleKind(): 'full' | 'calculator' | 'figures' | null;
/**
 * Starts a module synchronously from its bytes or a compiled module, only when none is
 * running (it keeps a running module: use `init` or `initCalculator` to replace a smaller one).
 */
export function initSync(bytesOrModule: BufferSource | WebAssembly.Module): void;
export function isReady(): boolean;
export function coreVersion(): string;

/** The core's response text, byte for byte what Rust's `takst::evaluate_json` returns. */
export function evaluateJson(request: string): string;

/**
 * Evaluates a request (JSON text or an object) and returns the response. Amounts are decimal
 * strings. Problems are in `errors` (`ok: false`); nothing is thrown for bad input. JS numbers
 * that are not safe integers are refused (`invalid_type`): give amounts as strings.
 */
export function evaluate(request: string | Request): Response;

export interface SheetResult {
  ok: boolean;
  /** The sheet as the core read it (amounts as strings); present when `ok`. */
  sheet?: TariffSheet;
  warnings: Warning[];
  /** Paths are relative to the sheet, e.g. `services[0].tariff.day`. */
  errors: Problem[];
}

/** Reads a published tariff sheet (its JSON text, or an object). */
export function readSheet(sheet: string | TariffSheetInput): SheetResult;
/**
 * Reads a file of one sheet or a JSON array of sheets (a provider's offers): one result per
 * sheet; an array's paths start with the sheet's index (`[1].services[0].tariff.day`).
 */
export function readSheets(text: string): SheetResult[];

export interface PriceCourses {
  /** The sheet's JSON text (inserted as it is) or an object such as `readSheet(text).sheet`. */
  sheet: string | TariffSheet | TariffSheetInput;
  courses: Course[];
  index?: Indexation;
  billing?: Billing;
  /** Include the explanation graph (default false). */
  explain?: boolean;
  quotes?: boolean;
  caseload?: boolean;
}

/** Prices courses from a tariff sheet: `evaluate({ version: 1, catalogue: sheet, courses, ... })`. */
export function priceCourses(args: PriceCourses): Response;

/**
 * A node of the explanation read back from the response's node table (format 3): its
 * kind's key, label, Danish unit, path, rule and source with every `{n}` filled by `texts[args[n]]`.
 */
export interface Node {
  /** Position in the graph; `inputs` refer to ids. */
  id: number;
  key: string;
  label: string;
  /** The exact value: a decimal string, or a fraction "p/q". */
  value: string;
  value_approx?: string;
  unit: NodeKind['unit'];
  op: NodeKind['op'];
  /** The unit in Danish ("kr. pr. døgn" for a figure of a residential offer's sheet, "kr. pr. dag" for a day offer's). */
  unit_da: string;
  /** For inputs: the request field the value was read from. */
  path?: string;
  inputs: number[];
  rule: string;
  source?: string;
  rounding?: RoundingStep;
}

/** Every node of a response's explanation, read back once and kept with the response. */
export function nodesOf(response: Response): Node[];
/** The explanation node with this key (e.g. `course[0].total`). */
export function findNode(response: Response, key: string): Node | undefined;
/** The nodes a node was computed from. */
export function inputsOf(response: Response, node: Node): Node[];

/** A figure of the explanation as the calculator shows it (the one reader of the graph's format). */
export interface Figure {
  key: string;
  label: string;
  /** The exact value: a decimal string, or a fraction "a/b" (then `approx` is its decimal). */
  value: string;
  approx?: string;
  unit?: string;
  /** The unit in Danish, as the core words it ("kr. pr. døgn"). */
  unitDa?: string;
  rule?: string;
  source?: string;
  path?: string;
  rounding: { increment?: string; mode?: string; before: string; beforeApprox?: string; after?: string } | null;
  /** The figures it was computed from. */
  inputs(): Figure[];
}
/** The figure with this key in a response computed with `explain: true`. */
export function figure(response: Response, key: string): Figure | undefined;

/** "1234567.5" → "1.234.567,5" (text only; never through a JS number). */
export function danishNumber(decimal: string): string;
/** "1234.50" → "1.234,50 kr." */
export function formatKr(decimal: string): string;
/** "2026-09-15" → "15.09.2026" (the calculator's one date format) */
export function formatDate(iso: string): string;
/** "2026-09" → "september 2026" (short: "sep. 2026") */
export function formatMonth(yearMonth: string, short?: boolean): string;
