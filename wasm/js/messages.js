// The calculator's Danish texts for the core's errors and warnings, in one place.
//
// The core gives every error and warning a stable `code`, a `path`, an English `message` and
// (from issue 14 on) a Danish `message_da`. The calculator shows only Danish: `message_da`
// when the core gives it, otherwise the text for the code in FALLBACK below. Once every core
// the calculator ships with has `message_da`, FALLBACK and its use in `danish()` can go.
//
// The texts for the form's own fields (`fieldMessage`) are the calculator's: they name the
// field and say what to type, which a message about a request path cannot.

import { hasDecimalPoint } from './format.js';

/** Danish texts by code, used only when the core gives no `message_da`. */
export const FALLBACK = {
  // errors
  syntax: 'Filen er ikke gyldig JSON',
  unknown_field: 'Et felt, som formatet ikke kender',
  missing_field: 'Et felt mangler',
  invalid_type: 'Et felt har en forkert type',
  invalid_value: 'En værdi er ikke tilladt',
  invalid_number: 'Et tal kan ikke læses',
  unsupported_version: 'Filen er i en version af formatet, som beregneren ikke kender',
  unsupported: 'Beregningen beder om noget, som beregneren i browseren ikke kan (fx e-fakturaer)',
  negative: 'En værdi er negativ',
  not_positive: 'En værdi skal være større end nul',
  out_of_range: 'En værdi er uden for det mulige',
  duplicate_id: 'Det samme id står to gange',
  unknown_reference: 'Der henvises til en ydelse, som ikke findes',
  missing_value: 'En værdi mangler',
  conflict: 'To felter udelukker hinanden',
  overflow: 'Et tal er for stort til at regne med',
  division_by_zero: 'Et tal ville kræve division med nul',
  duplicate_key: 'Et felt står to gange',
  limit_exceeded: 'Filen er større, end beregneren tillader',
  depends_on_error: 'En del af beregningen kan ikke laves, fordi en anden del, den bygger på, har en fejl',
  internal: 'Beregneren fejlede uventet',
  // warnings that a course priced from a tariff sheet can give
  tariff_year_unknown:
    'Forløbet rækker ind i et år, som takstfilen ikke har takster for. Dagene er prissat med taksten fra det nærmeste år; angiv en PL-fremskrivning for at fremskrive taksterne',
  no_average_tariff: 'Takstfilen har ingen gennemsnitstakst, så forløbet kan ikke sammenlignes med den',
  zero_tariff: 'En takst i takstfilen er 0 kr.',
  no_month_tariff: 'En ydelse har ingen månedstakst; måneden er afregnet pr. dag',
  module_order: 'Et senere moduls takst er højere end et tidligere moduls',
  service_mix_not_100: 'Ydelsernes andele summer ikke til 100 %',
  rounding_residue: 'Resten (takstindtægt − omkostningsgrundlag) er over grænsen',
  notice_beyond_end: 'Opsigelsesperioden rækker ud over forløbets planlagte slutning; forløbet slutter som planlagt',
  scenario_changes_outside_figures: 'Scenariet ændrer kun noget, som forklaringens tal ikke viser; sammenlign svarene',
  change_beyond_end: 'En ændring rækker ud over forløbets slutning; kun forløbets dage afregnes',
  add_on_twice: 'Den samme tillægsydelse afregnes to gange for de samme dage',
  add_on_already_ended: 'Tillægsydelsen er allerede slut, så ændringen afslutter intet',
  part_time_residential: 'Deltidsbrøker på et døgntilbud',
  part_time_mismatch: 'En deltidstakst i takstfilen svarer ikke til sin procent af dagtaksten; deltidstaksten afregnes',
  comparison_at_full_day: 'Deltidsdage er sammenlignet med den fulde gennemsnitstakst pr. dag, fordi takstbladet ikke har en deltidstakst for gennemsnittet',
  day_basis_billed_daily: 'Dagtaksterne er beregnet på færre dage end årets kalenderdage, og forløbet afregner alle kalenderdage pr. dag',
  package_mismatch: 'En pakkes takst i takstfilen svarer ikke til pakkeordningen; den angivne takst afregnes',
  period_tariff_mismatch: 'En måneds- eller årstakst i takstfilen svarer ikke til dagtaksten gange dagbasis; en hel måned afregnes efter månedstaksten',
  municipality_spelling: 'En kommunes navn er skrevet på to måder; takst sammenligner navne, som de er skrevet, så det er to kommuner',
  // warnings of the other sections of a request (not priced by the calculator, listed so that
  // every code has a Danish text)
  reserve_expired: 'Et hensat beløb er ikke brugt inden for de tilladte år',
  reserve_expiring: 'Et hensat beløb skal bruges næste år, som er det sidste år, det må bruges',
  buyer_other_municipality: 'Forløb, som en anden kommune betaler, er ikke med i køberens opgørelse',
  refund_year_unknown: 'Et år har ingen grænser for statsrefusion (SEL § 176), så der er ikke regnet med refusion det år',
  occupancy_below_band: 'Den budgetterede belægning er under det aftalte interval',
  occupancy_above_band: 'Den budgetterede belægning er over det aftalte interval',
  occupancy_years: 'Belægningen er beregnet ud fra et andet antal år end to',
  overhead_above_cap: 'Overhead er over det aftalte loft',
  settlement_not_split: 'Efterreguleringen er ikke fordelt på kommunerne, fordi et forløb i året ikke har en betalende kommune',
  empty_overhead_base: 'En overheadprocent er taget af kategorier uden omkostninger, så den er 0 kr.',
  partner_billed_full_tariff:
    'Forløb i partnerkommunerne afregnes efter tilbuddets takster, ikke efter partnertaksten',
  tariff_off_step: 'En takst er ikke et helt antal af takstbladets afrundingstrin',
  part_time_above_full: 'En deltidsdag koster mere end en fuldtidsdag',
  partner_without_share:
    'En partner betaler intet af det faste bidrag, men får partnertaksten',
  base_funding_not_in_offer:
    'Basisfinansieringens kilder er ikke den basisfinansiering, tilbuddets takster er beregnet med, så afsnittets døgntakst er ikke tilbuddets',
};

