import { invalidField } from '../common/common.errors.js';
import type { SurveyQuestion } from './entities/survey.entity.js';
import type { AnswerValue, GridCell } from './survey.types.js';

const invalid = (message: string) => invalidField('value', message, message);

/** A typed answer checked against its question's type: a 400 naming `value` otherwise. */
export function parseAnswerValue(question: SurveyQuestion, value: unknown): AnswerValue {
  switch (question.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        throw invalid(`question ${question.code} takes a whole number ≥ 0`);
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw invalid(`question ${question.code} takes a number`);
      return value;
    case 'choice':
      if (typeof value !== 'string' || !(question.choices ?? []).includes(value))
        throw invalid(`question ${question.code} takes one of: ${(question.choices ?? []).join(', ')}`);
      return value;
    case 'text':
      if (typeof value !== 'string' || value.length > 5000)
        throw invalid(`question ${question.code} takes a text of up to 5,000 characters`);
      return value;
    case 'grid': {
      const dims = question.gridDims ?? [];
      if (!Array.isArray(value)) throw invalid(`question ${question.code} takes a list of cells {dims, value}`);
      return value.map((cell: unknown, index): GridCell => {
        const c = cell as { dims?: Record<string, unknown>; value?: unknown };
        const keys = Object.keys(c?.dims ?? {}).sort();
        if (
          keys.join(',') !== [...dims].sort().join(',') ||
          !Object.values(c.dims ?? {}).every((v) => typeof v === 'string')
        ) {
          throw invalid(`cell ${index}: dims must name ${dims.join(', ')} with text values`);
        }
        if (typeof c.value !== 'number' || !Number.isInteger(c.value) || c.value < 0)
          throw invalid(`cell ${index}: value must be a whole number ≥ 0`);
        return { dims: c.dims as Record<string, string>, value: c.value };
      });
    }
  }
}
