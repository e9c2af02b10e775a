import type { TestApp } from '../support/test-app.js';
import { SCHOOL_A, SCHOOL_B } from '../support/test-app.js';
import { seedSchools } from './warehouse.factory.js';

/**
 * Seeds schools A and B in the warehouse, then creates and issues, as the board, a survey of typed
 * questions to school A alone; returns the survey and school A's response.
 */
export async function issueTypedSurvey(
  t: TestApp,
  title: string,
  questions: object[],
): Promise<{ surveyId: string; responseId: string }> {
  await seedSchools(t.warehouse, [
    { schoolCode: SCHOOL_A, name: '中央小学校', schoolType: 'elementary' },
    { schoolCode: SCHOOL_B, name: '中央中学校', schoolType: 'junior_high' },
  ]);
  const board = { Authorization: `Bearer ${t.tokens.board}` };
  const survey = {
    title: { ja: title, en: title },
    description: { ja: '', en: '' },
    academicYear: 2025,
    asOfDate: '2026-03-31',
    deadline: '2099-03-31',
    targets: { kind: 'list', schoolCodes: [SCHOOL_A] },
    questions,
  };
  const created = await t.http().post('/api/surveys').set(board).send(survey).expect(201);
  const surveyId: string = created.body.survey.id;
  await t.http().post(`/api/surveys/${surveyId}/issue`).set(board).expect(200);
  const response = await t.http().get(`/api/surveys/${surveyId}/responses/${SCHOOL_A}`).set(board).expect(200);
  return { surveyId, responseId: response.body.id };
}
