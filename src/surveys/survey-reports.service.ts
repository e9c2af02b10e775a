import { dimensionLabel, dimensionOrder, dimensionValueLabel, label } from '../labels/labels.js';
import type { Locale } from '../config/config.js';
import { Injectable } from '@nestjs/common';
import { csvFile, type CsvValue } from '../common/csv.js';
import { notFound } from '../common/common.errors.js';
import type { Survey, SurveyAnswer, SurveyQuestion, SurveyResponse } from './entities/survey.entity.js';
import type { AnswerValue } from './survey.types.js';
import { SurveysRepository } from './surveys.repository.js';
import { withUnanswered } from './unanswered.js';

export type ReturnStatus = 'not_opened' | 'in_progress' | 'submitted' | 'returned' | 'overdue';

export interface SchoolStatus {
  responseId: string;
  schoolCode: string;
  schoolName: string;
  status: ReturnStatus;
  submittedAt: string | null;
}

export interface Burden {
  /** Answers accepted as pre-filled from data, changed from it, and typed by hand. */
  prefilled: number;
  changed: number;
  manual: number;
}

/** Tokyo's calendar date: deadlines are dates in Japan. */
const todayInJapan = (now: Date) => new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);

/** The board's view of returns: who has answered, who is late, the results, and how much typing the data saved. */
@Injectable()
export class SurveyReportsService {
  constructor(private readonly repository: SurveysRepository) {}

  private async survey(id: string) {
    const survey = await this.repository.findSurvey(id);
    if (!survey) throw notFound('survey', id);
    return survey;
  }

  /** Each response's answers (response id → them), the empty one where nobody has answered a question yet. */
  private async answersOf(survey: Survey, questions: SurveyQuestion[], responses: SurveyResponse[]) {
    const stored = new Map<string, SurveyAnswer[]>(responses.map((r) => [r.id, []]));
    for (const answer of await this.repository.answers(responses.map((r) => r.id)))
      stored.get(answer.responseId)?.push(answer);
    return new Map(
      [...stored].map(([responseId, answers]) => [
        responseId,
        withUnanswered(responseId, questions, answers, survey.issuedAt!),
      ]),
    );
  }

  async status(
    id: string,
    now = new Date(),
  ): Promise<{ counts: Record<ReturnStatus, number>; schools: SchoolStatus[]; overdue: SchoolStatus[] }> {
    const survey = await this.survey(id);
    const late = todayInJapan(now) > survey.deadline;
    const schools = (await this.repository.responses(id)).map((r): SchoolStatus => ({
      responseId: r.id,
      schoolCode: r.schoolCode,
      schoolName: r.schoolName,
      // A response sent back for correction keeps saying so, even after the deadline.
      status: (r.status === 'not_opened' || r.status === 'in_progress') && late ? 'overdue' : r.status,
      submittedAt: r.submittedAt?.toISOString() ?? null,
    }));
    const counts: Record<ReturnStatus, number> = {
      not_opened: 0,
      in_progress: 0,
      submitted: 0,
      returned: 0,
      overdue: 0,
    };
    for (const s of schools) counts[s.status]++;
    return { counts, schools, overdue: schools.filter((s) => s.status === 'overdue') };
  }

  /** Every school's answers (exact: the board sees the returns it asked for). */
  async results(id: string): Promise<{
    survey: { id: string; title: { ja: string; en: string }; academicYear: number };
    questions: { code: string; text: { ja: string; en: string }; type: string; gridDims: string[] | null }[];
    schools: {
      schoolCode: string;
      schoolName: string;
      status: string;
      answers: Record<string, { value: AnswerValue | null; source: SurveyAnswer['source'] }>;
    }[];
  }> {
    const survey = await this.survey(id);
    const questions = await this.repository.questions(id);
    const responses = await this.repository.responses(id);
    const answers = await this.answersOf(survey, questions, responses);
    const codeOf = new Map(questions.map((q) => [q.id, q.code]));
    return {
      survey: { id: survey.id, title: survey.title, academicYear: survey.academicYear },
      questions: questions.map((q) => ({ code: q.code, text: q.text, type: q.type, gridDims: q.gridDims })),
      schools: responses.map((r) => ({
        schoolCode: r.schoolCode,
        schoolName: r.schoolName,
        status: r.status,
        answers: Object.fromEntries(
          (answers.get(r.id) ?? []).map((a) => [codeOf.get(a.questionId)!, { value: a.value, source: a.source }]),
        ),
      })),
    };
  }

