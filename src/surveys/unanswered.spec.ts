import fc from 'fast-check';
import type { SurveyQuestion } from './entities/survey.entity.js';
import type { ReadAnswer } from './response-rows.js';
import { isStored, unansweredId, withUnanswered } from './unanswered.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('questions nobody has answered yet', () => {
  it('reads each under one id of its own, a UUID the database takes, the same at every read', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.uuid(), (response, question, other) => {
        const id = unansweredId(response, question);
        expect(id).toMatch(UUID);
        expect(unansweredId(response, question)).toBe(id);
        if (other !== question) expect(unansweredId(response, other)).not.toBe(id);
        if (other !== response) expect(unansweredId(other, question)).not.toBe(id);
      }),
    );
  });

  it('gives every question an answer: the stored one, or the empty one where there is none', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 12 }), fc.array(fc.boolean()), (ids, kept) => {
        const questions = ids.map((id) => ({ id }) as SurveyQuestion);
        const stored = ids
          .filter((_, i) => kept[i])
          .map((questionId) => ({ questionId, id: `stored-${questionId}`, version: 3 }) as unknown as ReadAnswer);
        const issuedAt = new Date('2026-06-01T00:00:00Z');
        const answers = withUnanswered('r', questions, stored, issuedAt);
        expect(answers.slice(0, stored.length)).toEqual(stored);
        expect(answers.map(isStored)).toEqual(answers.map((_, i) => i < stored.length));
        expect(answers.map((a) => a.questionId).sort()).toEqual([...ids].sort());
        for (const answer of answers.slice(stored.length)) {
          // Empty as issuing used to write it: nothing but its source, the time and version 1.
          const { id, responseId, questionId, source, updatedAt, version, explanations, ...rest } = answer;
          expect({ id, responseId, source, updatedAt, version, explanations }).toEqual({
            id: unansweredId('r', questionId),
            responseId: 'r',
            source: 'manual',
            updatedAt: issuedAt,
            version: 1,
            explanations: {},
          });
          expect(Object.values(rest)).toEqual(Array(8).fill(null));
        }
      }),
    );
  });
});
