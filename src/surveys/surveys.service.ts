import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import { notFound } from '../common/common.errors.js';
import { pageOf, type Page, type PageRequest } from '../common/page.js';
import {
  surveyChangedWhileIssuing,
  surveyDefinitionInvalid,
  surveyNoTargetSchool,
  surveyNotDraft,
} from './surveys.errors.js';
import { checkSurveyDefinition, surveyWarnings, type SurveyWarning } from './survey-definition-check.js';
import type { Actor } from '../common/request-context.js';
import { MetricsService, type MetricValue } from '../metrics/metrics.service.js';
import { Warehouse } from '../warehouse/warehouse.js';
import type { CreateSurveyDto } from './dto/create-survey.dto.js';
import { Survey, SurveyAnswer, SurveyQuestion, SurveyResponse } from './entities/survey.entity.js';
import { answersFromRows, sameValue } from './prefill.js';
import type { SurveyTargets } from './survey.types.js';
import { batchSetsOf, issuedAnswers, type Computed } from './issued-answers.js';
import { SurveysRepository } from './surveys.repository.js';

/** The board's side of surveys: define, issue (one pre-filled response per target school), and keep open responses in step with new data. */
@Injectable()
export class SurveysService {
  private readonly logger = new Logger('Surveys');

  constructor(
    private readonly repository: SurveysRepository,
    private readonly metrics: MetricsService,
    private readonly audit: AuditService,
    @Inject(Warehouse) private readonly warehouse: Warehouse,
  ) {}

  async create(
    input: CreateSurveyDto,
    actor: Actor,
  ): Promise<{ survey: Survey; questions: SurveyQuestion[]; warnings: SurveyWarning[] }> {
    checkSurveyDefinition(input, this.metrics);
    const warnings = await surveyWarnings(input, this.repository, this.metrics);
    const survey: Survey = {
      id: randomUUID(),
      title: input.title,
      description: input.description,
      academicYear: input.academicYear,
      asOfDate: input.asOfDate,
      deadline: input.deadline,
      targets: input.targets as SurveyTargets,
      status: 'draft',
      warnings,
      createdBy: actor.name,
      createdAt: new Date(),
      issuedAt: null,
    };
    const questions: SurveyQuestion[] = input.questions.map((q, position) => ({
      id: randomUUID(),
      surveyId: survey.id,
      position,
      code: q.code,
      text: q.text,
      type: q.type,
      choices: q.choices ?? null,
      gridDims: q.gridDims ?? null,
      binding: q.binding
        ? { metric: q.binding.metric, ...(q.binding.filter ? { filter: q.binding.filter } : {}) }
        : null,
      rules: (q.rules ?? []) as SurveyQuestion['rules'],
      required: q.required ?? true,
    }));
    await this.repository.transaction(async (manager) => {
      await this.repository.insertSurvey(manager, survey, questions);
      await this.audit.record(
        {
          action: 'survey.create',
          targetType: 'survey',
          targetId: survey.id,
          after: { title: survey.title, academicYear: survey.academicYear, questions: questions.length, warnings },
        },
        manager,
      );
    });
    return { survey, questions, warnings };
  }

  async list(page: PageRequest): Promise<Page<Survey>> {
    const [surveys, total] = await this.repository.listSurveys(page);
    return pageOf(surveys, total, page);
  }

  byIds(ids: string[]): Promise<Survey[]> {
    return this.repository.surveysByIds(ids);
  }

  async get(id: string): Promise<{ survey: Survey; questions: SurveyQuestion[] }> {
    const survey = await this.repository.findSurvey(id);
    if (!survey) throw notFound('survey', id);
    return { survey, questions: await this.repository.questions(id) };
  }

  /** The schools a survey goes to, from the warehouse's schools. */
  async targetSchools(targets: SurveyTargets): Promise<{ schoolCode: string; name: string }[]> {
    const rows = await this.warehouse.all<{ school_code: string; name: string; school_type: string }>(
      'SELECT school_code, name, school_type FROM schools ORDER BY school_code',
    );
    if (targets.kind === 'all') return rows.map((r) => ({ schoolCode: r.school_code, name: r.name }));
    if (targets.kind === 'school_type')
      return rows
        .filter((r) => targets.schoolTypes.includes(r.school_type))
        .map((r) => ({ schoolCode: r.school_code, name: r.name }));
    const known = new Map(rows.map((r) => [r.school_code, r.name]));
    const unknown = targets.schoolCodes.filter((code) => !known.has(code));
    if (unknown.length > 0)
      throw surveyDefinitionInvalid(
        [{ field: 'targets.schoolCodes', messages: [`not in the warehouse: ${unknown.join(', ')}`] }],
        `unknown schools: ${unknown.join(', ')}`,
      );
    return targets.schoolCodes.map((code) => ({ schoolCode: code, name: known.get(code)! }));
  }

