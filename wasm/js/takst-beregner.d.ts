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
  /** The last response as the page computed it: without the explanation unless one is
   * open, and while no box of invoice lines is open, its quotes without their lines and the
   * response without the tariff sheet. */
  readonly response: Response | null;
  /** The JSON text of the last request the page computed. */
  readonly request: string | undefined;
  /** The time of each recompute. */
  readonly timings: Timing[];
  /** The permalink of the course as it is (this page's address with `#takst=…`); imports
   * beregner-mere.js first if the element has not yet (it does after its first result). */
  permalink(): Promise<string>;
}

declare global {
  interface HTMLElementTagNameMap {
    'takst-beregner': TakstBeregner;
  }
  interface HTMLElementEventMap {
    /** Fired after every computation (and when a tariff file could not be read), with a
     * request and its response, the quotes with their invoice lines and the response with
     * its tariff sheet: for a result the page computed without them, read-only properties
     * that compute them when first read. */
    'takst-beregnet': CustomEvent<{ response: Response | null; request: string | undefined }>;
  }
}
