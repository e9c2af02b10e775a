/**
 * The cohort page's form and the cohort definition it stands for. The form is what a person fills in
 * (checkboxes, selects: no JSON); `definitionOfForm` turns it into a definition, which the cohort service
 * then checks exactly as it checks one sent to the API. `formOfDefinition` goes back, to open a saved one.
 */
import type { CohortDefinition } from '../cohorts/cohort-definition.js';
import type { FormBody } from './response-forms.js';

/** Every field of the form, as text (one value) or lists (checkboxes, multiple selects). */
export interface CohortForm {
  years: string[];
  grades: string[];
  schoolTypes: string[];
  schools: string[];
  /** The population's programme rule: schools in (or not in) the programme in the year of enrolment. */
  inProgramme: string;
  participating: 'yes' | 'no';
  sexes: string[];
  specialNeeds: '' | 'yes' | 'no';
  priorLongTermAbsent: '' | 'yes' | 'no';
  outcomes: string[];
  subjects: string[];
  method: string;
  /** Options of the methods: the programme and outcome of both DiD designs (the outcome of the funnel too). */
  programme: string;
  outcome: string;
  comparison: string;
  preYears: string[];
  postYears: string[];
  academicYear: string;
  /** Options of the support cases' before/after: months each side, agencies and statuses ([] = every case). */
  caseWindow: string;
  caseAgencies: string[];
  caseStatuses: string[];
  /** Options of the descriptive analysis. */
  groupBy: string;
  groupProgramme: string;
  breakdown1: string;
  breakdown2: string;
  timeGrain: string;
}

/** The form a first visit shows: every year, descriptive attendance. */
export function defaultCohortForm(years: number[]): CohortForm {
  return {
    years: years.map(String),
    grades: [],
    schoolTypes: [],
    schools: [],
    inProgramme: '',
    participating: 'yes',
    sexes: [],
    specialNeeds: '',
    priorLongTermAbsent: '',
    outcomes: ['attendance_rate'],
    subjects: [],
    method: 'descriptive',
    programme: '',
    outcome: 'attendance_rate',
    comparison: 'never_treated',
    preYears: [],
    postYears: [],
    academicYear: years.length > 0 ? String(years[years.length - 1]) : '',
    caseWindow: '6',
    caseAgencies: [],
    caseStatuses: [],
    groupBy: 'none',
    groupProgramme: '',
    breakdown1: '',
    breakdown2: '',
    timeGrain: 'year',
  };
}

/** One value; a field sent twice counts by its first value. */
const text = (value: unknown): string =>
  typeof value === 'string' ? value.trim() : Array.isArray(value) ? text(value[0]) : '';
const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).map(text).filter((v, i, all) => v !== '' && all.indexOf(v) === i);
const yesNo = (value: unknown): '' | 'yes' | 'no' => (value === 'yes' || value === 'no' ? value : '');

/** The form as a GET query or a POST body gives it (a checkbox list comes as one string or an array). */
export function readCohortForm(body: FormBody | undefined): CohortForm {
  const b = body ?? {};
  return {
    years: list(b.years),
    grades: list(b.grades),
    schoolTypes: list(b.schoolTypes),
    schools: list(b.schools),
    inProgramme: text(b.inProgramme),
    participating: b.participating === 'no' ? 'no' : 'yes',
    sexes: list(b.sexes),
    specialNeeds: yesNo(b.specialNeeds),
    priorLongTermAbsent: yesNo(b.priorLongTermAbsent),
    outcomes: list(b.outcomes),
    subjects: list(b.subjects),
    method: text(b.method) || 'descriptive',
    programme: text(b.programme),
    outcome: text(b.outcome),
    comparison: text(b.comparison) || 'never_treated',
    preYears: list(b.preYears),
    postYears: list(b.postYears),
    academicYear: text(b.academicYear),
    caseWindow: text(b.caseWindow) || '6',
    caseAgencies: list(b.caseAgencies),
    caseStatuses: list(b.caseStatuses),
    groupBy: text(b.groupBy) || 'none',
    groupProgramme: text(b.groupProgramme),
    breakdown1: text(b.breakdown1),
    breakdown2: text(b.breakdown2),
    timeGrain: text(b.timeGrain) || 'year',
  };
}

/** A year as typed into the definition: a number when it is one, else the text (which the schema refuses by name). */
const yearOf = (value: string): number | string => (/^\d{1,4}$/.test(value) ? Number(value) : value);
const flag = (value: '' | 'yes' | 'no'): boolean | undefined => (value === '' ? undefined : value === 'yes');

/** The analysis the chosen method runs, with its options; an empty option is left out (the check names it). */
function analysisOf(form: CohortForm): Record<string, unknown> {
  const given = (entries: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== '' && v !== undefined));
  switch (form.method) {
    case 'did_2x2':
      return given({
        method: form.method,
        programme: form.programme,
        outcome: form.outcome,
        preYears: form.preYears.map(yearOf),
        postYears: form.postYears.map(yearOf),
      });
    case 'did_staggered':
      return given({
        method: form.method,
        programme: form.programme,
        outcome: form.outcome,
        comparison: form.comparison,
      });
    case 'funnel':
      return given({ method: form.method, outcome: form.outcome, academicYear: yearOf(form.academicYear) });
    case 'value_added':
      return given({ method: form.method, academicYear: yearOf(form.academicYear) });
    case 'case_before_after':
      return given({
        method: form.method,
        outcome: form.outcome,
        window: yearOf(form.caseWindow),
        agencies: form.caseAgencies.length ? form.caseAgencies : undefined,
        statuses: form.caseStatuses.length ? form.caseStatuses : undefined,
      });
    default:
      return { method: form.method };
  }
}

