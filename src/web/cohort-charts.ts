/**
 * The cohort page's charts: Vega-Lite rendered to SVG on the server (the page runs no script), from the
 * result's published tables only. The DiD, funnel and value-added charts are the policy-evaluation and
 * good-practice reports' own specs, so the page and the PDF draw a result the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CohortResult } from '../cohorts/cohort-result.js';
import { projectRoot } from '../common/project-root.js';
import type { Locale } from '../config/config.js';
import { cohortGroupLabel } from '../labels/cohort-labels.js';
import { label } from '../labels/labels.js';
import { ChartRenderer } from '../reports/chart-renderer.js';
import { labelDatasets, localizeSpec } from '../reports/report-labels.js';
import { cohortMessagesFor } from './cohort-messages.js';

const spec = (path: string): object => JSON.parse(readFileSync(join(projectRoot(), 'reports', path), 'utf8')) as object;
const SPECS = {
  eventStudy: spec('policy-evaluation/event-study.vl.json'),
  trends: spec('policy-evaluation/trends.vl.json'),
  funnel: spec('good-practice/funnel.vl.json'),
  valueAdded: spec('good-practice/value-added.vl.json'),
};

/** The descriptive table's column for an outcome (long-term absence is published as a share). */
const OUTCOME_COLUMN: Record<string, string> = { long_term_absence: 'long_term_absence_rate' };

export interface CohortChart {
  id: string;
  title: string;
  svg: string;
}

type Rows = Record<string, unknown>[];
interface Plan {
  id: string;
  title: string;
  spec: object;
  data: Record<string, Rows>;
}

const renderer = new ChartRenderer();

function descriptivePlan(result: CohortResult, locale: Locale): Plan[] {
  const table = result.tables.descriptive;
  const outcome = result.definition.outcomes[0];
  const column = OUTCOME_COLUMN[outcome] ?? outcome;
  if (!table || !table.columns.includes(column)) return [];
  const breakdowns = result.definition.breakdowns ?? [];
  const by = result.definition.groups?.by;
  const rows = table.rows
    .filter((r) => breakdowns.every((b) => r[b] === 'all'))
    .map((r) => ({ ...r, group: cohortGroupLabel(by, String(r.group), locale) }));
  const words = label('outcome', outcome, locale);
  return [
    {
      id: 'chart-descriptive',
      title: cohortMessagesFor(locale).descriptiveChart(words),
      spec: {
        data: { name: 'descriptive' },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'period', type: 'ordinal', title: '期間 / period' },
          y: {
            field: column,
            type: 'quantitative',
            title: `${label('outcome', outcome, 'ja')} / ${label('outcome', outcome, 'en')}`,
            scale: { zero: false },
          },
          color: { field: 'group', type: 'nominal', title: '群 / group' },
        },
      },
      data: { descriptive: rows },
    },
  ];
}

/** Support cases: the mean per student by month from the opening (month 0 marked), from the published table. */
function casePlan(result: CohortResult, locale: Locale): Plan {
  const outcome = String(result.summary.outcome);
  return {
    id: 'chart-case-months',
    title: cohortMessagesFor(locale).caseChart(label('outcome', outcome, locale)),
    spec: {
      layer: [
        {
          data: { name: 'months' },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'relative_month', type: 'quantitative', title: 'ケース開始月からの月数 / months from opening' },
            y: {
              field: 'student_mean',
              type: 'quantitative',
              title: `${label('outcome', outcome, 'ja')} / ${label('outcome', outcome, 'en')}`,
              scale: { zero: false },
            },
          },
        },
        { data: { values: [{ x: 0 }] }, mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { field: 'x' } } },
      ],
    },
    data: { months: (result.tables.by_month?.rows ?? []).filter((r) => r.student_mean !== null) },
  };
}

/** What to draw for a result's method, from which of its tables. */
function plans(result: CohortResult, locale: Locale): Plan[] {
  const c = cohortMessagesFor(locale);
  const trends: Plan = {
    id: 'chart-trends',
    title: c.trendsChart,
    spec: SPECS.trends,
    data: { trends: result.tables.trends?.rows ?? [] },
  };
  switch (result.method) {
    case 'did_staggered':
      return [
        {
          id: 'chart-event-study',
          title: c.eventStudyChart,
          spec: SPECS.eventStudy,
          data: { eventStudy: result.tables.effects.rows.filter((r) => r.effect === 'event_time') },
        },
        trends,
      ];
    case 'did_2x2':
      return [trends];
    case 'funnel':
      // The report's funnel is drawn against required days: the attendance rate's.
      return result.summary.outcome === 'attendance_rate'
        ? [
            {
              id: 'chart-funnel',
              title: label('outcome', 'attendance_rate', locale),
              spec: SPECS.funnel,
              data: { funnel: result.tables.schools.rows, limits: result.tables.limits.rows },
            },
          ]
        : [];
    case 'value_added':
      return [
        {
          id: 'chart-value-added',
          title: c.valueAddedChart,
          spec: SPECS.valueAdded,
          data: { valueAdded: result.tables.schools.rows },
        },
      ];
    case 'case_before_after':
      return [casePlan(result, locale)];
    default:
      return descriptivePlan(result, locale);
  }
}

/**
 * The whole chart is one image named by its caption: vega's own ARIA roles and labels on its marks and
 * axes (groups with no name of their own, which axe-core flags) are taken off.
 */
function asOneImage(svg: string, id: string): string {
  return svg
    .replace(/ (role|aria-roledescription|aria-label|aria-hidden)="[^"]*"/g, '')
    .replace(/^<svg /, `<svg role="img" aria-labelledby="${id}-caption" class="chart" `);
}

/**
 * The result's charts as SVG, categories in words (小1, 2024年度導入) as the reports print them. The SVG's
 * root becomes one image named by the chart's caption; the table beside it carries the same figures as text.
 */
export async function cohortCharts(result: CohortResult, locale: Locale): Promise<CohortChart[]> {
  const charts: CohortChart[] = [];
  for (const plan of plans(result, locale)) {
    const svg = await renderer.toSvg(
      `cohort/${plan.id}`,
      localizeSpec(plan.spec, locale),
      labelDatasets(plan.data, locale),
      { width: 480, height: 240 },
    );
    charts.push({
      id: plan.id,
      title: plan.title,
      svg: asOneImage(svg, plan.id),
    });
  }
  return charts;
}
