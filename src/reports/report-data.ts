/**
 * The figures of a report: parameters checked against the stores, then each dataset of the template
 * resolved from its source. A school's own profile reads exact metric values for that school; cohort
 * datasets come from CohortsService (disclosure-controlled and audited); survey datasets are the
 * board's returns, with student counts summed over schools put through disclosure control.
 */
import { label } from '../labels/labels.js';
import { VARCHAR } from '@duckdb/node-api';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CohortsService } from '../cohorts/cohorts.service.js';
import type { CohortResult } from '../cohorts/cohort-result.js';
import { DomainError } from '../common/domain-error.js';
import { invalidField } from '../common/common.errors.js';
import { templateInvalid } from './reports.errors.js';
import { applyDisclosureControl } from '../disclosure/disclosure-control.js';
import type { DisclosureReport } from '../disclosure/disclosure.types.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { IngestBatch } from '../ingest/entities/ingest-batch.entity.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { SurveyReportsService } from '../surveys/survey-reports.service.js';
import { SurveysService } from '../surveys/surveys.service.js';
import { sqlFile } from '../warehouse/sql-files.js';
import { Warehouse } from '../warehouse/warehouse.js';
import { fillJson, type DatasetRows, type Locale } from './placeholders.js';
import { cohortKey, type ReportParameter, type ReportTemplate } from './report-template.js';

const SQL = { schools: sqlFile('reports/schools'), programmes: sqlFile('reports/programmes') };

export interface ResolvedParams {
  /** Plain values (what cohort templates and the render record get). */
  values: Record<string, unknown>;
  /** Values for text placeholders: a school is { code, name }, a programme { id, name }, a survey { id, title, academicYear, asOfDate }. */
  context: Record<string, unknown>;
}

export interface ReportData {
  datasets: Record<string, DatasetRows>;
  /** The cohort runs behind the report, cited in it (definition hash, saved name and version). */
  cohorts: Record<string, CohortResult>;
  disclosure: DisclosureReport[];
  /** The data's as-of date: the survey's as-of date, or the last successful ingest. */
  asOf: string | null;
  schoolNames: Map<string, string>;
}

const STATUS_LABEL: Record<string, { ja: string; en: string }> = {
  not_opened: { ja: '未開封', en: 'Not opened' },
  in_progress: { ja: '回答中', en: 'In progress' },
  submitted: { ja: '提出済み', en: 'Submitted' },
  returned: { ja: '差し戻し', en: 'Returned' },
  overdue: { ja: '期限超過', en: 'Overdue' },
};
const BURDEN_LABEL: Record<string, { ja: string; en: string }> = {
  prefilled: { ja: 'データから事前入力(修正なし)', en: 'Pre-filled from data, unchanged' },
  changed: { ja: '事前入力を修正', en: 'Pre-filled, changed' },
  manual: { ja: '手入力', en: 'Typed by hand' },
};

function invalid(name: string, message: string): DomainError {
  return invalidField(`params.${name}`, message, `report parameter ${name} ${message}`);
}