/**
 * The definition a filled-in form stands for, not yet checked (the cohort service checks it, as for the API).
 * Empty choices are left out (no grade ticked = every grade). Groups, breakdowns and the time grain belong to
 * the descriptive analysis; another method sets its own, so they are not sent with it. Without an outcome
 * ticked, a method's own outcome is the definition's.
 */
export function definitionOfForm(form: CohortForm): Record<string, unknown> {
  const descriptive = form.method === 'descriptive';
  const schools: Record<string, unknown> = {};
  if (form.schoolTypes.length) schools.types = form.schoolTypes;
  if (form.schools.length) schools.codes = form.schools;
  if (form.inProgramme) schools.programme = { id: form.inProgramme, participating: form.participating === 'yes' };
  const students: Record<string, unknown> = {};
  if (form.sexes.length) students.sex = form.sexes;
  if (flag(form.specialNeeds) !== undefined) students.specialNeeds = flag(form.specialNeeds);
  if (flag(form.priorLongTermAbsent) !== undefined) students.longTermAbsentPriorYear = flag(form.priorLongTermAbsent);
  const population: Record<string, unknown> = { academicYears: form.years.map(yearOf) };
  if (form.grades.length) population.grades = form.grades;
  if (Object.keys(schools).length) population.schools = schools;
  if (Object.keys(students).length) population.students = students;
  const analysis = analysisOf(form);
  const methodOutcome = typeof analysis.outcome === 'string' ? [analysis.outcome] : [];
  const definition: Record<string, unknown> = {
    population,
    outcomes: form.outcomes.length ? form.outcomes : methodOutcome,
  };
  if (form.subjects.length) definition.subjects = form.subjects;
  if (descriptive) {
    if (form.groupBy !== 'none')
      definition.groups =
        form.groupBy === 'programme' ? { by: form.groupBy, programme: form.groupProgramme } : { by: form.groupBy };
    const breakdowns = [form.breakdown1, form.breakdown2].filter((b) => b !== '');
    if (breakdowns.length) definition.breakdowns = breakdowns;
    if (form.timeGrain !== 'year') definition.timeGrain = form.timeGrain;
  }
  definition.analysis = analysis;
  return definition;
}

const asText = (values: readonly (string | number)[] | undefined) => (values ?? []).map(String);
const yesNoOf = (value: boolean | undefined): '' | 'yes' | 'no' => (value === undefined ? '' : value ? 'yes' : 'no');

/**
 * The form that shows a (checked) definition; `hidden` lists the parts the form has no field for (derived
 * outcomes), so the page can say a run from the form leaves them out.
 */
export function formOfDefinition(definition: CohortDefinition): { form: CohortForm; hidden: string[] } {
  const { population } = definition;
  const analysis = definition.analysis ?? { method: 'descriptive' };
  const form = defaultCohortForm(population.academicYears);
  Object.assign(form, {
    grades: asText(population.grades),
    schoolTypes: asText(population.schools?.types),
    schools: asText(population.schools?.codes),
    inProgramme: population.schools?.programme?.id ?? '',
    participating: population.schools?.programme?.participating === false ? 'no' : 'yes',
    sexes: asText(population.students?.sex),
    specialNeeds: yesNoOf(population.students?.specialNeeds),
    priorLongTermAbsent: yesNoOf(population.students?.longTermAbsentPriorYear),
    outcomes: [...definition.outcomes],
    subjects: asText(definition.subjects),
    method: analysis.method,
    groupBy: definition.groups?.by ?? 'none',
    groupProgramme: definition.groups?.programme ?? '',
    breakdown1: definition.breakdowns?.[0] ?? '',
    breakdown2: definition.breakdowns?.[1] ?? '',
    timeGrain: definition.timeGrain ?? 'year',
  } satisfies Partial<CohortForm>);
  if ('programme' in analysis) form.programme = analysis.programme;
  if ('outcome' in analysis) form.outcome = analysis.outcome;
  if (analysis.method === 'did_staggered') form.comparison = analysis.comparison ?? 'never_treated';
  if (analysis.method === 'did_2x2') {
    form.preYears = asText(analysis.preYears);
    form.postYears = asText(analysis.postYears);
  }
  if ('academicYear' in analysis) form.academicYear = String(analysis.academicYear);
  if (analysis.method === 'case_before_after') {
    form.caseWindow = String(analysis.window ?? 6);
    form.caseAgencies = asText(analysis.agencies);
    form.caseStatuses = asText(analysis.statuses);
  }
  const hidden: string[] = [];
  if (definition.derivedOutcomes?.length) hidden.push('derivedOutcomes');
  return { form, hidden };
}

/** The form as query values, for the links that run it again (downloads): only what differs from empty. */
export function formQuery(form: CohortForm): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(form) as [keyof CohortForm, string | string[]][]) {
    if (Array.isArray(value)) for (const v of value) pairs.push([name, v]);
    else if (value !== '') pairs.push([name, value]);
  }
  return pairs;
}
