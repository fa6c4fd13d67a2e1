// The calculator's Danish texts for the core's errors and warnings, in one place.
//
// The core gives every error and warning a stable `code`, a `path`, an English `message` and
// a Danish `message_da`. The calculator shows only Danish: `message_da` (`danish()`).
//
// The texts for the form's own fields (`fieldMessage`) are the calculator's: they name the
// field and say what to type, which a message about a request path cannot.

import { hasDecimalPoint } from './format.js';

/**
 * A Danish sentence for an error or warning of the core: its `message_da`. The core gives one
 * for every error and warning (core/tests/danish.rs holds it to that, in Danish), so the
 * calculator keeps no texts of its own by code; a problem without one (which the calculator's
 * own core never gives) gets a general sentence, never the English message.
 */
export function danish(problem) {
  const da = problem && problem.message_da;
  if (typeof da === 'string' && da.trim() !== '') return da.trim();
  return 'Beregningen har en bemærkning, som beregneren ikke kan gengive.';
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