@Injectable()
export class ReportDataService {
  constructor(
    @Inject(Warehouse) private readonly warehouse: Warehouse,
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
    private readonly cohorts: CohortsService,
    private readonly surveys: SurveysService,
    private readonly surveyReports: SurveyReportsService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  async schools(code: string | null = null): Promise<{ school_code: string; name: string; school_type: string }[]> {
    return this.warehouse.all(SQL.schools, { school: code }, { school: VARCHAR });
  }

  /** Checks and types every parameter; a missing or bad one is a 400 naming it. */
  async resolveParams(template: ReportTemplate, raw: Record<string, unknown>, locale: Locale): Promise<ResolvedParams> {
    for (const name of Object.keys(raw))
      if (!template.parameters.some((p) => p.name === name))
        throw invalid(
          name,
          `is not a parameter of ${template.id} (parameters: ${template.parameters.map((p) => p.name).join(', ')})`,
        );
    const values: Record<string, unknown> = {};
    const context: Record<string, unknown> = {};
    for (const p of template.parameters) {
      const given = raw[p.name] ?? p.default;
      if (given === undefined || given === null || given === '') {
        if (p.required) throw invalid(p.name, 'is required');
        continue;
      }
      const { value, shown } = await this.resolveOne(p, given, locale);
      values[p.name] = value;
      context[p.name] = shown;
    }
    return { values, context };
  }

  private async resolveOne(
    p: ReportParameter,
    given: unknown,
    locale: Locale,
  ): Promise<{ value: unknown; shown: unknown }> {
    const year = (v: unknown): number => {
      const n = typeof v === 'number' ? v : /^\d{4}$/.test(String(v).trim()) ? Number(String(v).trim()) : Number.NaN;
      if (!Number.isInteger(n) || n < 2000 || n > 2100)
        throw invalid(p.name, `must be a school year like 2025, got ${JSON.stringify(v)}`);
      return n;
    };
    switch (p.type) {
      case 'academicYear': {
        const value = year(given);
        return { value, shown: value };
      }
      case 'academicYears': {
        const list = Array.isArray(given) ? given : String(given).split(',');
        const value = [...new Set(list.map(year))].sort((a, b) => a - b);
        if (value.length < 2) throw invalid(p.name, 'needs at least two years, e.g. 2023,2024,2025');
        return { value, shown: value.join('、') };
      }
      case 'school': {
        const code = String(given).trim();
        const [school] = await this.schools(code);
        if (!school) throw invalid(p.name, `names no school in the warehouse: ${code}`);
        return { value: code, shown: { code, name: school.name } };
      }
      case 'programme': {
        const id = String(given).trim();
        const [programme] = await this.warehouse.all<{ programme_id: string; name: string }>(
          SQL.programmes,
          { programme: id },
          { programme: VARCHAR },
        );
        if (!programme) throw invalid(p.name, `names no programme in the warehouse: ${id}`);
        return { value: id, shown: { id, name: programme.name } };
      }
      case 'survey': {
        const id = String(given).trim();
        if (!/^[0-9a-f-]{36}$/i.test(id))
          throw invalid(p.name, `must be a survey id (uuid), got ${JSON.stringify(given)}`);
        const survey = await this.surveys.get(id).then(
          (found) => found.survey,
          (error: unknown) => {
            if (error instanceof DomainError && error.code === 'NOT_FOUND')
              throw invalid(p.name, `names no survey: ${id}`);
            throw error;
          },
        );
        return {
          value: id,
          shown: { id, title: survey.title[locale], academicYear: survey.academicYear, asOfDate: survey.asOfDate },
        };
      }
      case 'choice': {
        const value = String(given);
        if (!p.choices!.includes(value))
          throw invalid(p.name, `must be one of ${p.choices!.join(', ')}, got ${JSON.stringify(given)}`);
        return { value, shown: { toString: () => value, label: label('outcome', value, locale) } };
      }
    }
  }

  /** Every dataset of the template for these parameters. */
  async load(template: ReportTemplate, params: ResolvedParams, locale: Locale): Promise<ReportData> {
    const datasets: Record<string, DatasetRows> = {};
    const cohorts: Record<string, CohortResult> = {};
    const disclosure: DisclosureReport[] = [];
    let asOf: string | null;
    const surveyId = template.parameters.find((p) => p.type === 'survey');
    const surveyCache = new Map<string, unknown>();
    for (const [name, dataset] of Object.entries(template.datasets)) {
      switch (dataset.source) {
        case 'metric':
          datasets[name] = await this.metricRows(template, dataset, params);
          break;
        case 'cohort': {
          const key = cohortKey(dataset);
          if (!cohorts[key]) {
            const result = dataset.saved
              ? await this.cohorts.runSaved(dataset.saved.name, dataset.saved.version)
              : await this.cohorts.query(fillJson(template.cohorts[dataset.definition!], params.values));
            cohorts[key] = result;
            disclosure.push(result.disclosure);
          }
          const result = cohorts[key];
          let rows: DatasetRows;
          if (dataset.table === 'attrition')
            rows = result.attrition.map((s) => ({
              step: s.step,
              label: s.label[locale],
              students: s.students,
              schools: s.schools,
            }));
          else if (result.tables[dataset.table]) rows = result.tables[dataset.table].rows;
          else
            throw templateInvalid(
              `report ${template.id}: dataset ${name} reads table ${dataset.table}, which ${result.method} does not give`,
            );
          const where = Object.entries(dataset.where ?? {});
          datasets[name] = rows.filter((r) => where.every(([k, v]) => r[k] === v));
          break;
        }
        case 'survey': {
          const id = String(params.values[surveyId!.name]);
          const rows = await this.surveyRows(id, dataset.part, locale, surveyCache, disclosure);
          datasets[name] = rows;
          break;
        }
      }
    }
    if (surveyId) asOf = String((params.context[surveyId.name] as { asOfDate: string }).asOfDate);
    else asOf = await this.lastIngest();
    // School names only for a template that prints them (not for each of a batch's school profiles).
    const printsNames = template.sections.some(
      (s) => s.kind === 'table' && s.columns.some((c) => c.format === 'schoolName'),
    );
    const names = new Map(printsNames ? (await this.schools()).map((s) => [s.school_code, s.name]) : []);
    return { datasets, cohorts, disclosure, asOf, schoolNames: names };
  }

  private async lastIngest(): Promise<string | null> {
    const [batch] = await this.dataSource
      .getRepository(IngestBatch)
      .find({ where: [{ status: 'loaded' }, { status: 'partial' }], order: { finishedAt: 'DESC' }, take: 1 });
    return batch?.finishedAt ? batch.finishedAt.toISOString().slice(0, 10) : null;
  }

  /** A school's exact metric values (the school-profile audience), for the year and `yearsBack` before it. */
  private async metricRows(
    template: ReportTemplate,
    dataset: { metric: string; total?: boolean; yearsBack?: number },
    params: ResolvedParams,
  ): Promise<DatasetRows> {
    const byType = (type: string) => template.parameters.find((p) => p.type === type)?.name;
    const year = Number(params.values[byType('academicYear')!]);
    const schoolParam = byType('school');
    const school = schoolParam ? (params.values[schoolParam] as string | undefined) : undefined;
    const rows: DatasetRows = [];
    for (let y = year - (dataset.yearsBack ?? 0); y <= year; y++) {
      const values = await this.metrics.values(dataset.metric, {
        academicYear: y,
        schools: school ? [school] : undefined,
      });
      if (dataset.total) {
        const bySchool = new Map<string, number>();
        for (const v of values) bySchool.set(v.schoolCode, (bySchool.get(v.schoolCode) ?? 0) + v.value);
        for (const [schoolCode, value] of bySchool) rows.push({ academic_year: y, school: schoolCode, value });
      } else {
        for (const v of values) rows.push({ academic_year: y, school: v.schoolCode, ...v.dims, value: v.value });
      }
    }
    return rows;
  }

  private async surveyRows(
    id: string,
    part: string,
    locale: Locale,
    cache: Map<string, unknown>,
    disclosure: DisclosureReport[],
  ): Promise<DatasetRows> {
    const once = async <T>(key: string, load: () => Promise<T>): Promise<T> => {
      if (!cache.has(key)) cache.set(key, await load());
      return cache.get(key) as T;
    };
    if (part === 'status') {
      const status = await once('status', () => this.surveyReports.status(id));
      return Object.keys(STATUS_LABEL).map((s) => ({
        status: s,
        label: STATUS_LABEL[s][locale],
        schools: status.counts[s as keyof typeof status.counts] ?? 0,
      }));
    }
    if (part === 'burden') {
      const burden = await once('burden', () => this.surveyReports.burden(id));
      return (['prefilled', 'changed', 'manual'] as const).map((k) => ({
        kind: k,
        label: BURDEN_LABEL[k][locale],
        answers: burden.total[k],
      }));
    }
    const results = await once('results', () => this.surveyReports.results(id));
    const submitted = results.schools.filter((s) => s.status === 'submitted');
    const numeric = (value: unknown): number | null => {
      if (typeof value === 'number') return value;
      if (Array.isArray(value))
        return (value as { value?: unknown }[]).reduce(
          (sum, cell) => sum + (typeof cell.value === 'number' ? cell.value : 0),
          0,
        );
      return null;
    };
    if (part === 'totals') {
      // Integer and grid questions count students (or classes, cases): summed over the submitted schools, an area aggregate.
      const rows = results.questions
        .filter((q) => q.type === 'integer' || q.type === 'grid')
        .map((q) => {
          const values = submitted.map((s) => numeric(s.answers[q.code]?.value)).filter((v): v is number => v !== null);
          return {
            code: q.code,
            question: q.text[locale],
            schools: values.length,
            total: values.reduce((a, b) => a + b, 0),
          };
        });
      const controlled = applyDisclosureControl(
        rows,
        {
          columns: {
            code: { kind: 'dimension' },
            question: { kind: 'dimension' },
            schools: { kind: 'dimension' },
            total: { kind: 'count' },
          },
          unit: 'area',
          schools: 'schools',
        },
        this.config.disclosure,
      );
      disclosure.push(controlled.report);
      return controlled.rows;
    }
    // distribution: how many schools fall in each of up to 8 equal bins of each numeric question.
    const rows: DatasetRows = [];
    for (const q of results.questions.filter((x) => x.type === 'integer' || x.type === 'number' || x.type === 'grid')) {
      const values = submitted.map((s) => numeric(s.answers[q.code]?.value)).filter((v): v is number => v !== null);
      if (values.length === 0) continue;
      const min = Math.min(...values);
      const max = Math.max(...values);
      const bins = Math.min(8, Math.max(1, new Set(values).size));
      const width = max > min ? (max - min) / bins : 1;
      const counts = new Array<number>(bins).fill(0);
      for (const v of values) counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
      counts.forEach((n, i) =>
        rows.push({
          code: q.code,
          question: q.text[locale],
          bin_start: Number((min + i * width).toFixed(4)),
          bin_end: Number((min + (i + 1) * width).toFixed(4)),
          schools: n,
        }),
      );
    }
    return rows;
  }
}
