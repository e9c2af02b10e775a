/**
 * The cohort page's form (a GET form: running changes nothing, and the result's address can be kept and
 * shared). Checkboxes and selects only; every field is shown without script, the method's settings in
 * their own group.
 */
import type { CohortChoices } from '../cohorts/cohort-choices.js';
import { BREAKDOWNS, GRADES, GROUPINGS, OUTCOMES, SEXES } from '../cohorts/cohort-definition.js';
import { COHORT_METHODS } from '../cohorts/methods/registry.js';
import { CASE_AGENCIES, CASE_STATUSES } from '../watch/cases.repository.js';
import { COMPARISON_LABELS, cohortMethodLabel } from '../labels/cohort-labels.js';
import { academicYearLabel, label, VOCABULARIES } from '../labels/labels.js';
import type { CohortForm } from './cohort-form.js';
import { cohortMessagesFor, type CohortMessages } from './cohort-messages.js';
import { html, type SafeHtml } from './html.js';
import type { PageContext } from './layout.js';

type FormField = keyof CohortForm;

/** The form field a problem of the definition is about (its path as the cohort check names it). */
export function formFieldOf(path: string): FormField {
  const rules: [RegExp, FormField][] = [
    [/^population\.academicYears/, 'years'],
    [/^population\.grades/, 'grades'],
    [/^population\.schools\.types/, 'schoolTypes'],
    [/^population\.schools\.codes/, 'schools'],
    [/^population\.schools/, 'inProgramme'],
    [/^population\.students\.sex/, 'sexes'],
    [/^population\.students\.specialNeeds/, 'specialNeeds'],
    [/^population\.students/, 'priorLongTermAbsent'],
    [/^outcomes/, 'outcomes'],
    [/^subjects/, 'subjects'],
    [/^groups\.programme/, 'groupProgramme'],
    [/^groups/, 'groupBy'],
    [/^breakdowns/, 'breakdown1'],
    [/^timeGrain/, 'timeGrain'],
    [/^analysis\.programme/, 'programme'],
    [/^analysis\.outcome/, 'outcome'],
    [/^analysis\.comparison/, 'comparison'],
    [/^analysis\.preYears/, 'preYears'],
    [/^analysis\.postYears/, 'postYears'],
    [/^analysis\.academicYear/, 'academicYear'],
    [/^analysis\.window/, 'caseWindow'],
    [/^analysis\.agencies/, 'caseAgencies'],
    [/^analysis\.statuses/, 'caseStatuses'],
  ];
  return rules.find(([pattern]) => pattern.test(path))?.[1] ?? 'method';
}

/** The label of each field, as the problem list names it. */
export function fieldLabel(field: FormField, c: CohortMessages): string {
  const labels: Record<FormField, string> = {
    years: c.years,
    grades: c.grades,
    schoolTypes: c.schoolTypes,
    schools: c.schools,
    inProgramme: c.inProgramme,
    participating: c.participating,
    sexes: c.sexes,
    specialNeeds: c.specialNeeds,
    priorLongTermAbsent: c.priorLongTermAbsent,
    outcomes: c.outcomes,
    subjects: c.subjects,
    method: c.method,
    programme: c.programme,
    outcome: c.outcome,
    comparison: c.comparison,
    preYears: c.preYears,
    postYears: c.postYears,
    academicYear: c.academicYear,
    caseWindow: c.caseWindow,
    caseAgencies: c.caseAgencies,
    caseStatuses: c.caseStatuses,
    groupBy: c.groupBy,
    groupProgramme: c.groupProgramme,
    breakdown1: c.breakdown1,
    breakdown2: c.breakdown2,
    timeGrain: c.timeGrain,
  };
  return labels[field];
}

interface Option {
  value: string;
  label: string;
}

/** What a field marked with a problem carries: aria-invalid and the problem list's text. */
const invalid = (problems: Set<FormField>, field: FormField) =>
  problems.has(field) ? html` aria-invalid="true" aria-describedby="problems"` : '';

