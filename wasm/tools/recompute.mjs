// The course the report (report.mjs) and the profile (profile.mjs) recompute, and the
// recomputes themselves: on the demo page, a course from 15 September 2026 with PL
// indexation, 5 months of assessment and then development, whose length is typed again and
// again (6 to 11 months), the browser given a turn every 50 recomputes.
import { field } from '../e2e/browser.mjs';

/** Fills in the course on the demo page. */
export async function twoPhaseCourse(page) {
  await field(page, 'start').fill('2026-09-15');
  await field(page, 'pl').fill('1,96');
  await field(page, 'p0.duration').fill('5');
  await page.locator('takst-beregner').getByRole('button', { name: 'Tilføj fase' }).click();
  await field(page, 'p1.duration').fill('8');
}

/** `runs` recomputes of that course; returns the element's timings of them. */
export function recompute(page, runs) {
  return page.evaluate(async (runs) => {
    const el = document.querySelector('takst-beregner');
    const input = el.shadowRoot.querySelector('#f-p1-duration');
    el.timings.length = 0;
    for (let k = 0; k < runs; k++) {
      input.value = String(6 + (k % 6));
      input.dispatchEvent(new Event('input', { bubbles: true }));
      if (k % 50 === 0) await new Promise((r) => setTimeout(r, 0));
    }
    return el.timings.slice();
  }, runs);
}
