import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, Not, type EntityManager } from 'typeorm';
import type { PageRequest } from '../common/page.js';
import { Survey, SurveyAnswer, SurveyQuestion, SurveyResponse } from './entities/survey.entity.js';
import { storedProvenance } from './batch-sets.js';
import { isStored } from './unanswered.js';
import type { AnswerValue, Provenance } from './survey.types.js';
import {
  ANSWER_WRITE,
  answerFields,
  ANSWERS_OF_RESPONSE,
  RESPONSE_FOR_READ,
  RESPONSE_FOR_WRITE,
  RESPONSE_WRITE,
  SCHOOL_ANSWER_FIRST_WRITE,
  SCHOOL_ANSWER_WRITE,
  stateOf,
  type AnswerRow,
  type ResponseRow,
  type ResponseState,
  type SchoolAnswerField,
} from './response-rows.js';

/**
 * What issuing writes, in the shape that is cheapest to send: every new answer is a response × question pair, so the
 * questions and the responses are sent once each and only what differs per answer with it. A question is either
 * answered from data (`provenance`: where its figures come from, the same for every school but the batches) or by a
 * person (null: every school's answer starts empty, source "manual", and is not written until someone answers it). `answers[r][q]` is response r's figure for
 * question q (null for a question a person answers), last year's, and the index in `batchLists` of the batches its
 * figure was computed from (schools loaded by the same batches share one list). The rest is the same for every new
 * answer and written by the insert: a new id, the pre-filled figure is the figure, nothing confirmed, changed or
 * explained, version 1.
 */
