import { parseCohortDefinition } from '../cohorts/cohort-definition.js';
import { DomainError } from '../common/domain-error.js';
import { defaultCohortForm, definitionOfForm, formOfDefinition, formQuery, readCohortForm } from './cohort-form.js';

/** What a browser sends for the staggered design on the demo programme (checkboxes repeat their name). */
const STAGGERED_QUERY = {
  years: ['2023', '2024', '2025'],
  method: 'did_staggered',
  programme: 'prog-support-room',
  outcome: 'attendance_rate',
  comparison: 'not_yet_treated',
  groupBy: 'sex',
  breakdown1: 'grade',
  timeGrain: 'year',
  academicYear: '2025',
};

const fieldsOf = (body: unknown): string[] => {
  try {
    parseCohortDefinition(body);
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return (error.details?.fields ?? []).map((f) => f.field);
  }
};

describe('the cohort form and the definition it stands for', () => {
  it('builds a staggered DiD the cohort check accepts; descriptive options are not sent with another method', () => {
    const definition = definitionOfForm(readCohortForm(STAGGERED_QUERY));
    expect(definition).toEqual({
      population: { academicYears: [2023, 2024, 2025] },
      outcomes: ['attendance_rate'],
      analysis: {
        method: 'did_staggered',
        programme: 'prog-support-room',
        outcome: 'attendance_rate',
        comparison: 'not_yet_treated',
      },
    });
    expect(fieldsOf(definition)).toEqual([]);
  });

  it('reads one ticked checkbox (a string) like several (an array), trims and drops blanks and repeats', () => {
    const form = readCohortForm({ years: '2024', grades: [' P1', 'P1', '', 'J2'], schools: 'B113210000014' });
    expect(form.years).toEqual(['2024']);
    expect(form.grades).toEqual(['P1', 'J2']);
    expect(definitionOfForm(form).population).toEqual({
      academicYears: [2024],
      grades: ['P1', 'J2'],
      schools: { codes: ['B113210000014'] },
    });
  });

  it('carries the population rules, groups, breakdowns and the time grain of a descriptive analysis', () => {
    const form = readCohortForm({
      years: ['2024', '2025'],
      schoolTypes: 'elementary',
      inProgramme: 'prog-support-room',
      participating: 'no',
      sexes: ['female'],
      specialNeeds: 'yes',
      priorLongTermAbsent: 'no',
      outcomes: ['attendance_rate', 'app_minutes'],
      groupBy: 'programme',
      groupProgramme: 'prog-support-room',
      breakdown1: 'grade',
      breakdown2: 'sex',
      timeGrain: 'month',
      method: 'descriptive',
    });
    const definition = definitionOfForm(form);
    expect(definition).toEqual({
      population: {
        academicYears: [2024, 2025],
        schools: { types: ['elementary'], programme: { id: 'prog-support-room', participating: false } },
        students: { sex: ['female'], specialNeeds: true, longTermAbsentPriorYear: false },
      },
      outcomes: ['attendance_rate', 'app_minutes'],
      groups: { by: 'programme', programme: 'prog-support-room' },
      breakdowns: ['grade', 'sex'],
      timeGrain: 'month',
      analysis: { method: 'descriptive' },
    });
    expect(fieldsOf(definition)).toEqual([]);
  });

  it('leaves an empty option out, so the check names the field the person has to fill in', () => {
    expect(fieldsOf(definitionOfForm(readCohortForm({ ...STAGGERED_QUERY, programme: '' })))).toEqual([
      'analysis.programme',
    ]);
    expect(fieldsOf(definitionOfForm(readCohortForm({ ...STAGGERED_QUERY, years: [] })))).toEqual([
      'population.academicYears',
    ]);
    expect(fieldsOf(definitionOfForm(readCohortForm({ years: '20x4', outcomes: 'absence_days' })))).toEqual([
      'population.academicYears[0]',
    ]);
    const did = readCohortForm({ ...STAGGERED_QUERY, method: 'did_2x2', preYears: '2024', postYears: '2023' });
    expect(fieldsOf(definitionOfForm(did))).toEqual(['analysis.postYears']);
  });

  it.each([
    ['descriptive', { outcomes: ['attendance_rate', 'absence_days'] }],
    ['did_2x2', { preYears: ['2023'], postYears: ['2024', '2025'] }],
    ['did_staggered', {}],
    ['funnel', { outcome: 'long_term_absence' }],
    ['value_added', { outcomes: ['assessment_score'], subjects: ['math'] }],
    [
      'case_before_after',
      { outcome: 'absence_days', caseWindow: '4', caseAgencies: ['medical', 'welfare'], caseStatuses: ['closed'] },
    ],
  ])('opens a saved %s definition in the form and builds the same definition back', (method, extra) => {
    const form = readCohortForm({ ...STAGGERED_QUERY, groupBy: 'none', breakdown1: '', method, ...extra });
    const checked = parseCohortDefinition(definitionOfForm(form));
    const { form: reopened, hidden } = formOfDefinition(checked);
    expect(hidden).toEqual([]);
    expect(parseCohortDefinition(definitionOfForm(reopened))).toEqual(checked);
  });

  it('builds the support cases’ before/after from its settings (none ticked: every case)', () => {
    const form = readCohortForm({ years: '2025', method: 'case_before_after', outcome: 'attendance_rate' });
    expect(parseCohortDefinition(definitionOfForm(form)).analysis).toEqual({
      method: 'case_before_after',
      outcome: 'attendance_rate',
      window: 6,
    });
    const some = readCohortForm({
      years: '2025',
      method: 'case_before_after',
      outcome: 'absence_days',
      caseAgencies: 'medical',
      caseWindow: '13',
    });
    expect(fieldsOf(definitionOfForm(some))).toEqual(['analysis.window']);
  });

  it('says which parts of a saved definition the form has no field for', () => {
    const checked = parseCohortDefinition({
      population: { academicYears: [2025] },
      outcomes: ['attendance_rate'],
      derivedOutcomes: [
        { name: 'present_share', expression: 'attended_days / required_days', range: { min: 0, max: 1 } },
      ],
    });
    expect(formOfDefinition(checked).hidden).toEqual(['derivedOutcomes']);
  });

  it('gives the form back as query pairs that read back to the same form (download links)', () => {
    const form = readCohortForm(STAGGERED_QUERY);
    const params = new URLSearchParams(formQuery(form));
    const back = readCohortForm(Object.fromEntries([...new Set(params.keys())].map((k) => [k, params.getAll(k)])));
    expect(back).toEqual(form);
    expect(definitionOfForm(defaultCohortForm([2024, 2025]))).toEqual({
      population: { academicYears: [2024, 2025] },
      outcomes: ['attendance_rate'],
      analysis: { method: 'descriptive' },
    });
  });
});
