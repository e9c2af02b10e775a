import { formVersion, parseAnswerForm, parseNumberText } from './response-forms.js';
import { safeNext } from './route-params.js';

const grid = { type: 'grid' as const, gridDims: ['grade', 'sex'], choices: null };

describe('answers read from plain HTML forms', () => {
  it('reads numbers as people type them: full-width digits, thousands commas, spaces', () => {
    expect(parseNumberText('１２３', true)).toEqual({ ok: true, value: 123 });
    expect(parseNumberText(' 1,234 ', true)).toEqual({ ok: true, value: 1234 });
    expect(parseNumberText('2.5', false)).toEqual({ ok: true, value: 2.5 });
    expect(parseNumberText('', true)).toEqual({ ok: false, problem: 'required' });
    expect(parseNumberText('2.5', true)).toEqual({ ok: false, problem: 'wholeNumber' });
    expect(parseNumberText('-1', true)).toEqual({ ok: false, problem: 'wholeNumber' });
    expect(parseNumberText('12a', false)).toEqual({ ok: false, problem: 'number' });
    expect(parseNumberText('0x10', true)).toEqual({ ok: false, problem: 'wholeNumber' });
  });

  it('reads a grid from one input per cell, skipping blank added rows and refusing half-filled ones', () => {
    const body = {
      'cell.0.dim.grade': 'P1',
      'cell.0.dim.sex': 'male',
      'cell.0.value': '8',
      'cell.1.dim.grade': 'P1',
      'cell.1.dim.sex': 'female',
      'cell.1.value': '５',
      'cell.2.dim.grade': '',
      'cell.2.dim.sex': '',
      'cell.2.value': '',
      'cell.3.dim.grade': 'P2',
      'cell.3.dim.sex': 'male',
      'cell.3.value': '0',
      'cell.3.dim.other': 'ignored',
    };
    expect(parseAnswerForm(grid, body)).toEqual({
      ok: true,
      value: [
        { dims: { grade: 'P1', sex: 'male' }, value: 8 },
        { dims: { grade: 'P1', sex: 'female' }, value: 5 },
        { dims: { grade: 'P2', sex: 'male' }, value: 0 },
      ],
    });
    expect(parseAnswerForm(grid, { ...body, 'cell.2.dim.grade': 'P3' })).toEqual({ ok: false, problem: 'cellDims' });
    expect(parseAnswerForm(grid, { ...body, 'cell.0.value': '' })).toEqual({ ok: false, problem: 'wholeNumber' });
  });

  it('reads a choice only from its options, and a text up to 5,000 characters', () => {
    const choice = { type: 'choice' as const, gridDims: null, choices: ['yes', 'no'] };
    expect(parseAnswerForm(choice, { value: 'yes' })).toEqual({ ok: true, value: 'yes' });
    expect(parseAnswerForm(choice, { value: 'maybe' })).toEqual({ ok: false, problem: 'choice' });
    const text = { type: 'text' as const, gridDims: null, choices: null };
    expect(parseAnswerForm(text, { value: '  ' })).toEqual({ ok: false, problem: 'required' });
    expect(parseAnswerForm(text, { value: 'x'.repeat(5001) })).toEqual({ ok: false, problem: 'tooLong' });
  });

  it('takes the version the form was read at, or 0 (which no row has) for anything else', () => {
    expect(formVersion({ version: '3' })).toBe(3);
    expect(formVersion({ version: '3; DROP' })).toBe(0);
    expect(formVersion({ version: ['3', '4'] })).toBe(0);
    expect(formVersion({})).toBe(0);
  });

  it('goes back after sign-in only to a path on this site', () => {
    expect(safeNext('/responses/abc?lang=en')).toBe('/responses/abc?lang=en');
    expect(safeNext('//evil.example/')).toBeUndefined();
    expect(safeNext('/\\evil.example/')).toBeUndefined();
    expect(safeNext('https://evil.example/')).toBeUndefined();
    expect(safeNext(undefined)).toBeUndefined();
  });
});
