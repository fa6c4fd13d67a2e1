import { setUp, field } from './browser.mjs';
const env = await setUp();
const { page } = await env.page();
await field(page, 'start').focus();
const info = async () => page.evaluate(() => {
  const a = document.querySelector('takst-beregner').shadowRoot.activeElement;
  const s = getComputedStyle(a);
  return `${a.id} f=${a.matches(':focus')} fw=${a.matches(':focus-within')} ${a.matches(':focus-visible')} ${s.outlineStyle} ${s.outlineWidth}`;
});
for (let k = 0; k < 5; k++) {
  console.log(k, await info());
  await page.locator('takst-beregner #f-start').screenshot({ path: `/tmp/date-${k}.png` });
  await page.keyboard.press('Tab');
}
await env.close();
