import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, Not, type EntityManager } from 'typeorm';
import type { PageRequest } from '../common/page.js';
import { Survey, SurveyAnswer, SurveyQuestion, SurveyResponse } from './entities/survey.entity.js';
import {
  ANSWER_WRITE,
  answerFields,
  ANSWERS_OF_RESPONSE,
  RESPONSE_FOR_READ,
  RESPONSE_FOR_WRITE,
  RESPONSE_WRITE,
  SCHOOL_ANSWER_WRITE,
  stateOf,
  type AnswerRow,
  type ResponseRow,
  type ResponseState,
  type SchoolAnswerField,
} from './response-rows.js';

/**
 * A new answer as issuing makes it: its figure (pre-filled, or null for the school to type), last year's, where it
 * came from. The rest is the same for every new answer and written by the insert: the pre-filled figure is the
 * figure, nothing confirmed, changed or explained, version 1.
 */
export type IssuedAnswer = Pick<
  SurveyAnswer,
  'id' | 'responseId' | 'questionId' | 'value' | 'source' | 'lastYearValue' | 'provenance'
>;

/** All control-plane access for surveys, responses and answers. */
@Injectable()
export class SurveysRepository {
  /**
   * A survey's questions change only while it is a draft (replaceDraft forgets them) and never once it is
   * issued: each school's every read and write needs them, so they are read once per survey.
   */
  private readonly questionsBySurvey = new Map<string, Promise<SurveyQuestion[]>>();

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertSurvey(manager: EntityManager, survey: Survey, questions: SurveyQuestion[]): Promise<void> {
    await manager.insert(Survey, survey);
    await manager.insert(SurveyQuestion, questions);
  }

  findSurvey(id: string, manager: EntityManager = this.dataSource.manager): Promise<Survey | null> {
    return manager.findOneBy(Survey, { id });
  }

  listSurveys(page: PageRequest): Promise<[Survey[], number]> {
    return this.dataSource
      .getRepository(Survey)
      .findAndCount({ order: { createdAt: 'DESC', id: 'ASC' }, take: page.limit, skip: page.offset });
  }

  surveysByIds(ids: string[]): Promise<Survey[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.dataSource.getRepository(Survey).findBy({ id: In(ids) });
  }

  /**
   * Bound questions of the other surveys of a school year: for the duplicate-request warning. Inside a
   * transaction pass its manager: on the embedded store a read beside it waits for it to end (a deadlock).
   */
  async boundQuestionsOfYear(
    academicYear: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ survey: Survey; question: SurveyQuestion }[]> {
    const surveys = await manager.findBy(Survey, { academicYear });
    if (surveys.length === 0) return [];
    const questions = await manager.findBy(SurveyQuestion, { surveyId: In(surveys.map((s) => s.id)) });
    const byId = new Map(surveys.map((s) => [s.id, s]));
    return questions.filter((q) => q.binding).map((question) => ({ survey: byId.get(question.surveyId)!, question }));
  }

  questions(surveyId: string, manager: EntityManager = this.dataSource.manager): Promise<SurveyQuestion[]> {
    const known = this.questionsBySurvey.get(surveyId);
    if (known) return known;
    const read = manager.find(SurveyQuestion, { where: { surveyId }, order: { position: 'ASC' } });
    // Read within a transaction that may yet roll back (a survey being created): not kept.
    if (manager !== this.dataSource.manager) return read;
    const kept = read.then((questions) => {
      if (questions.length === 0) this.questionsBySurvey.delete(surveyId);
      return questions;
    });
    kept.catch(() => this.questionsBySurvey.delete(surveyId));
    if (this.questionsBySurvey.size >= 200) this.questionsBySurvey.delete(this.questionsBySurvey.keys().next().value!);
    this.questionsBySurvey.set(surveyId, kept);
    return kept;
  }

  responses(surveyId: string): Promise<SurveyResponse[]> {
    return this.dataSource.getRepository(SurveyResponse).find({ where: { surveyId }, order: { schoolCode: 'ASC' } });
  }

