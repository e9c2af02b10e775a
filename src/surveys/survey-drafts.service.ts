import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import { notFound } from '../common/common.errors.js';
import type { Actor } from '../common/request-context.js';
import { createValidationPipe } from '../common/validation.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { CreateSurveyDto } from './dto/create-survey.dto.js';
import type { Survey, SurveyQuestion } from './entities/survey.entity.js';
import { answerFromRows } from './prefill.js';
import { checkSurveyDefinition, surveyWarnings } from './survey-definition-check.js';
import { loadTemplate, surveyFromTemplate, templateCoverage, templateNames } from './survey-templates.js';
import type { AnswerValue, Binding, Localized, QuestionRule, QuestionType } from './survey.types.js';
import { surveyNotDraft } from './surveys.errors.js';
import { SurveysRepository } from './surveys.repository.js';
import { SurveysService } from './surveys.service.js';

/** A question as the builder edits it: what `POST /api/surveys` takes for one question, plus the id it keeps. */
export interface DraftQuestion {
  id: string;
  code: string;
  text: Localized;
  type: QuestionType;
  choices?: string[];
  gridDims?: string[];
  binding?: Binding;
  rules: QuestionRule[];
  required: boolean;
}

/** A draft's settings: everything but its questions. */
export type DraftSettings = Pick<
  Survey,
  'title' | 'description' | 'academicYear' | 'asOfDate' | 'deadline' | 'targets'
>;

export interface DraftDefinition extends DraftSettings {
  questions: DraftQuestion[];
}

/** One school's figure for a bound question, as it would be pre-filled if the survey were issued now. */
export interface BindingPreview {
  schoolCode: string;
  schoolName: string;
  value: AnswerValue;
}

/**
 * The board's survey builder: drafts made from a shipped template or by copying an earlier survey, then
 * changed a piece at a time (settings, a question, a rule). Every change is checked as a whole definition
 * by the API's own rules (the request validation of `POST /api/surveys`, then checkSurveyDefinition), under
 * the survey's lock, and only a draft changes.
 */
@Injectable()
export class SurveyDraftsService {
  constructor(
    private readonly repository: SurveysRepository,
    private readonly surveys: SurveysService,
    private readonly metrics: MetricsService,
    private readonly audit: AuditService,
  ) {}

  /** The shipped templates, with how many of their numeric cells data answers. */
  templates(): { name: string; title: Localized; overall: { bound: number; total: number } }[] {
    return templateNames().map((name) => {
      const template = loadTemplate(name)!;
      return { name, title: template.title, overall: templateCoverage(template).overall };
    });
  }

  /** A draft from a shipped template for a school year (its reference date and deadline from the template). */
  async fromTemplate(name: string, academicYear: number, actor: Actor): Promise<Survey> {
    const template = loadTemplate(name);
    if (!template) throw notFound('survey template', name);
    const body = await validated(surveyFromTemplate(template, { academicYear }));
    return (await this.surveys.create(body, actor)).survey;
  }

  /** A draft with an earlier survey's questions, bindings, rules, targets and dates; its title says it is a copy. */
  async copy(sourceId: string, copyTitle: (title: Localized) => Localized, actor: Actor): Promise<Survey> {
    const { survey, questions } = await this.surveys.get(sourceId);
    const definition = definitionOf(survey, questions);
    const body = await validated(bodyOf({ ...definition, title: copyTitle(survey.title) }));
    return (await this.surveys.create(body, actor)).survey;
  }

  /** A draft and its questions; an issued survey is not a draft (SURVEY_NOT_DRAFT). */
  async draft(id: string): Promise<{ survey: Survey; questions: SurveyQuestion[] }> {
    const found = await this.surveys.get(id);
    if (found.survey.status !== 'draft') throw surveyNotDraft(id, found.survey.status);
    return found;
  }

  updateSettings(id: string, settings: DraftSettings): Promise<void> {
    return this.change(id, 'settings', (definition) => ({ ...definition, ...settings }));
  }

  /** Adds a question at the end; returns its id. */
  async addQuestion(id: string, question: Omit<DraftQuestion, 'id'>): Promise<string> {
    const questionId = randomUUID();
    await this.change(id, 'question.add', (definition) => ({
      ...definition,
      questions: [...definition.questions, { ...question, id: questionId }],
    }));
    return questionId;
  }

  /** Replaces a question's text, type, grid, choices, binding and required flag; its rules stay. */
  updateQuestion(id: string, questionId: string, question: Omit<DraftQuestion, 'id' | 'rules'>): Promise<void> {
    return this.change(id, 'question.update', (definition) =>
      withQuestion(definition, questionId, (q) => ({ ...question, id: q.id, rules: q.rules })),
    );
  }

  removeQuestion(id: string, questionId: string): Promise<void> {
    return this.change(id, 'question.remove', (definition) => {
      withQuestion(definition, questionId, (q) => q);
      return { ...definition, questions: definition.questions.filter((q) => q.id !== questionId) };
    });
  }