/** Checkboxes (several values) or radio buttons (one) in a fieldset named by its legend. */
function choiceGroup(
  type: 'checkbox' | 'radio',
  field: FormField,
  legend: string,
  options: Option[],
  chosen: string[],
  problems: Set<FormField>,
): SafeHtml {
  return html`<fieldset id="f-${field}" class="choices">
    <legend>${legend}</legend>
    ${options.map(
      (o) =>
        html`<span class="choice"
          ><input
            type="${type}"
            id="f-${field}-${o.value}"
            name="${field}"
            value="${o.value}"
            ${chosen.includes(o.value) ? html`checked` : ''}${invalid(problems, field)}
          /><label for="f-${field}-${o.value}">${o.label}</label></span
        >`,
    )}
  </fieldset>`;
}

const checkboxes = (field: FormField, legend: string, options: Option[], checked: string[], problems: Set<FormField>) =>
  choiceGroup('checkbox', field, legend, options, checked, problems);
const radios = (field: FormField, legend: string, options: Option[], value: string, problems: Set<FormField>) =>
  choiceGroup('radio', field, legend, options, [value], problems);

function select(
  field: FormField,
  labelText: string,
  options: Option[],
  value: string,
  problems: Set<FormField>,
  multiple: string[] | null = null,
): SafeHtml {
  const selected = (v: string) => (multiple ? multiple.includes(v) : v === value);
  return html`<p>
    <label for="f-${field}">${labelText}</label>
    <select id="f-${field}" name="${field}" ${multiple ? html`multiple size="6"` : ''}${invalid(problems, field)}>
      ${options.map(
        (o) => html`<option value="${o.value}" ${selected(o.value) ? html`selected` : ''}>${o.label}</option>`,
      )}
    </select>
  </p>`;
}