export interface IssuedAnswers {
  questions: { id: string; provenance: Omit<Provenance, 'batches'> | null }[];
  batchLists: { id: string; batches: readonly string[] }[];
  answers: ({ value: AnswerValue | null; lastYearValue: AnswerValue | null; batches: number } | null)[][];
}

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
   * Batch sets (batch-sets.ts) an issue or a refresh is about to name, each stored once: a set is its content, so one
   * stored already is the same set, and only the sets not stored yet are sent (with daily loads a set holds ~200 batch
   * ids, and an issue names hundreds of sets, mostly stored by the issue or refresh before). Written on their own,
   * before the transaction that names them, so that no transaction holds a set another waits for (an unnamed set,
   * left by an issue that failed after, is harmless).
   */
  async storeBatchSets(sets: readonly { id: string; batches: readonly string[] }[]): Promise<void> {
    if (sets.length === 0) return;
    const stored = new Set(
      (
        await this.dataSource.query<{ id: string }[]>(
          `SELECT id FROM provenance_batch_sets WHERE id = ANY($1::text[])`,
          [sets.map((set) => set.id)],
        )
      ).map((row) => row.id),
    );
    const missing = sets.filter((set) => !stored.has(set.id));
    if (missing.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO provenance_batch_sets (id, batches)
       SELECT id, batches FROM jsonb_to_recordset($1::jsonb) AS x(id text, batches jsonb) ORDER BY id
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(missing)],
    );
  }

  /**
   * Issuing writes a response per school and an answer per question answered from data and school (18,000 at
   * prefecture scale for the two national templates; a question a person answers has no row until written,
   * unanswered.ts): a statement per 500 responses, their answers made in the database from the responses × the questions, with the figures passed as one JSON parameter (a few short keys per answer: the questions'
   * ids, their provenance and the batch lists go once, not with each of the 25,000; parsing the JSON was the larger
   * part of the insert's time).
   */
  async insertResponses(manager: EntityManager, responses: SurveyResponse[], issued: IssuedAnswers): Promise<void> {
    // The batch sets named are stored before (storeBatchSets).
    const questions = JSON.stringify(
      // A question a person answers has no head: a missing key is SQL NULL (a JSON null would be the jsonb null).
      issued.questions.map((q, n) => ({ n, id: q.id, ...(q.provenance ? { head: q.provenance } : {}) })),
    );
    const batchSets = JSON.stringify(issued.batchLists.map((list) => list.id));
    for (let i = 0; i < responses.length; i += 500) {
      const chunk = responses.slice(i, i + 500);
      const rows = chunk.map((r) => ({
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
      // Only the answers from data carry anything; a missing key is SQL NULL. The response is its place in the chunk.
      const figures: { r: number; q: number; v?: AnswerValue; l?: AnswerValue; b: number }[] = [];
      chunk.forEach((_, k) =>
        issued.answers[i + k].forEach((answer, q) => {
          if (answer === null) return;
          figures.push({
            r: k,
            q,
            ...(answer.value === null ? {} : { v: answer.value }),
            ...(answer.lastYearValue === null ? {} : { l: answer.lastYearValue }),
            b: answer.batches,
          });
        }),
      );
      // Only the answers from data are written: a question a person answers gets its row when first written
      // (unanswered.ts). The provenance stored is the question's with the name of the school's batch set (jsonb keeps
      // no key order).
      await manager.query(
        `INSERT INTO survey_answers (id, response_id, question_id, value, source, prefilled_value, last_year_value, provenance, confirmed_at,
                                     confirmed_prefill, change_reason, explanations, updated_by, updated_at, version)
         SELECT gen_random_uuid(), r.id::uuid, q.id, a.v, CASE WHEN q.head IS NOT NULL THEN 'prefilled' ELSE 'manual' END, a.v, a.l,
                q.head || jsonb_build_object('batchSet', b.id), NULL, NULL, NULL, '{}'::jsonb, NULL, now(), 1
         FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS r(id, n)
         CROSS JOIN jsonb_to_recordset($2::jsonb) AS q(n integer, id uuid, head jsonb)
         LEFT JOIN jsonb_to_recordset($3::jsonb) AS a(r integer, q integer, v jsonb, l jsonb, b integer) ON a.r = r.n - 1 AND a.q = q.n
         LEFT JOIN jsonb_array_elements_text($4::jsonb) WITH ORDINALITY AS b(id, n) ON b.n = a.b + 1
         WHERE q.head IS NOT NULL`,
        [JSON.stringify(chunk.map((r) => r.id)), questions, JSON.stringify(figures), batchSets],
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
   * Optimistic write of what a school changes in a stored answer, read under the response's lock: only if the
   * answer is still at `version`; false = someone wrote first. The whole row as read with the changes is
   * written (the version proves it is still as read), so the statement is one fixed text.
   */
  async updateAnswer(
    manager: EntityManager,
    answer: Pick<SurveyAnswer, 'id' | 'responseId' | SchoolAnswerField>,
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

  /**
   * A refresh from new data, on a locked response: it bumps the answer's version so a stale school write gets 409.
   * A new provenance is stored as the name of its batch set (stored before: storeBatchSets).
   */
  async refreshAnswer(
    manager: EntityManager,
    answer: SurveyAnswer,
    { provenance, ...changes }: Partial<Omit<SurveyAnswer, 'provenance'>> & { provenance?: Provenance },
  ): Promise<void> {
    await manager.update(
      SurveyAnswer,
      { id: answer.id, version: answer.version },
      {
        ...changes,
        ...(provenance ? { provenance: storedProvenance(provenance) } : {}),
        version: answer.version + 1,
        updatedAt: new Date(),
      },
    );
  }

  /**
   * A school's change to one answer, its response's version and the audit row in one statement
   * (SCHOOL_ANSWER_WRITE; SCHOOL_ANSWER_FIRST_WRITE for a question nobody has answered yet, which it stores): the
   * response as written, or null when nothing was (the response is no longer open to changes, or the answer is no
   * longer at `version`).
   */
  async writeSchoolAnswer(
    answer: Pick<SurveyAnswer, 'id' | 'responseId' | 'questionId' | SchoolAnswerField>,
    version: number,
    changes: Partial<Pick<SurveyAnswer, SchoolAnswerField>>,
    audit: unknown[],
    openStatuses: SurveyResponse['status'][],
  ): Promise<Pick<SurveyResponse, 'version' | 'status' | 'openedAt'> | null> {
    const common = [answer.responseId, answer.id, version, ...answerFields(answer, changes), ...audit, openStatuses];
    const [row] = await this.dataSource.query<
      { version: number; status: SurveyResponse['status']; opened_at: Date | null; written: number }[]
    >(
      isStored(answer) ? SCHOOL_ANSWER_WRITE : SCHOOL_ANSWER_FIRST_WRITE,
      isStored(answer) ? common : [...common, answer.questionId],
    );
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