  /** Adds a rule (index = the number of rules) or replaces the rule at `index`; `null` removes it. */
  setRule(id: string, questionId: string, index: number | 'new', rule: QuestionRule | null): Promise<void> {
    return this.change(id, 'rule', (definition) =>
      withQuestion(definition, questionId, (q) => {
        if (index === 'new') return rule ? { ...q, rules: [...q.rules, rule] } : q;
        if (!Number.isInteger(index) || index < 0 || index >= q.rules.length) throw notFound('rule', String(index));
        const rules = rule ? q.rules.map((r, i) => (i === index ? rule : r)) : q.rules.filter((_, i) => i !== index);
        return { ...q, rules };
      }),
    );
  }

  /** Issues the draft: the surveys service's own issue (one pre-filled response per target school). */
  issue(id: string) {
    return this.surveys.issue(id);
  }

  /** The schools of the warehouse, for choosing targets. */
  async schools(): Promise<{ schoolCode: string; name: string }[]> {
    return this.surveys.targetSchools({ kind: 'all' });
  }

  /**
   * One school's figure for a bound question, computed as issuing would (exact: the board's administrative
   * channel): the chosen school if it is a target, else the first target school.
   */
  async preview(survey: Survey, question: SurveyQuestion, schoolCode?: string): Promise<BindingPreview | null> {
    if (!question.binding) return null;
    const targets = await this.surveys.targetSchools(survey.targets).catch(() => []);
    const school = targets.find((s) => s.schoolCode === schoolCode) ?? targets[0];
    if (!school) return null;
    const rows = await this.metrics.values(question.binding.metric, {
      academicYear: survey.academicYear,
      schools: [school.schoolCode],
    });
    return {
      schoolCode: school.schoolCode,
      schoolName: school.name,
      value: answerFromRows(question.type, question.binding, question.gridDims, rows),
    };
  }

  /** One change of a draft: read under the lock, changed, checked whole by the API's rules, written, audited. */
  private async change(
    id: string,
    what: string,
    apply: (definition: DraftDefinition) => DraftDefinition,
  ): Promise<void> {
    await this.repository.transaction(async (manager) => {
      const survey = await this.repository.lockSurvey(manager, id);
      if (!survey) throw notFound('survey', id);
      if (survey.status !== 'draft') throw surveyNotDraft(id, survey.status);
      const before = definitionOf(survey, await this.repository.questions(id, manager));
      const after = apply(before);
      const body = await validated(bodyOf(after));
      checkSurveyDefinition(body, this.metrics);
      const warnings = (await surveyWarnings(body, this.repository, this.metrics, manager)).filter(
        (w) => w.otherSurveyId !== id,
      );
      const questions: SurveyQuestion[] = after.questions.map((q, position) => ({
        id: q.id,
        surveyId: id,
        position,
        code: q.code,
        text: q.text,
        type: q.type,
        choices: q.type === 'choice' ? (q.choices ?? null) : null,
        gridDims: q.type === 'grid' ? (q.gridDims ?? null) : null,
        binding: q.binding ?? null,
        rules: q.rules,
        required: q.required,
      }));
      const { title, description, academicYear, asOfDate, deadline, targets } = after;
      await this.repository.replaceDraft(
        manager,
        { ...survey, title, description, academicYear, asOfDate, deadline, targets, warnings },
        questions,
      );
      await this.audit.record(
        {
          action: 'survey.update',
          targetType: 'survey',
          targetId: id,
          before: { questions: before.questions.length, deadline: before.deadline },
          after: { change: what, questions: questions.length, deadline, warnings: warnings.length },
        },
        manager,
      );
    });
    this.repository.forgetQuestions(id);
  }
}

/** The request validation of `POST /api/surveys` (whitelist, the DTO's rules): VALIDATION_FAILED naming each field. */
async function validated(body: object): Promise<CreateSurveyDto> {
  return (await createValidationPipe().transform(body, { type: 'body', metatype: CreateSurveyDto })) as CreateSurveyDto;
}

function definitionOf(survey: Survey, questions: SurveyQuestion[]): DraftDefinition {
  return {
    title: survey.title,
    description: survey.description,
    academicYear: survey.academicYear,
    asOfDate: survey.asOfDate,
    deadline: survey.deadline,
    targets: survey.targets,
    questions: questions.map((q) => ({
      id: q.id,
      code: q.code,
      text: q.text,
      type: q.type,
      ...(q.choices ? { choices: q.choices } : {}),
      ...(q.gridDims ? { gridDims: q.gridDims } : {}),
      ...(q.binding ? { binding: q.binding } : {}),
      rules: q.rules,
      required: q.required,
    })),
  };
}

/** The definition as the body of `POST /api/surveys` (no ids: the API does not take them). */
function bodyOf(definition: DraftDefinition): object {
  return {
    ...definition,
    questions: definition.questions.map(({ id: _id, ...question }) => question),
  };
}

function withQuestion(
  definition: DraftDefinition,
  questionId: string,
  change: (question: DraftQuestion) => DraftQuestion,
): DraftDefinition {
  if (!definition.questions.some((q) => q.id === questionId)) throw notFound('survey question', questionId);
  return { ...definition, questions: definition.questions.map((q) => (q.id === questionId ? change(q) : q)) };
}

/** The school year (年度, April to March) a date falls in, in Japan's time. */
export function schoolYearOf(now: Date): number {
  const tokyo = new Date(now.getTime() + 9 * 3_600_000);
  return tokyo.getUTCMonth() >= 3 ? tokyo.getUTCFullYear() : tokyo.getUTCFullYear() - 1;
}