  /** Pre-fills every bound question for every school: one set-based query per metric (and per year for last-year checks). */
  async compute(
    survey: Survey,
    questions: SurveyQuestion[],
    schools: string[],
  ): Promise<Map<string, Map<string, Computed>>> {
    const bound = questions.filter((q) => q.binding);
    // Every school's rows by school, read once here (and kept by the metrics service while the warehouse is
    // unchanged, for the next survey): read-only.
    const reading = new Map<string, Promise<ReadonlyMap<string, readonly MetricValue[]>>>();
    const valuesOf = (metric: string, academicYear: number) => {
      const key = `${metric}|${academicYear}`;
      if (!reading.has(key)) reading.set(key, this.metrics.valuesBySchool(metric, academicYear));
      return reading.get(key)!;
    };
    const computedAt = new Date().toISOString();
    const out = new Map<string, Map<string, Computed>>(schools.map((s) => [s, new Map()]));
    const metricIds = [...new Set(bound.map((q) => q.binding!.metric))];
    const wantsLastYear = (question: SurveyQuestion) =>
      question.rules.some((rule) => rule.check === 'change_from_last_year');
    // Every figure and its provenance at once: independent reads, run side by side on the warehouse's reader pool.
    const reads = bound.flatMap((question) => [
      valuesOf(question.binding!.metric, survey.academicYear),
      ...(wantsLastYear(question) ? [valuesOf(question.binding!.metric, survey.academicYear - 1)] : []),
    ]);
    const lastYearIds = [...new Set(bound.filter(wantsLastYear).map((q) => q.binding!.metric))];
    const [batches, heldLastYear] = await Promise.all([
      this.metrics.batchesBehind(metricIds, survey.academicYear, schools),
      this.metrics.schoolsHeld(lastYearIds, survey.academicYear - 1),
      ...reads,
    ]);
    for (const question of bound) {
      const binding = question.binding!;
      const current = await valuesOf(binding.metric, survey.academicYear);
      const previous = wantsLastYear(question) ? await valuesOf(binding.metric, survey.academicYear - 1) : null;
      const values = answersFromRows(
        question.type,
        binding,
        question.gridDims,
        schools.map((school) => current.get(school) ?? []),
      );
      // Last year's figure only for the schools the data held last year (rows in every source of the metric): there,
      // no row for the school is 0, as this year; elsewhere it is unknown (null), and nothing is compared with it.
      const held = heldLastYear.get(binding.metric);
      const lastYearSchools = previous ? schools.filter((school) => previous.has(school) || held?.has(school)) : [];
      const lastYear = new Map(
        previous
          ? answersFromRows(
              question.type,
              binding,
              question.gridDims,
              lastYearSchools.map((school) => previous.get(school) ?? []),
            ).map((value, i) => [lastYearSchools[i], value])
          : [],
      );
      schools.forEach((school, i) =>
        out.get(school)!.set(question.id, {
          value: values[i],
          lastYear: lastYear.get(school) ?? null,
          provenance: {
            metric: binding.metric,
            filter: binding.filter ?? {},
            academicYear: survey.academicYear,
            batches: batches.get(binding.metric)?.get(school) ?? [],
            computedAt,
          },
        }),
      );
    }
    return out;
  }

