import { fieldList, numberOf, questionOf, ruleOf, targetsOf } from './survey-question-form.js';

describe('the survey builder’s forms', () => {
  it('reads repeated checkboxes, also past the 20 values the form parser turns into an object', () => {
    expect(fieldList({ school: 'A' }, 'school')).toEqual(['A']);
    expect(fieldList({ school: ['A', 'B'] }, 'school')).toEqual(['A', 'B']);
    expect(fieldList({ school: { 0: 'A', 1: 'B' } }, 'school')).toEqual(['A', 'B']);
    expect(fieldList({}, 'school')).toEqual([]);
  });

  it('reads numbers as typed in Japan; anything else is NaN for the rules to refuse', () => {
    expect(numberOf('１，２００')).toBe(1200);
    expect(numberOf(' ')).toBeUndefined();
    expect(numberOf('twelve')).toBeNaN();
  });

  it('makes every school "all", keeps targets that match the same schools, else lists them', () => {
    const all = ['A', 'B', 'C'];
    const byType = { kind: 'school_type' as const, schoolTypes: ['elementary'] };
    expect(targetsOf(['C', 'A', 'B'], all, byType, ['A', 'B'])).toEqual({ kind: 'all' });
    expect(targetsOf(['B', 'A'], all, byType, ['A', 'B'])).toBe(byType);
    expect(targetsOf(['C'], all, byType, ['A', 'B'])).toEqual({ kind: 'list', schoolCodes: ['C'] });
    expect(targetsOf([], all, byType, ['A', 'B'])).toEqual({ kind: 'list', schoolCodes: [] });
  });

  it('keeps the filter ticked for the metric it was drawn for, and drops it when another metric is chosen', () => {
    const dims = () => ['grade', 'sex'];
    const body = {
      code: 'q1',
      textJa: '児童数',
      textEn: 'Students',
      type: 'grid',
      gridDims: ['grade'],
      metric: 'enrolment.students',
      boundMetric: 'enrolment.students',
      'filter.sex': 'female',
      'filter.grade': ['P1', 'P2'],
      required: 'yes',
    };
    expect(questionOf(body, dims)).toEqual({
      code: 'q1',
      text: { ja: '児童数', en: 'Students' },
      type: 'grid',
      gridDims: ['grade'],
      binding: { metric: 'enrolment.students', filter: { grade: ['P1', 'P2'], sex: 'female' } },
      required: true,
    });
    expect(questionOf({ ...body, boundMetric: 'attendance.long_term_absence' }, dims).binding).toEqual({
      metric: 'enrolment.students',
    });
    expect(questionOf({ ...body, metric: '', required: undefined }, dims)).not.toHaveProperty('binding');
  });

  it('reads only the inputs a rule’s check uses, a threshold in percent as a share', () => {
    const form = { severity: 'query', min: '0', max: '366', question: 'q2', threshold: '20' };
    expect(ruleOf({ ...form, check: 'range' })).toEqual({ severity: 'query', check: 'range', min: 0, max: 366 });
    expect(ruleOf({ ...form, check: 'not_more_than' })).toEqual({
      severity: 'query',
      check: 'not_more_than',
      question: 'q2',
    });
    expect(ruleOf({ ...form, check: 'change_from_prefill' })).toEqual({
      severity: 'query',
      check: 'change_from_prefill',
      threshold: 0.2,
    });
    expect(ruleOf({ ...form, check: 'change_from_last_year', threshold: '' })).toEqual({
      severity: 'query',
      check: 'change_from_last_year',
      threshold: Number.NaN,
    });
  });
});
