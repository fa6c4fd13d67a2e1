// TypeScript declarations of takst-beregner.js: the <takst-beregner> custom element.
import type { Response } from './types/response';

export interface Timing {
  /** The core's evaluate, with the request and response JSON (ms). */
  evaluate: number;
  /** evaluate plus the page update (ms). */
  total: number;
}

export class TakstBeregner extends HTMLElement {
  /** The tariff sheet as the core read it, or null while none could be read. */
  readonly sheet: object | null;
  /** The last response (without the explanation). */
  readonly response: Response | null;
  /** The last request's JSON text. */
  readonly request: string | undefined;
  /** The time of each recompute. */
  readonly timings: Timing[];
  /** The permalink of the course as it is (this page's address with `#takst=…`). */
  permalink(): string;
}

declare global {
  interface HTMLElementTagNameMap {
    'takst-beregner': TakstBeregner;
  }
  interface HTMLElementEventMap {
    /** Fired after every computation (and when a tariff file could not be read). */
    'takst-beregnet': CustomEvent<{ response: Response | null; request: string | undefined }>;
  }
}
