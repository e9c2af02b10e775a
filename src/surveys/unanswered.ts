import { createHash } from 'node:crypto';
import type { SurveyQuestion } from './entities/survey.entity.js';
import type { ReadAnswer } from './response-rows.js';

/**
 * Issuing writes only the answers from data. A question a person answers has no row until someone writes to it (at
 * prefecture scale 7,000 of the 25,000 answers of the two national templates, a quarter of what an issue wrote, every
 * one empty): until then it reads as the empty answer (source manual, version 1), under the id its row gets when first
 * written, made from the response and the question, so that a read, the write after it and the audit row name the
 * same answer.
 */
export function unansweredId(responseId: string, questionId: string): string {
  const hex = createHash('sha256').update(`survey-answer ${responseId} ${questionId}`).digest('hex');
  // A UUID of RFC 9562's version 8 (made by the application): the version and variant bits set on 122 bits of the hash.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The empty answers withUnanswered made (not their copies): a first write inserts one, any other write updates a row. */
const unanswered = new WeakSet<object>();

/** Whether an answer as read is a stored row (else the empty answer of a question nobody has answered yet). */
export const isStored = (answer: object): boolean => !unanswered.has(answer);

/** A response's answers with the empty answer of every question that has no row yet, in the order of `answers`. */
export function withUnanswered<A extends Pick<ReadAnswer, 'questionId'>>(
  responseId: string,
  questions: readonly SurveyQuestion[],
  answers: A[],
  issuedAt: Date,
): (A | ReadAnswer)[] {
  if (answers.length >= questions.length) return answers;
  const stored = new Set(answers.map((answer) => answer.questionId));
  const out: (A | ReadAnswer)[] = [...answers];
  for (const question of questions) {
    if (stored.has(question.id)) continue;
    const empty: ReadAnswer = {
      id: unansweredId(responseId, question.id),
      responseId,
      questionId: question.id,
      value: null,
      source: 'manual',
      prefilledValue: null,
      lastYearValue: null,
      provenance: null,
      confirmedAt: null,
      confirmedPrefill: null,
      changeReason: null,
      explanations: {},
      updatedBy: null,
      updatedAt: issuedAt,
      version: 1,
    };
    unanswered.add(empty);
    out.push(empty);
  }
  return out;
}
