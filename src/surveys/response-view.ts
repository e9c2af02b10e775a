import { blocksSubmission, checkAnswer, type RuleFinding } from './answer-rules.js';
import type { SurveyAnswer, SurveyQuestion, SurveyResponse } from './entities/survey.entity.js';
import type { ReadAnswer, SurveyHead } from './response-rows.js';
import { sameValue } from './prefill.js';
import type { AnswerValue, Provenance } from './survey.types.js';

export interface AnswerView {
  questionId: string;
  code: string;
  text: { ja: string; en: string };
  type: SurveyQuestion['type'];
  choices: string[] | null;
  gridDims: string[] | null;
  bound: boolean;
  value: AnswerValue | null;
  source: SurveyAnswer['source'];
  prefilledValue: AnswerValue | null;
  lastYearValue: AnswerValue | null;
  provenance: Provenance | null;
  confirmed: boolean;
  /** The school confirmed or changed this answer, and the data has moved since. */
  dataChangedSinceConfirmed: boolean;
  changeReason: string | null;
  findings: RuleFinding[];
  version: number;
}

export interface ResponseView {
  id: string;
  survey: { id: string; title: { ja: string; en: string }; academicYear: number; asOfDate: string; deadline: string };
  schoolCode: string;
  schoolName: string;
  status: SurveyResponse['status'];
  returnReason: string | null;
  submittedAt: string | null;
  version: number;
  answers: AnswerView[];
  canSubmit: boolean;
}

/** The statuses a school may still change (and submit). */
export const EDITABLE = new Set<SurveyResponse['status']>(['not_opened', 'in_progress', 'returned']);

/** A response as the school and the board read it: each answer with its rule findings, and whether it can be submitted. */
export function buildView(
  survey: SurveyHead,
  response: SurveyResponse,
  questions: SurveyQuestion[],
  answers: ReadAnswer[],
): ResponseView {
  const byQuestion = new Map(answers.map((a) => [a.questionId, a]));
  const byCode = new Map(questions.map((q) => [q.code, byQuestion.get(q.id)?.value ?? null]));
  const views = questions.map((question): AnswerView => {
    const answer = byQuestion.get(question.id)!;
    const findings = checkAnswer(question.rules, answer, (code) => byCode.get(code) ?? null);
    if (question.required && (answer.value === null || answer.value === '')) {
      findings.unshift({
        rule: 'required',
        severity: 'error',
        message: { ja: '回答してください。', en: 'an answer is required' },
      });
    }
    return {
      questionId: question.id,
      code: question.code,
      text: question.text,
      type: question.type,
      choices: question.choices,
      gridDims: question.gridDims,
      bound: question.binding !== null,
      value: answer.value,
      source: answer.source,
      prefilledValue: answer.prefilledValue,
      lastYearValue: answer.lastYearValue,
      provenance: answer.provenance,
      confirmed: answer.confirmedAt !== null,
      dataChangedSinceConfirmed:
        answer.confirmedAt !== null &&
        answer.confirmedPrefill !== null &&
        !sameValue(answer.confirmedPrefill, answer.prefilledValue),
      changeReason: answer.changeReason,
      findings,
      version: answer.version,
    };
  });
  return {
    id: response.id,
    survey: {
      id: survey.id,
      title: survey.title,
      academicYear: survey.academicYear,
      asOfDate: survey.asOfDate,
      deadline: survey.deadline,
    },
    schoolCode: response.schoolCode,
    schoolName: response.schoolName,
    status: response.status,
    returnReason: response.returnReason,
    submittedAt: response.submittedAt?.toISOString() ?? null,
    version: response.version,
    answers: views,
    canSubmit: EDITABLE.has(response.status) && !blocksSubmission(views.flatMap((v) => v.findings)),
  };
}