  /** Results as CSV for Excel: UTF-8 with BOM, one row per school, a grid's cells as their own columns; typed text that would run as a formula is neutralised. */
  /**
   * Results across schools as CSV (UTF-8 with BOM, for Excel): headers and values in words —
   * `学年別・男女別児童生徒数_小1_男`, statuses as 提出済み — or, with `codes`, the machine-readable file:
   * `students[grade=P1,sex=male]`, `submitted`.
   */
  async resultsCsv(id: string, options: { codes?: boolean; locale?: Locale } = {}): Promise<string> {
    const results = await this.results(id);
    const locale = options.locale ?? 'ja';
    const words = !options.codes;
    const columns: { header: string; get: (answers: Record<string, { value: AnswerValue | null }>) => CsvValue }[] = [];
    for (const question of results.questions) {
      // Cells in the question's own dimension order (jsonb does not keep key order).
      const dims = question.gridDims ?? [];
      const keyOf = (cellDims: Record<string, string>) => dims.map((d) => cellDims[d]).join('\u0001');
      const cells = new Map<string, Record<string, string>>();
      for (const school of results.schools) {
        const value = school.answers[question.code]?.value;
        if (Array.isArray(value)) for (const cell of value) cells.set(keyOf(cell.dims), cell.dims);
      }
      const title = locale === 'en' ? question.text.en : question.text.ja;
      if (question.type === 'grid') {
        const ordered = [...cells.values()].sort((a, b) => {
          for (const d of dims) {
            const order = dimensionOrder(d)(a[d], b[d]);
            if (order !== 0) return order;
          }
          return 0;
        });
        for (const cellDims of ordered) {
          const key = keyOf(cellDims);
          columns.push({
            header: words
              ? [title, ...dims.map((d) => dimensionValueLabel(d, cellDims[d], locale))].join('_')
              : `${question.code}[${dims.map((d) => `${d}=${cellDims[d]}`).join(',')}]`,
            get: (answers) => {
              const value = answers[question.code]?.value;
              const cell = Array.isArray(value) ? value.find((c) => keyOf(c.dims) === key) : undefined;
              return cell?.value ?? 0;
            },
          });
        }
      } else {
        columns.push({
          header: words ? title : question.code,
          get: (answers) => {
            const value = answers[question.code]?.value;
            return typeof value === 'number' || typeof value === 'string' ? value : null;
          },
        });
      }
    }
    const fixed = words
      ? [dimensionLabel('school_code', locale), locale === 'en' ? 'School' : '学校名', dimensionLabel('status', locale)]
      : ['school_code', 'school_name', 'status'];
    return csvFile([
      [...fixed, ...columns.map((c) => c.header)],
      ...results.schools.map((school) => [
        school.schoolCode,
        school.schoolName,
        words ? label('responseStatus', school.status, locale) : school.status,
        ...columns.map((c) => c.get(school.answers)),
      ]),
    ]);
  }

  /** The burden figure: per school and in total, answers accepted as pre-filled, changed, and typed by hand. */
  async burden(
    id: string,
  ): Promise<{ total: Burden; schools: ({ schoolCode: string; schoolName: string } & Burden)[] }> {
    const survey = await this.survey(id);
    const responses = await this.repository.responses(id);
    const answers = await this.answersOf(survey, await this.repository.questions(id), responses);
    const total: Burden = { prefilled: 0, changed: 0, manual: 0 };
    const schools = responses.map((r) => {
      const burden: Burden = { prefilled: 0, changed: 0, manual: 0 };
      for (const a of answers.get(r.id) ?? []) burden[a.source]++;
      total.prefilled += burden.prefilled;
      total.changed += burden.changed;
      total.manual += burden.manual;
      return { schoolCode: r.schoolCode, schoolName: r.schoolName, ...burden };
    });
    return { total, schools };
  }
}