/** A Danish sentence for an error or warning of the core: `message_da`, else the fallback. */
export function danish(problem) {
  const da = problem && problem.message_da;
  if (typeof da === 'string' && da.trim() !== '') return da.trim();
  const text = FALLBACK[problem && problem.code];
  if (!text) return 'Beregningen har en bemærkning, som beregneren ikke kan gengive.';
  return text.endsWith('.') ? text : `${text}.`;
}

/** The years the core prices, as its message states them ("… (1900–2200)"). */
function years(e) {
  const m = /\((\d{4})–(\d{4})\)/.exec(`${(e && e.message_da) || ''} ${(e && e.message) || ''}`);
  return m ? `mellem år ${m[1]} og ${m[2]}` : 'inden for de år, beregneren kan prise';
}

/**
 * A clear Danish message for a problem at one of the form's fields. `field` is the field's
 * key without its plan ("start", "pl", "duration", "service", "id", "qty", "phases" or
 * "general"); `phase` is the phase the field belongs to (its unit and the text typed);
 * `typed` is the text in the field.
 */
export function fieldMessage(field, e, phase, typed = '') {
  const c = e.code;
  if (field === 'start') {
    if (c === 'missing_field' || c === 'invalid_value' || c === 'invalid_type') return 'Angiv en gyldig startdato.';
    return `Startdatoen skal ligge ${years(e)}.`;
  }
  if (field === 'duration') {
    const until = phase && phase.unit === 'until';
    if (c === 'missing_value' || c === 'missing_field') {
      return until ? 'Angiv fasens slutdato.' : 'Angiv fasens varighed.';
    }
    if (until) {
      if (c === 'out_of_range') {
        // At the date itself: before the phase starts; at the phase: outside the years priced.
        return /\.until$/.test(e.path || '') ? 'Slutdatoen ligger før fasens start.' : `Forløbet skal ligge ${years(e)}.`;
      }
      return 'Angiv en gyldig slutdato.';
    }
    // A negative whole number is too short, not too long, whatever the core calls it.
    if (c === 'not_positive' || (phase && /^\s*-\s*\d+\s*$/.test(phase.amount || ''))) return 'Varigheden skal være mindst 1.';
    if (c === 'invalid_type' || c === 'invalid_value' || c === 'invalid_number') {
      return 'Skriv varigheden som et helt tal, f.eks. 5.';
    }
    if (c === 'out_of_range') {
      return `Varigheden er for lang: forløbet skal ligge ${years(e)}.`;
    }
    return 'Varigheden kan ikke bruges.';
  }
  if (field === 'service') {
    if (c === 'unknown_reference') return 'Ydelsen findes ikke i takstfilen. Vælg en anden ydelse.';
    return 'Vælg en ydelse fra takstfilen.';
  }
  if (field === 'id') {
    if (c === 'unknown_reference') return 'Tillægget findes ikke i takstfilen. Vælg et andet eller fjern det.';
    return 'Vælg et tillæg fra takstfilen.';
  }
  if (field === 'qty') {
    if (c === 'missing_value' || c === 'missing_field') return 'Angiv antal pr. måned.';
    if (c === 'negative') return 'Antallet må ikke være negativt.';
    if (c === 'invalid_number' && hasDecimalPoint(typed)) return 'Skriv decimaler med komma, f.eks. 1,5 (punktum kun mellem tusinder, f.eks. 1.500).';
    if (c === 'invalid_number' || c === 'invalid_type') return 'Skriv antallet som et tal, f.eks. 6 eller 6,5.';
    if (c === 'overflow') return 'Antallet er for stort til at regne med.';
    return 'Antallet kan ikke bruges.';
  }
  if (field === 'pl') {
    if (c === 'invalid_number' && hasDecimalPoint(typed)) return 'Skriv decimaler med komma, f.eks. 1,96.';
    if (c === 'invalid_number' || c === 'invalid_type') return 'Skriv PL-satsen som et tal i procent, f.eks. 1,96.';
    if (c === 'out_of_range') return 'PL-satsen skal være større end -100 % og højst 100 %.';
    return 'PL-satsen kan ikke bruges.';
  }
  if (field === 'phases') return 'Forløbet skal have mindst én fase.';
  if (c === 'overflow') return 'Et beløb bliver for stort til at regne med. Tjek antal og takster.';
  if (c === 'limit_exceeded') return 'Forløbet er for stort til beregneren.';
  return danish(e);
}
