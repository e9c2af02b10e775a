import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, Not, type EntityManager } from 'typeorm';
import { Survey, SurveyAnswer, SurveyQuestion, SurveyResponse } from './entities/survey.entity.js';

/** All control-plane access for surveys, responses and answers. */
@Injectable()
export class SurveysRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertSurvey(manager: EntityManager, survey: Survey, questions: SurveyQuestion[]): Promise<void> {
    await manager.insert(Survey, survey);
    await manager.insert(SurveyQuestion, questions);
  }

  findSurvey(id: string): Promise<Survey | null> {
    return this.dataSource.getRepository(Survey).findOneBy({ id });
  }

  listSurveys(): Promise<Survey[]> {
    return this.dataSource.getRepository(Survey).find({ order: { createdAt: 'DESC' } });
  }

  /** Bound questions of the other surveys of a school year: for the duplicate-request warning. */
  async boundQuestionsOfYear(academicYear: number): Promise<{ survey: Survey; question: SurveyQuestion }[]> {
    const surveys = await this.dataSource.getRepository(Survey).findBy({ academicYear });
    if (surveys.length === 0) return [];
    const questions = await this.dataSource.getRepository(SurveyQuestion).findBy({ surveyId: In(surveys.map((s) => s.id)) });
    const byId = new Map(surveys.map((s) => [s.id, s]));
    return questions.filter((q) => q.binding).map((question) => ({ survey: byId.get(question.surveyId)!, question }));
  }

  questions(surveyId: string): Promise<SurveyQuestion[]> {
    return this.dataSource.getRepository(SurveyQuestion).find({ where: { surveyId }, order: { position: 'ASC' } });
  }

  responses(surveyId: string): Promise<SurveyResponse[]> {
    return this.dataSource.getRepository(SurveyResponse).find({ where: { surveyId }, order: { schoolCode: 'ASC' } });
  }

  findResponse(id: string): Promise<SurveyResponse | null> {
    return this.dataSource.getRepository(SurveyResponse).findOneBy({ id });
  }

  findResponseOf(surveyId: string, schoolCode: string): Promise<SurveyResponse | null> {
    return this.dataSource.getRepository(SurveyResponse).findOneBy({ surveyId, schoolCode });
  }

  responsesOfSchool(schoolCode: string): Promise<SurveyResponse[]> {
    return this.dataSource.getRepository(SurveyResponse).findBy({ schoolCode });
  }

  /** Responses of issued surveys still open to changes (not submitted). */
  async openResponses(): Promise<{ survey: Survey; responses: SurveyResponse[] }[]> {
    const surveys = await this.dataSource.getRepository(Survey).findBy({ status: 'issued' });
    const out: { survey: Survey; responses: SurveyResponse[] }[] = [];
    for (const survey of surveys) {
      const responses = await this.dataSource.getRepository(SurveyResponse).findBy({ surveyId: survey.id, status: Not('submitted') });
      if (responses.length > 0) out.push({ survey, responses });
    }
    return out;
  }

  answers(responseIds: string[]): Promise<SurveyAnswer[]> {
    if (responseIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(SurveyAnswer).findBy({ responseId: In(responseIds) });
  }

  findAnswer(responseId: string, questionId: string): Promise<SurveyAnswer | null> {
    return this.dataSource.getRepository(SurveyAnswer).findOneBy({ responseId, questionId });
  }

  async insertResponses(manager: EntityManager, responses: SurveyResponse[], answers: SurveyAnswer[]): Promise<void> {
    for (let i = 0; i < responses.length; i += 500) await manager.insert(SurveyResponse, responses.slice(i, i + 500));
    for (let i = 0; i < answers.length; i += 500) await manager.insert(SurveyAnswer, answers.slice(i, i + 500));
  }

  async markIssued(manager: EntityManager, id: string): Promise<void> {
    await manager.update(Survey, { id }, { status: 'issued', issuedAt: new Date() });
  }

  /** Optimistic write: only if the answer is still at `version`; false = someone wrote first. */
  async updateAnswer(manager: EntityManager, answer: SurveyAnswer, version: number, changes: Partial<SurveyAnswer>): Promise<boolean> {
    const result = await manager.update(SurveyAnswer, { id: answer.id, version }, { ...changes, version: version + 1, updatedAt: new Date() });
    return (result.affected ?? 0) === 1;
  }

  /** A refresh from new data: no version check against the school, but it bumps the version so a stale school write gets 409. */
  async refreshAnswer(answer: SurveyAnswer, changes: Partial<SurveyAnswer>): Promise<void> {
    await this.dataSource.getRepository(SurveyAnswer).update({ id: answer.id, version: answer.version }, { ...changes, version: answer.version + 1, updatedAt: new Date() });
  }

  async updateResponse(manager: EntityManager, response: SurveyResponse, version: number, changes: Partial<SurveyResponse>): Promise<boolean> {
    const result = await manager.update(SurveyResponse, { id: response.id, version }, { ...changes, version: version + 1 });
    return (result.affected ?? 0) === 1;
  }
}
