import type { AnswerValue, GridCell, QuestionRule } from './survey.types.js';

export interface RuleFinding {
  /** Stable key of the rule within its question (used to attach an explanation). */
  rule: string;
  severity: 'error' | 'query';
  message: { ja: string; en: string };
  /** For a query: the school's explanation, if given. */
  explanation?: string;
}

export interface AnswerForRules {
  value: AnswerValue | null;
  prefilledValue: AnswerValue | null;
  lastYearValue: AnswerValue | null;
  explanations: Record<string, string>;
  /** Why the school changed the figure from the one computed: it answers the change-from-data query too (one reason, asked once). */
  changeReason?: string | null;
}

/** A grid's total, or a number; null for text or no answer. */
export function numericTotal(value: AnswerValue | null): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (Array.isArray(value))
    return value.reduce((sum: number, cell: GridCell) => sum + (Number.isFinite(cell.value) ? cell.value : 0), 0);
  return null;
}

export const ruleKey = (rule: QuestionRule, index: number) => `${index}:${rule.check}`;

function relativeChange(from: number, to: number): number {
  if (from === to) return 0;
  if (from === 0) return Infinity;
  return Math.abs(to - from) / Math.abs(from);
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** Checks one answer against its question's rules; `valueOf` gives another question's answer by code. */
export function checkAnswer(
  rules: QuestionRule[],
  answer: AnswerForRules,
  valueOf: (code: string) => AnswerValue | null,
): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const total = numericTotal(answer.value);
  rules.forEach((rule, index) => {
    const key = ruleKey(rule, index);
    const explanation =
      answer.explanations[key] ??
      (rule.check === 'change_from_prefill' && answer.changeReason ? answer.changeReason : undefined);
    const add = (ja: string, en: string) =>
      findings.push({
        rule: key,
        severity: rule.severity,
        message: { ja, en },
        ...(rule.severity === 'query' && explanation ? { explanation } : {}),
      });
    if (total === null) return;
    switch (rule.check) {
      case 'range':
        if (rule.min !== undefined && total < rule.min)
          add(`${rule.min} 以上の値を入力してください(現在 ${total})。`, `must be at least ${rule.min} (is ${total})`);
        if (rule.max !== undefined && total > rule.max)
          add(`${rule.max} 以下の値を入力してください(現在 ${total})。`, `must be at most ${rule.max} (is ${total})`);
        break;
      case 'not_more_than': {
        const other = numericTotal(valueOf(rule.question));
        if (other !== null && total > other)
          add(
            `設問 ${rule.question} の値(${other})を超えています(${total})。`,
            `exceeds the answer to ${rule.question} (${total} > ${other})`,
          );
        break;
      }
      case 'change_from_prefill': {
        const prefilled = numericTotal(answer.prefilledValue);
        if (prefilled !== null && relativeChange(prefilled, total) > rule.threshold) {
          add(
            `データから求めた値(${prefilled})と ${percent(rule.threshold)} を超えて異なります。理由を記入してください。`,
            `differs from the figure computed from data (${prefilled}) by more than ${percent(rule.threshold)}: explain why`,
          );
        }
        break;
      }
      case 'change_from_last_year': {
        const last = numericTotal(answer.lastYearValue);
        if (last !== null && relativeChange(last, total) > rule.threshold) {
          add(
            `昨年度の値(${last})と ${percent(rule.threshold)} を超えて異なります。理由を記入してください。`,
            `differs from last year's figure (${last}) by more than ${percent(rule.threshold)}: explain why`,
          );
        }
        break;
      }
    }
  });
  return findings;
}

/** Whether a response can be submitted: no error, and every query explained. */
export function blocksSubmission(findings: RuleFinding[]): boolean {
  return findings.some((f) => f.severity === 'error' || (f.severity === 'query' && !f.explanation));
}