/** The whole form, filled in with `form`; the fields named in `problems` are marked invalid. */
export function renderCohortForm(
  ctx: PageContext,
  form: CohortForm,
  choices: CohortChoices,
  problems: Set<FormField>,
): SafeHtml {
  const { locale } = ctx;
  const c = cohortMessagesFor(locale);
  const years = choices.years.map((y) => ({ value: String(y), label: academicYearLabel(y, locale) }));
  const programmes = choices.programmes.map((p) => ({ value: p.id, label: p.name }));
  const programmeSelect = (field: 'inProgramme' | 'programme' | 'groupProgramme', text: string, none: string) =>
    select(field, text, [{ value: '', label: none }, ...programmes], form[field], problems);
  const outcomes = OUTCOMES.map((o) => ({ value: o, label: label('outcome', o, locale) }));
  const yesNoAny = [
    { value: '', label: c.any },
    { value: 'yes', label: c.yes },
    { value: 'no', label: c.no },
  ];
  const gradeCodes = GRADES.filter((g) => /^[PJ]/.test(g) || form.grades.includes(g));
  return html`<form method="get" action="/cohorts" id="cohort-form">
    <input type="hidden" name="lang" value="${locale}" />
    <input type="hidden" name="run" value="1" />
    <fieldset>
      <legend>${c.population}</legend>
      ${checkboxes('years', c.years, years, form.years, problems)}
      ${checkboxes(
        'grades',
        c.grades,
        gradeCodes.map((g) => ({ value: g, label: label('grade', g, locale) })),
        form.grades,
        problems,
      )}
      ${checkboxes(
        'schoolTypes',
        c.schoolTypes,
        ['elementary', 'junior_high', 'compulsory', 'special_needs'].map((t) => ({
          value: t,
          label: label('schoolType', t, locale),
        })),
        form.schoolTypes,
        problems,
      )}
      ${select(
        'schools',
        c.schools,
        choices.schools.map((s) => ({ value: s.code, label: `${s.name}(${s.code})` })),
        '',
        problems,
        form.schools,
      )}
      <p class="help">${c.schoolsHelp}</p>
      ${programmeSelect('inProgramme', c.inProgramme, c.noProgrammeRule)}
      ${radios(
        'participating',
        c.participating,
        [
          { value: 'yes', label: c.participatingYes },
          { value: 'no', label: c.participatingNo },
        ],
        form.participating,
        problems,
      )}
    </fieldset>
    <fieldset>
      <legend>${c.students}</legend>
      ${checkboxes(
        'sexes',
        c.sexes,
        SEXES.filter((s) => s !== 'unspecified').map((s) => ({ value: s, label: label('sex', s, locale) })),
        form.sexes,
        problems,
      )}
      ${select('specialNeeds', c.specialNeeds, yesNoAny, form.specialNeeds, problems)}
      ${select('priorLongTermAbsent', c.priorLongTermAbsent, yesNoAny, form.priorLongTermAbsent, problems)}
    </fieldset>
    <fieldset>
      <legend>${c.outcomes}</legend>
      <p class="help" id="outcomes-help">${c.outcomesHelp}</p>
      ${checkboxes('outcomes', c.outcomes, outcomes, form.outcomes, problems)}
      ${checkboxes(
        'subjects',
        c.subjects,
        Object.keys(VOCABULARIES.subject).map((s) => ({ value: s, label: label('subject', s, locale) })),
        form.subjects,
        problems,
      )}
    </fieldset>
    ${radios(
      'method',
      c.method,
      Object.keys(COHORT_METHODS).map((m) => ({ value: m, label: cohortMethodLabel(m, locale) })),
      form.method,
      problems,
    )}
    <fieldset>
      <legend>${c.methodOptions}</legend>
      <p class="help">${c.methodOptionsHelp}</p>
      ${programmeSelect('programme', c.programme, c.chooseProgramme)}
      ${select('outcome', c.outcome, outcomes, form.outcome, problems)}
      ${select(
        'comparison',
        c.comparison,
        Object.entries(COMPARISON_LABELS).map(([value, l]) => ({ value, label: l[locale] })),
        form.comparison,
        problems,
      )}
      ${checkboxes('preYears', c.preYears, years, form.preYears, problems)}
      ${checkboxes('postYears', c.postYears, years, form.postYears, problems)}
      ${select('academicYear', c.academicYear, years, form.academicYear, problems)}
    </fieldset>
    <fieldset>
      <legend>${c.caseOptions}</legend>
      <p class="help">${c.caseOptionsHelp}</p>
      ${select(
        'caseWindow',
        c.caseWindow,
        Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: c.months(i + 1) })),
        form.caseWindow,
        problems,
      )}
      ${checkboxes(
        'caseAgencies',
        c.caseAgencies,
        CASE_AGENCIES.map((a) => ({ value: a, label: label('caseAgency', a, locale) })),
        form.caseAgencies,
        problems,
      )}
      ${checkboxes(
        'caseStatuses',
        c.caseStatuses,
        CASE_STATUSES.map((st) => ({ value: st, label: label('caseStatus', st, locale) })),
        form.caseStatuses,
        problems,
      )}
    </fieldset>
    <fieldset>
      <legend>${c.descriptiveOptions}</legend>
      ${select(
        'groupBy',
        c.groupBy,
        GROUPINGS.map((g) => ({ value: g, label: c.groupNames[g] })),
        form.groupBy,
        problems,
      )}
      ${programmeSelect('groupProgramme', c.groupProgramme, c.chooseProgramme)}
      ${(['breakdown1', 'breakdown2'] as const).map((b) =>
        select(
          b,
          c[b],
          [{ value: '', label: c.noBreakdown }, ...BREAKDOWNS.map((d) => ({ value: d, label: c.breakdownNames[d] }))],
          form[b],
          problems,
        ),
      )}
      ${radios(
        'timeGrain',
        c.timeGrain,
        ['year', 'month'].map((g) => ({ value: g, label: c.timeGrains[g] })),
        form.timeGrain,
        problems,
      )}
    </fieldset>
    <button type="submit" id="run">${c.run}</button>
  </form>`;
}
