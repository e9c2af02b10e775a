import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { assertSchoolAccess } from '../auth/school-scope.js';
import { invalidField, notFound } from '../common/common.errors.js';
import { pageOf, type Page, type PageRequest } from '../common/page.js';
import type { Actor } from '../common/request-context.js';
import type { EntityManager } from 'typeorm';
import { parseAnswerValue } from './answer-input.js';
import type { SurveyAnswer, SurveyQuestion, SurveyResponse } from './entities/survey.entity.js';
import { sameValue } from './prefill.js';
import { buildView, EDITABLE, type ResponseView } from './response-view.js';
import type { ReadAnswer, ResponseState, SchoolAnswerField } from './response-rows.js';
import {
  responseNotSubmitted,
  responseSubmitted,
  staleAnswers,
  staleResponse,
  submissionBlocked,
} from './surveys.errors.js';
import { SurveysRepository } from './surveys.repository.js';
import { withUnanswered } from './unanswered.js';

/** The school's side: read the pre-filled response, confirm or change with a reason, type the rest, explain queries, submit. */
@Injectable()
export class ResponsesService {
  constructor(
    private readonly repository: SurveysRepository,
    private readonly audit: AuditService,
  ) {}

  private async load(actor: Actor, responseId: string) {
    const state = await this.repository.responseState(responseId);
    if (!state) throw notFound('survey response', responseId);
    assertSchoolAccess(actor, state.response.schoolCode);
    return withQuestions(state, await this.repository.questions(state.response.surveyId));
  }

  /** The response locked for this transaction, and its answers as they are now: what every write decides on. */
  private async locked(manager: EntityManager, actor: Actor, responseId: string) {
    const state = await this.repository.lockedResponseState(manager, responseId);
    if (!state) throw notFound('survey response', responseId);
    assertSchoolAccess(actor, state.response.schoolCode);
    // Questions never change once written: the cached list, not a read in this transaction.
    return withQuestions(state, await this.repository.questions(state.response.surveyId));
  }

  async findFor(actor: Actor, surveyId: string, schoolCode: string): Promise<ResponseView> {
    assertSchoolAccess(actor, schoolCode);
    const response = await this.repository.findResponseOf(surveyId, schoolCode);
    if (!response) throw notFound('survey response for school', schoolCode);
    return this.view(actor, response.id);
  }

  async mine(actor: Actor, page: PageRequest): Promise<Page<SurveyResponse>> {
    const [responses, total] = actor.schoolCode
      ? await this.repository.responsesOfSchool(actor.schoolCode, page)
      : [[], 0];
    return pageOf(responses, total, page);
  }

  /** A school opening its response moves it from "not opened" to "in progress". */
  async view(actor: Actor, responseId: string): Promise<ResponseView> {
    let { response, survey, questions, answers } = await this.load(actor, responseId);
    if (actor.role === 'school' && response.status === 'not_opened') {
      await this.repository.transaction(async (manager) => {
        if (
          await this.repository.updateResponse(manager, response, response.version, {
            status: 'in_progress',
            openedAt: new Date(),
          })
        ) {
          await this.audit.record(
            {
              action: 'response.open',
              targetType: 'survey_response',
              targetId: response.id,
              before: { status: 'not_opened' },
              after: { status: 'in_progress' },
            },
            manager,
          );
        }
      });
      ({ response, survey, questions, answers } = await this.load(actor, responseId));
    }
    return buildView(survey, response, questions, answers);
  }

  async confirm(actor: Actor, responseId: string, questionId: string, version: number): Promise<ResponseView> {
    return this.mutate(actor, responseId, questionId, version, (question, answer) => {
      if (answer.prefilledValue === null)
        throw invalidField(
          'questionId',
          'not pre-filled',
          `question ${question.code} was not pre-filled: type an answer`,
        );
      return {
        action: 'answer.confirm',
        changes: {
          value: answer.prefilledValue,
          source: 'prefilled',
          confirmedAt: new Date(),
          confirmedPrefill: answer.prefilledValue,
          changeReason: null,
        },
      };
    });
  }

