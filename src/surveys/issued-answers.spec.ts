import fc from 'fast-check';
import type { SurveyQuestion } from './entities/survey.entity.js';
import { batchSetId } from './batch-sets.js';
import { issuedAnswers, type Computed } from './issued-answers.js';

const question = (n: number, bound: boolean): SurveyQuestion => ({
  id: `q${n}`,
  surveyId: 's',
  position: n,
  code: `c${n}`,
  text: { ja: '問', en: 'Q' },
  type: 'integer',
  choices: null,
  gridDims: null,
  binding: bound ? { metric: `m.m${n}` } : null,
  rules: [],
  required: true,
});

describe('issuedAnswers', () => {
  it('sends each question’s provenance once and each batch list once, and loses nothing of any school’s answer', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.constantFrom('b1', 'b2', 'b3'), { maxLength: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        (bound, schools, pool, seed) => {
          const questions = bound.map((b, n) => question(n, b));
          let s = seed;
          const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31);
          const bySchool = Array.from({ length: schools }, () => {
            const computed = new Map<string, Computed>();
            for (const q of questions.filter((q) => q.binding)) {
              const batches = pool.filter(() => next() % 2 === 0);
              computed.set(q.id, {
                value: next() % 3 === 0 ? null! : next() % 50,
                lastYear: next() % 2 === 0 ? null : next() % 50,
                provenance: {
                  metric: q.binding!.metric,
                  filter: {},
                  academicYear: 2025,
                  batches,
                  computedAt: '2026-12-05T00:00:00.000Z',
                },
              });
            }
            return computed;
          });
          const issued = issuedAnswers(questions, bySchool);
          expect(issued.questions.map((q) => q.id)).toEqual(questions.map((q) => q.id));
          expect(new Set(issued.batchLists.map((list) => list.batches.join(' '))).size).toBe(issued.batchLists.length);
          for (const list of issued.batchLists) expect(list.id).toBe(batchSetId(list.batches));
          bySchool.forEach((computed, r) =>
            questions.forEach((q, n) => {
              const answer = issued.answers[r][n];
              const head = issued.questions[n].provenance;
              if (!q.binding) {
                expect([answer, head]).toEqual([null, null]);
                return;
              }
              const c = computed.get(q.id)!;
              expect({
                value: answer!.value,
                lastYear: answer!.lastYearValue,
                provenance: { ...head, batches: issued.batchLists[answer!.batches].batches },
              }).toEqual({ value: c.value ?? null, lastYear: c.lastYear, provenance: c.provenance });
            }),
          );
        },
      ),
    );
  });
});