  /** Issues a draft: one response per target school, every bound answer pre-filled with its provenance. */
  async issue(id: string): Promise<{ survey: Survey; responses: number; prefilled: number }> {
    const survey = await this.repository.findSurvey(id);
    if (!survey) throw notFound('survey', id);
    if (survey.status !== 'draft') throw surveyNotDraft(id, survey.status);
    const questions = await this.repository.currentQuestions(id);
    const schools = await this.targetSchools(survey.targets);
    if (schools.length === 0) throw surveyNoTargetSchool();
    const computed = await this.compute(
      survey,
      questions,
      schools.map((s) => s.schoolCode),
    );
    const responses: SurveyResponse[] = schools.map((school) => ({
      id: randomUUID(),
      surveyId: survey.id,
      schoolCode: school.schoolCode,
      schoolName: school.name,
      status: 'not_opened',
      openedAt: null,
      submittedAt: null,
      submittedBy: null,
      returnReason: null,
      version: 1,
    }));
    const issued = issuedAnswers(
      questions,
      schools.map((school) => computed.get(school.schoolCode)!),
    );
    await this.repository.storeBatchSets(issued.batchLists);
    await this.repository.transaction(async (manager) => {
      // The figures were computed outside the transaction (seconds at scale): under the survey's lock, it must
      // still be the same draft — not issued by another call meanwhile, nor edited (survey-drafts takes the lock).
      const locked = await this.repository.lockSurvey(manager, survey.id);
      if (!locked || locked.status !== 'draft') throw surveyNotDraft(id, locked?.status ?? 'gone');
      const now = { survey: locked, questions: await this.repository.currentQuestions(survey.id, manager) };
      if (issueFingerprint(now) !== issueFingerprint({ survey, questions })) throw surveyChangedWhileIssuing(id);
      await this.repository.insertResponses(manager, responses, issued);
      await this.repository.markIssued(manager, survey.id);
      await this.audit.record(
        {
          action: 'survey.issue',
          targetType: 'survey',
          targetId: survey.id,
          before: { status: 'draft' },
          after: { status: 'issued', responses: responses.length },
        },
        manager,
      );
    });
    return {
      survey: { ...survey, status: 'issued' },
      responses: responses.length,
      prefilled: issued.answers.reduce((n, answers) => n + answers.filter((a) => a !== null).length, 0),
    };
  }

  /**
   * New data arrived: until a response is submitted, a pre-filled answer nobody has confirmed follows
   * the data; a confirmed or changed one keeps its value and learns the new figure, so the page can say
   * "the data changed since you confirmed". Each response is refreshed on its lock, as it is now: one
   * submitted meanwhile is left as submitted, and the refresh moves its version (a submission read
   * before it gets 409).
   */
  async refreshOpenResponses(): Promise<number> {
    let refreshed = 0;
    for (const { survey, responses } of await this.repository.openResponses()) {
      const questions = await this.repository.questions(survey.id);
      const computed = await this.compute(
        survey,
        questions,
        responses.map((r) => r.schoolCode),
      );
      await this.repository.storeBatchSets(batchSetsOf(computed));
      const moved = (schoolCode: string, answer: SurveyAnswer) => {
        const c = computed.get(schoolCode)?.get(answer.questionId);
        return c && !sameValue(c.value, answer.prefilledValue) ? c : undefined;
      };
      // Only the responses the new data moves are locked, and read again under the lock.
      const schoolOf = new Map(responses.map((r) => [r.id, r.schoolCode]));
      const touched = new Set(
        (await this.repository.answers(responses.map((r) => r.id)))
          .filter((a) => moved(schoolOf.get(a.responseId)!, a))
          .map((a) => a.responseId),
      );
      for (const { id, schoolCode } of responses.filter((r) => touched.has(r.id))) {
        refreshed += await this.repository.transaction(async (manager) => {
          const response = await this.repository.lockResponse(manager, id);
          if (!response || response.status === 'submitted') return 0;
          let changed = 0;
          for (const answer of await this.repository.answers([id], manager)) {
            const c = moved(schoolCode, answer);
            if (!c) continue;
            const followsData = answer.source === 'prefilled' && !answer.confirmedAt;
            await this.repository.refreshAnswer(manager, answer, {
              prefilledValue: c.value,
              provenance: c.provenance,
              lastYearValue: c.lastYear,
              ...(followsData ? { value: c.value } : {}),
            });
            changed++;
          }
          if (changed > 0) await this.repository.updateResponse(manager, response, response.version, {});
          return changed;
        });
      }
    }
    if (refreshed > 0) this.logger.log(`new data: ${refreshed} pre-filled answer(s) refreshed`);
    return refreshed;
  }
}

/** What an issue computes its responses from: the draft's questions, year, as-of date and targets. */
function issueFingerprint({ survey, questions }: { survey: Survey; questions: SurveyQuestion[] }): string {
  const { academicYear, asOfDate, targets } = survey;
  return JSON.stringify({ academicYear, asOfDate, targets, questions });
}