  /**
   * データのとおり確認: confirms, in one transaction, every pre-filled answer still as computed and not
   * yet confirmed; a changed, typed or already confirmed answer is left as it is. `version` is the
   * response's version the school read: any answer written since (another tab, new data) makes the
   * whole confirmation stale, and the error names the questions whose version moved.
   */
  async confirmAll(
    actor: Actor,
    responseId: string,
    version: number,
    answerVersions: Record<string, number> = {},
  ): Promise<ResponseView> {
    return this.repository.transaction(async (manager) => {
      const { response, survey, questions, answers } = await this.locked(manager, actor, responseId);
      if (!EDITABLE.has(response.status))
        throw responseSubmitted('this response is submitted: the board must return it before it can change');
      if (response.version !== version) {
        const code = new Map(questions.map((q) => [q.id, q.code]));
        throw staleAnswers(
          answers
            .filter((a) => answerVersions[a.questionId] !== undefined && answerVersions[a.questionId] !== a.version)
            .map((a) => code.get(a.questionId)!),
        );
      }
      const now = new Date();
      const after: ReadAnswer[] = [];
      for (const answer of answers) {
        const stillAsComputed =
          answer.prefilledValue !== null &&
          answer.source === 'prefilled' &&
          answer.confirmedAt === null &&
          sameValue(answer.value, answer.prefilledValue);
        if (!stillAsComputed) {
          after.push(answer);
          continue;
        }
        const changes: Partial<Pick<SurveyAnswer, SchoolAnswerField>> = {
          value: answer.prefilledValue,
          confirmedAt: now,
          confirmedPrefill: answer.prefilledValue,
          changeReason: null,
          updatedBy: actor.name,
        };
        if (!(await this.repository.updateAnswer(manager, answer, answer.version, changes))) throw staleResponse();
        const question = questions.find((q) => q.id === answer.questionId)!;
        await this.audit.record(
          {
            action: 'answer.confirm',
            targetType: 'survey_answer',
            targetId: answer.id,
            before: { question: question.code, value: answer.value, source: answer.source },
            after: { question: question.code, value: answer.prefilledValue, source: 'prefilled' },
          },
          manager,
        );
        after.push({ ...answer, ...changes, version: answer.version + 1 });
      }
      const responseChanges: Partial<SurveyResponse> =
        response.status === 'not_opened' ? { status: 'in_progress', openedAt: now } : {};
      if (!(await this.repository.updateResponse(manager, response, version, responseChanges))) throw staleResponse();
      return buildView(survey, { ...response, ...responseChanges, version: version + 1 }, questions, after);
    });
  }

  async change(
    actor: Actor,
    responseId: string,
    questionId: string,
    input: { value: unknown; reason?: string; version: number },
  ): Promise<ResponseView> {
    return this.mutate(actor, responseId, questionId, input.version, (question, answer) => {
      const value = parseAnswerValue(question, input.value);
      if (answer.prefilledValue === null) {
        return {
          action: 'answer.type',
          changes: { value, source: 'manual', confirmedAt: new Date(), changeReason: null },
        };
      }
      if (sameValue(value, answer.prefilledValue)) {
        return {
          action: 'answer.confirm',
          changes: {
            value,
            source: 'prefilled',
            confirmedAt: new Date(),
            confirmedPrefill: answer.prefilledValue,
            changeReason: null,
          },
        };
      }
      const reason = input.reason?.trim();
      if (!reason) {
        throw invalidField(
          'reason',
          'say why the figure differs from the one computed from data',
          'a changed figure needs a reason',
        );
      }
      return {
        action: 'answer.change',
        reason,
        changes: {
          value,
          source: 'changed',
          confirmedAt: new Date(),
          confirmedPrefill: answer.prefilledValue,
          changeReason: reason,
        },
      };
    });
  }

  async explain(
    actor: Actor,
    responseId: string,
    questionId: string,
    input: { rule: string; text: string; version: number },
  ): Promise<ResponseView> {
    return this.mutate(actor, responseId, questionId, input.version, (question, answer) => {
      const known = question.rules.some(
        (rule, index) => `${index}:${rule.check}` === input.rule && rule.severity === 'query',
      );
      if (!known)
        throw invalidField(
          'rule',
          'not a query of this question',
          `question ${question.code} has no query ${input.rule}`,
        );
      return {
        action: 'answer.explain',
        reason: input.text,
        changes: { explanations: { ...answer.explanations, [input.rule]: input.text.trim() } },
      };
    });
  }

