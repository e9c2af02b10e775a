import { blocksSubmission, checkAnswer } from './answer-rules.js';
import type { QuestionRule } from './survey.types.js';

const rules: QuestionRule[] = [
  { severity: 'query', check: 'change_from_prefill', threshold: 0.2 },
  { severity: 'query', check: 'change_from_last_year', threshold: 0.5 },
];
const none = () => null;

describe('answer rules', () => {
  it('takes the reason given for a change as the note of the "far from the data" query: one reason, asked once', () => {
    const findings = checkAnswer(
      rules,
      { value: 20, prefilledValue: 10, lastYearValue: 20, explanations: {}, changeReason: '転入生を含む' },
      none,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: '0:change_from_prefill', explanation: '転入生を含む' });
    expect(blocksSubmission(findings)).toBe(false);
  });

  it('still asks for a note on a figure far from last year, which a change reason does not answer', () => {
    const findings = checkAnswer(
      rules,
      { value: 30, prefilledValue: 30, lastYearValue: 10, explanations: {}, changeReason: null },
      none,
    );
    expect(findings.map((f) => [f.rule, f.explanation])).toEqual([['1:change_from_last_year', undefined]]);
    expect(blocksSubmission(findings)).toBe(true);
  });

  it('keeps an explanation written for the query over the change reason', () => {
    const [finding] = checkAnswer(
      rules.slice(0, 1),
      {
        value: 20,
        prefilledValue: 10,
        lastYearValue: null,
        explanations: { '0:change_from_prefill': '説明' },
        changeReason: '理由',
      },
      none,
    );
    expect(finding.explanation).toBe('説明');
  });
});
