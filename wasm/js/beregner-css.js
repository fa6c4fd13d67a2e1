// The calculator's stylesheet, adopted by its shadow root as a constructed stylesheet
// (`adoptedStyleSheets`): no <style> element and no style attribute, so a page's
// Content-Security-Policy `style-src 'self'` has nothing to block.
export const css = `
:host {
  display: block;
  max-width: 60rem;
  color: #1b1b1b;
  background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  font-size: 1rem;
  line-height: 1.5;
}
[hidden] { display: none !important; }
* { box-sizing: border-box; }
/* Long unbroken names from a tariff file wrap rather than push the page sideways (reflow). */
.takst { padding: 0.5rem 0; position: relative; overflow-wrap: anywhere; }
h2, h3, h4 { line-height: 1.25; margin: 1.25rem 0 0.5rem; }
h2 { font-size: 1.5rem; margin-top: 0; }
h3 { font-size: 1.25rem; }
h4 { font-size: 1.05rem; }
p { margin: 0.25rem 0 0.5rem; }
.tilbud { color: #3d3d3d; }
.skjult {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
fieldset { border: 1px solid #8a8a8a; border-radius: 4px; margin: 0 0 1rem; padding: 0.75rem 1rem 1rem; min-width: 0; }
legend { font-weight: 600; padding: 0 0.25rem; }
.felter { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: flex-start; }
.felt { display: flex; flex-direction: column; gap: 0.2rem; min-width: 0; flex: 1 1 12rem; max-width: 100%; }
.felt.smal { flex: 0 1 9rem; }
label { font-weight: 600; }
.hjaelp { font-size: 0.9rem; color: #4a4a4a; margin: 0; }
input, select, button { font: inherit; color: inherit; max-width: 100%; }
input, select {
  border: 1px solid #6b6b6b; border-radius: 4px; padding: 0.35rem 0.5rem; background: #fff; min-height: 2.5rem;
}
input[aria-invalid="true"], select[aria-invalid="true"] { border: 2px solid #b00020; }
button {
  border: 2px solid #1a4d8f; border-radius: 4px; background: #fff; color: #1a4d8f;
  padding: 0.3rem 0.8rem; min-height: 2.5rem; cursor: pointer; font-weight: 600;
}
button:hover { background: #e8f0fb; }
/* Saving and the CSV exports while the form has an error: off, and looking it (the note says why). */
button:disabled { color: #595959; border-color: #8a8a8a; background: #f2f2f2; cursor: not-allowed; }
/* A button's words never break inside ("Hvor-fori?"), and a small one stays on one line. */
button { overflow-wrap: normal; word-break: normal; }
button.lille { min-height: 2rem; padding: 0.1rem 0.5rem; font-size: 0.9rem; border-width: 1px; white-space: nowrap; }
:focus-visible, details > summary:focus-visible, .rulle:focus-visible,
input[type="date"]:focus-within {
  outline: 3px solid #0b57d0; outline-offset: 2px; box-shadow: 0 0 0 5px #fff;
}
/* The date field's calendar button: when it has the focus, the field is neither :focus nor
   :focus-visible, only :focus-within; the field then shows the page's ring (above), and the
   button a ring of its own. */
input::-webkit-calendar-picker-indicator:focus { outline: 2px solid #0b57d0; outline-offset: 1px; border-radius: 2px; }
.fejl { color: #b00020; font-weight: 600; margin: 0.1rem 0 0; }
.fejl::before { content: "⚠ "; }
.fejlboks {
  border: 2px solid #b00020; border-radius: 4px; padding: 0.5rem 0.75rem; margin: 0.5rem 0 1rem; background: #fff5f6;
}
.fejlboks p, .fejlboks li { color: #7a0016; }
.detalje { display: block; font-weight: 400; font-size: 0.85rem; color: #4a4a4a; overflow-wrap: anywhere; }
ol.faser { list-style: none; margin: 0; padding: 0; }
.tillaeg { margin: 0.75rem 0 0; padding: 0; list-style: none; }
.tillaeg li { border-top: 1px dashed #b5b5b5; padding-top: 0.5rem; margin-top: 0.5rem; }
.knapper { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.75rem; }
.resultat { border-top: 2px solid #1a4d8f; margin-top: 1rem; }
.status { font-size: 1.1rem; font-weight: 600; }
dl.tal { display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr); gap: 0.35rem 1rem; margin: 0.5rem 0; }
dl.tal dt { font-weight: 400; }
dl.tal dd { margin: 0; font-weight: 700; display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: baseline; }
@media (max-width: 30rem) { dl.tal { grid-template-columns: minmax(0, 1fr); } dl.tal dd { margin-bottom: 0.5rem; } }
.advarsler { border-left: 4px solid #8a5a00; padding: 0.25rem 0.75rem; margin: 0.5rem 0; background: #fffaf0; }
.rulle { overflow-x: auto; max-width: 100%; position: relative; }
table { border-collapse: collapse; margin: 0.25rem 0 0.75rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #c9c9c9; text-align: left; vertical-align: top; }
td.tal, th.tal { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.diagram { width: 100%; max-width: 42rem; height: auto; display: block; margin: 0.5rem 0; }
.diagram .soejle { fill: #1a4d8f; }
.diagram .flad { fill: none; stroke: #b34700; stroke-width: 2.5; }
.diagram .punkt { fill: #b34700; }
.diagram .akse { stroke: #5a5a5a; stroke-width: 1; }
.diagram text { fill: #1b1b1b; font-size: 12px; font-family: inherit; }
.forklaring-tekst { list-style: disc; }
.signatur { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0; padding: 0; list-style: none; font-size: 0.9rem; }
.signatur li::before { content: ""; display: inline-block; width: 0.9rem; height: 0.9rem; margin-right: 0.35rem; vertical-align: -0.1rem; }
.signatur .s-forloeb::before { background: #1a4d8f; }
.signatur .s-flad::before { height: 0.25rem; vertical-align: 0.2rem; background: #b34700; }
.kilde { margin: 0.5rem 0 0.75rem; }
.vejledende { font-weight: 700; margin-bottom: 0; }
.kilde .noter { margin-top: 0; }
.besked, .fejl.advarsel { border-left: 4px solid #8a5a00; padding: 0.25rem 0.75rem; margin: 0.5rem 0; background: #fffaf0; color: #1b1b1b; }
.fejl.advarsel::before { content: ""; }
.fejl.advarsel { font-weight: 400; }
.foraeldet-besked {
  border: 2px dashed #8a5a00; padding: 0.4rem 0.75rem; margin: 0.5rem 0; background: #fffaf0; font-weight: 600;
}
.tal-og-tabeller.foraeldet { border-left: 4px dashed #8a5a00; padding-left: 0.75rem; }
.planer.to { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); gap: 0 1.25rem; }
.plan h3, .plan h4, .plan h5 { margin-top: 0.25rem; }
.sammenfatning { font-weight: 700; }
tfoot th, tfoot td, tr.i-alt th, tr.i-alt td { font-weight: 700; border-top: 2px solid #5a5a5a; }
.planer-tabel td.tal { white-space: normal; }
.planer-tabel td.tal > span { white-space: nowrap; }
.diagram .soejle-b { fill: #b34700; }
.signatur .s-plan-b::before { background: #b34700; }
.link-linje { overflow-wrap: anywhere; }
.kun-print { display: none; }
.forklaring { border: 1px solid #8a8a8a; border-radius: 4px; padding: 0.5rem 1rem; margin: 1rem 0; }
.forklaring ul { margin: 0.25rem 0; padding-left: 1.25rem; }
.forklaring li { margin: 0.2rem 0; }
.forklaring summary { cursor: pointer; }
.forklaring .meta { font-size: 0.9rem; color: #3d3d3d; margin: 0.1rem 0 0.25rem; }
.vaerdi { font-weight: 700; white-space: nowrap; }
.noter { font-size: 0.9rem; color: #4a4a4a; }
/* The printed quote: the plan as text, the figures, where they come from; no form controls
   and no buttons on paper. */
@media print {
  :host { max-width: none; font-size: 10pt; line-height: 1.35; color: #000; }
  .kun-print { display: block; }
  form, .vaerktoej, button, details.linjer, .forklaring, .besked, .knap-kolonne, .status { display: none !important; }
  .takst { padding: 0; }
  h2 { font-size: 14pt; }
  h3 { font-size: 12pt; margin: 0.6rem 0 0.3rem; }
  h4 { font-size: 11pt; margin: 0.5rem 0 0.25rem; }
  .resultat { border-top: 1px solid #000; margin-top: 0.5rem; }
  .rulle { overflow: visible; }
  /* The total once, at the end: a footer repeated on every page would read as a subtotal. */
  tfoot { display: table-row-group; }
  table { width: 100%; margin: 0.2rem 0 0.4rem; }
  th, td { padding: 0.05rem 0.4rem; }
  tr, .kilde, .plan-tekst, .advarsler, dl.tal, .diagram-boks { break-inside: avoid; }
  .diagram { max-width: 13cm; }
  dl.tal { gap: 0.1rem 1rem; }
  .vejledende { font-size: 12pt; }
}
`;
