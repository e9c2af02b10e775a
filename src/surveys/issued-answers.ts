import type { SurveyQuestion } from './entities/survey.entity.js';
import type { AnswerValue, Provenance } from './survey.types.js';
import { batchSetId } from './batch-sets.js';
import type { IssuedAnswers } from './surveys.repository.js';

/** A question's figure for one school as SurveysService.compute finds it. */
export interface Computed {
  value: AnswerValue;
  lastYear: AnswerValue | null;
  provenance: Provenance;
}

/**
 * Batch lists numbered each once, in the order first met, with the name of their set (batch-sets.ts). Schools and
 * metrics mostly share their lists (MetricsService.batchesBehind): found by identity first, by content only for a
 * list not met before.
 */
function batchListNumbers() {
  const byList = new Map<readonly string[], number>();
  const byContent = new Map<string, number>();
  const lists: IssuedAnswers['batchLists'] = [];
  const numberOf = (batches: readonly string[]) => {
    let n = byList.get(batches);
    if (n !== undefined) return n;
    const key = batches.join(' ');
    n = byContent.get(key);
    if (n === undefined) {
      n = lists.push({ id: batchSetId(batches), batches }) - 1;
      byContent.set(key, n);
    }
    byList.set(batches, n);
    return n;
  };
  return { lists, numberOf };
}

/**
 * The answers issuing writes, from what compute found for each school (in the order of `bySchool`): a question bound
 * to a metric is answered from data for every school (compute gives each one its figure and provenance, which differs
 * between schools only by its batches), any other question by a person.
 */
export function issuedAnswers(questions: SurveyQuestion[], bySchool: Map<string, Computed>[]): IssuedAnswers {
  const { lists: batchLists, numberOf } = batchListNumbers();
  const heads = questions.map((question) => {
    const first = bySchool[0]?.get(question.id)?.provenance;
    if (!question.binding || !first) return null;
    const { batches: _batches, ...head } = first;
    return head;
  });
  return {
    questions: questions.map((question, q) => ({ id: question.id, provenance: heads[q] })),
    batchLists,
    answers: bySchool.map((computed) =>
      questions.map((question, q) => {
        const c = heads[q] ? computed.get(question.id) : undefined;
        return c
          ? { value: c.value ?? null, lastYearValue: c.lastYear ?? null, batches: numberOf(c.provenance.batches) }
          : null;
      }),
    ),
  };
}

/** The batch sets the provenances of computed figures name, each once (for a refresh: storeBatchSets before it). */
export function batchSetsOf(computed: Map<string, Map<string, Computed>>): IssuedAnswers['batchLists'] {
  const { lists, numberOf } = batchListNumbers();
  for (const bySchool of computed.values()) for (const c of bySchool.values()) numberOf(c.provenance.batches);
  return lists;
}