  /**
   * Checks the rules and submits in one transaction, on the locked response at the version the school
   * read: an answer changed meanwhile either came first (the version moved: 409) or waits for this to end.
   */
  async submit(actor: Actor, responseId: string, version: number): Promise<ResponseView> {
    await this.repository.transaction(async (manager) => {
      const { response, survey, questions, answers } = await this.locked(manager, actor, responseId);
      if (!EDITABLE.has(response.status)) throw responseSubmitted();
      if (response.version !== version) throw staleResponse();
      const view = buildView(survey, response, questions, answers);
      if (!view.canSubmit) {
        const blockers = view.answers.flatMap((a) =>
          a.findings
            .filter((f) => f.severity === 'error' || !f.explanation)
            .map((f) => ({ field: `answers.${a.code}`, messages: [f.message.en] })),
        );
        throw submissionBlocked(blockers);
      }
      const submitted = await this.repository.updateResponse(manager, response, version, {
        status: 'submitted',
        submittedAt: new Date(),
        submittedBy: actor.name,
      });
      if (!submitted) throw staleResponse();
      await this.audit.record(
        {
          action: 'response.submit',
          targetType: 'survey_response',
          targetId: response.id,
          before: { status: response.status },
          after: { status: 'submitted' },
        },
        manager,
      );
    });
    return this.view(actor, responseId);
  }

  async returnForCorrection(actor: Actor, responseId: string, reason: string): Promise<ResponseView> {
    await this.repository.transaction(async (manager) => {
      const response = await this.repository.lockResponse(manager, responseId);
      if (!response) throw notFound('survey response', responseId);
      assertSchoolAccess(actor, response.schoolCode);
      if (response.status !== 'submitted') throw responseNotSubmitted();
      await this.repository.updateResponse(manager, response, response.version, {
        status: 'returned',
        returnReason: reason,
      });
      await this.audit.record(
        {
          action: 'response.return',
          targetType: 'survey_response',
          targetId: response.id,
          before: { status: 'submitted' },
          after: { status: 'returned' },
          reason,
        },
        manager,
      );
    });
    return this.view(actor, responseId);
  }

  /**
   * One change to one answer: decided on the response as read, then written in one statement with the
   * response's new version and its audit row (SurveysRepository.writeSchoolAnswer), without a transaction —
   * refused once the response is submitted, and at a stale answer version; it moves the response's version
   * too, so a submission read before it gets 409.
   */
  private async mutate(
    actor: Actor,
    responseId: string,
    questionId: string,
    version: number,
    decide: (
      question: SurveyQuestion,
      answer: ReadAnswer,
    ) => { action: string; reason?: string; changes: Partial<Pick<SurveyAnswer, SchoolAnswerField>> },
  ): Promise<ResponseView> {
    const { response, survey, questions, answers } = await this.load(actor, responseId);
    if (!EDITABLE.has(response.status))
      throw responseSubmitted('this response is submitted: the board must return it before it can change');
    const question = questions.find((q) => q.id === questionId);
    const answer = answers.find((a) => a.questionId === questionId);
    if (!question || !answer) throw notFound('question', questionId);
    const { action, reason, changes } = decide(question, answer);
    const written = { ...changes, updatedBy: actor.name };
    const audit = this.audit.row({
      action,
      targetType: 'survey_answer',
      targetId: answer.id,
      before: { question: question.code, value: answer.value, source: answer.source },
      after: {
        question: question.code,
        value: changes.value ?? answer.value,
        source: changes.source ?? answer.source,
      },
      reason,
    });
    const stale = () =>
      staleResponse(`question ${question.code} changed since you read it (someone else, or new data): reload it`);
    if (answer.version !== version) throw stale();
    const after = await this.repository.writeSchoolAnswer(answer, version, written, audit.parameters, [...EDITABLE]);
    if (!after) {
      const now = await this.repository.responseState(responseId);
      if (now && !EDITABLE.has(now.response.status))
        throw responseSubmitted('this response is submitted: the board must return it before it can change');
      throw stale();
    }
    audit.written();
    // The response as read, with this write: no second read after it.
    const answersAfter = answers.map((a) => (a === answer ? { ...a, ...written, version: version + 1 } : a));
    return buildView(survey, { ...response, ...after }, questions, answersAfter);
  }
}

/** A response's state with its questions, and an answer for each: the empty one where nobody has answered yet. */
function withQuestions(state: ResponseState, questions: SurveyQuestion[]) {
  const { response, survey, answers } = state;
  return {
    ...state,
    // A response exists only once its survey is issued.
    answers: withUnanswered(response.id, questions, answers, survey.issuedAt!),
    questions,
  };
}