  /**
   * The response as it is now, locked until the transaction ends (SELECT … FOR UPDATE): every write to a
   * response or its answers takes this lock first, so a submission checks the answers it submits.
   */
  lockResponse(manager: EntityManager, id: string): Promise<SurveyResponse | null> {
    return manager.findOne(SurveyResponse, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** A response with its survey's head and its answers, in one statement (so as of one moment), or null. */
  async responseState(id: string): Promise<ResponseState | null> {
    const [row] = await this.dataSource.query<ResponseRow[]>(RESPONSE_FOR_READ, [id]);
    return row ? stateOf(row, row.answers ?? []) : null;
  }

  /**
   * The same for a write: the response locked until the transaction ends (SELECT … FOR UPDATE): every write
   * to a response or its answers takes this lock first, so a submission checks the answers it submits.
   */
  async lockedResponseState(manager: EntityManager, id: string): Promise<ResponseState | null> {
    const [row] = await manager.query<ResponseRow[]>(RESPONSE_FOR_WRITE, [id]);
    if (!row) return null;
    return stateOf(row, await manager.query<AnswerRow[]>(ANSWERS_OF_RESPONSE, [id]));
  }

  findResponseOf(surveyId: string, schoolCode: string): Promise<SurveyResponse | null> {
    return this.dataSource.getRepository(SurveyResponse).findOneBy({ surveyId, schoolCode });
  }

  /** A school's responses, the latest deadline first. */
  responsesOfSchool(schoolCode: string, page: PageRequest): Promise<[SurveyResponse[], number]> {
    return this.dataSource
      .getRepository(SurveyResponse)
      .createQueryBuilder('r')
      .innerJoin(Survey, 's', 's.id = r.surveyId')
      .where('r.schoolCode = :schoolCode', { schoolCode })
      .orderBy('s.deadline', 'DESC')
      .addOrderBy('r.id', 'ASC')
      .limit(page.limit)
      .offset(page.offset)
      .getManyAndCount();
  }

  /** Responses of issued surveys still open to changes (not submitted). */
  async openResponses(): Promise<{ survey: Survey; responses: SurveyResponse[] }[]> {
    const surveys = await this.dataSource.getRepository(Survey).findBy({ status: 'issued' });
    const out: { survey: Survey; responses: SurveyResponse[] }[] = [];
    for (const survey of surveys) {
      const responses = await this.dataSource
        .getRepository(SurveyResponse)
        .findBy({ surveyId: survey.id, status: Not('submitted') });
      if (responses.length > 0) out.push({ survey, responses });
    }
    return out;
  }

  answers(responseIds: string[], manager: EntityManager = this.dataSource.manager): Promise<SurveyAnswer[]> {
    if (responseIds.length === 0) return Promise.resolve([]);
    return manager.findBy(SurveyAnswer, { responseId: In(responseIds) });
  }

  /**
   * Issuing writes a response per school and an answer per question and school (19,000 at prefecture scale
   * for a whole-catalogue survey): one statement per 5,000 rows, the rows passed as one JSON parameter,
   * instead of an ORM insert with ten bound parameters per row. The answers are new: as IssuedAnswer says.
   */
  async insertResponses(manager: EntityManager, responses: SurveyResponse[], answers: IssuedAnswer[]): Promise<void> {
    const json = (value: unknown) => (value === null || value === undefined ? null : value);
    for (let i = 0; i < responses.length; i += 5000) {
      const rows = responses.slice(i, i + 5000).map((r) => ({
        id: r.id,
        survey_id: r.surveyId,
        school_code: r.schoolCode,
        school_name: r.schoolName,
        status: r.status,
        opened_at: r.openedAt,
        submitted_at: r.submittedAt,
        submitted_by: r.submittedBy,
        return_reason: r.returnReason,
        version: r.version,
      }));
      await manager.query(
        `INSERT INTO survey_responses (id, survey_id, school_code, school_name, status, opened_at, submitted_at, submitted_by, return_reason, version)
         SELECT id, survey_id, school_code, school_name, status, opened_at, submitted_at, submitted_by, return_reason, version
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, survey_id uuid, school_code text, school_name text, status text, opened_at timestamptz,
                                                  submitted_at timestamptz, submitted_by text, return_reason text, version integer)`,
        [JSON.stringify(rows)],
      );
    }
    for (let i = 0; i < answers.length; i += 5000) {
      const rows = answers.slice(i, i + 5000).map((a) => ({
        id: a.id,
        response_id: a.responseId,
        question_id: a.questionId,
        value: json(a.value),
        source: a.source,
        last_year_value: json(a.lastYearValue),
        provenance: json(a.provenance),
      }));
      // A JSON null in a jsonb field of the record is the jsonb value null: store SQL NULL, as the ORM did. What every
      // new answer has alike (its pre-filled figure is its figure; nothing confirmed, changed or explained; version 1)
      // is written here, not sent 10,000 times.
      await manager.query(
        `INSERT INTO survey_answers (id, response_id, question_id, value, source, prefilled_value, last_year_value, provenance, confirmed_at,
                                     confirmed_prefill, change_reason, explanations, updated_by, updated_at, version)
         SELECT id, response_id, question_id, nullif(value, 'null'::jsonb), source, nullif(value, 'null'::jsonb), nullif(last_year_value, 'null'::jsonb),
                nullif(provenance, 'null'::jsonb), NULL, NULL, NULL, '{}'::jsonb, NULL, now(), 1
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, response_id uuid, question_id uuid, value jsonb, source text,
                                                  last_year_value jsonb, provenance jsonb)`,
        [JSON.stringify(rows)],
      );
    }
  }

  /** The survey as it is now, locked until the transaction ends: every change of a draft takes this lock first. */
  lockSurvey(manager: EntityManager, id: string): Promise<Survey | null> {
    return manager.findOne(Survey, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** A draft's definition written anew (its questions keep their ids); the kept questions are read again after. */
  async replaceDraft(manager: EntityManager, survey: Survey, questions: SurveyQuestion[]): Promise<void> {
    const { id, ...fields } = survey;
    await manager.update(Survey, { id }, fields);
    await manager.delete(SurveyQuestion, { surveyId: id });
    if (questions.length > 0) await manager.insert(SurveyQuestion, questions);
    this.forgetQuestions(id);
  }

  /** A survey's questions as stored now: not the per-process cache, which an edit made by another process misses. */
  currentQuestions(surveyId: string, manager: EntityManager = this.dataSource.manager): Promise<SurveyQuestion[]> {
    return manager.find(SurveyQuestion, { where: { surveyId }, order: { position: 'ASC' } });
  }

  /** After a draft's change commits: a read made while it was under way may have kept the old questions. */
  forgetQuestions(surveyId: string): void {
    this.questionsBySurvey.delete(surveyId);
  }

  async markIssued(manager: EntityManager, id: string): Promise<void> {
    await manager.update(Survey, { id }, { status: 'issued', issuedAt: new Date() });
  }

  /**
   * Optimistic write of what a school changes in an answer, read under the response's lock: only if the
   * answer is still at `version`; false = someone wrote first. The whole row as read with the changes is
   * written (the version proves it is still as read), so the statement is one fixed text.
   */
  async updateAnswer(
    manager: EntityManager,
    answer: SurveyAnswer,
    version: number,
    changes: Partial<Pick<SurveyAnswer, SchoolAnswerField>>,
  ): Promise<boolean> {
    const [{ written }] = await manager.query<{ written: number }[]>(ANSWER_WRITE, [
      answer.id,
      version,
      ...answerFields(answer, changes),
    ]);
    return written === 1;
  }

  /** A refresh from new data, on a locked response: it bumps the answer's version so a stale school write gets 409. */
  async refreshAnswer(manager: EntityManager, answer: SurveyAnswer, changes: Partial<SurveyAnswer>): Promise<void> {
    await manager.update(
      SurveyAnswer,
      { id: answer.id, version: answer.version },
      { ...changes, version: answer.version + 1, updatedAt: new Date() },
    );
  }

  /**
   * A school's change to one answer, its response's version and the audit row in one statement
   * (SCHOOL_ANSWER_WRITE): the response as written, or null when nothing was (the response is no longer open
   * to changes, or the answer is no longer at `version`).
   */
  async writeSchoolAnswer(
    answer: SurveyAnswer,
    version: number,
    changes: Partial<Pick<SurveyAnswer, SchoolAnswerField>>,
    audit: unknown[],
    openStatuses: SurveyResponse['status'][],
  ): Promise<Pick<SurveyResponse, 'version' | 'status' | 'openedAt'> | null> {
    const [row] = await this.dataSource.query<
      { version: number; status: SurveyResponse['status']; opened_at: Date | null; written: number }[]
    >(SCHOOL_ANSWER_WRITE, [
      answer.responseId,
      answer.id,
      version,
      ...answerFields(answer, changes),
      ...audit,
      openStatuses,
    ]);
    return row?.written === 1 ? { version: row.version, status: row.status, openedAt: row.opened_at } : null;
  }

  /** Optimistic write of a response read under its lock, as `updateAnswer`: false = its version moved. */
  async updateResponse(
    manager: EntityManager,
    response: SurveyResponse,
    version: number,
    changes: Partial<Pick<SurveyResponse, 'status' | 'openedAt' | 'submittedAt' | 'submittedBy' | 'returnReason'>>,
  ): Promise<boolean> {
    const next = { ...response, ...changes };
    const [{ written }] = await manager.query<{ written: number }[]>(RESPONSE_WRITE, [
      response.id,
      version,
      next.status,
      next.openedAt,
      next.submittedAt,
      next.submittedBy,
      next.returnReason,
    ]);
    return written === 1;
  }
}
