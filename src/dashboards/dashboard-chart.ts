import type { Locale } from '../config/config.js';
import { ChartRenderer } from '../reports/chart-renderer.js';
import { dashboardMessages } from './dashboards.messages.js';
import type { AttendancePeriod } from './dashboards.types.js';

const renderer = new ChartRenderer();

/** A month number as its English short name, in vega's expression language. */
const EN_MONTHS = "['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'][datum.value - 1]";
/** Months of a school year in order, April first. */
const MONTHS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3];

export interface ChartPoint {
  /** 1–12, placed on the axis in school-year order. */
  month: number;
  series: string;
  /** Absence days per enrolled student, summed from April to the end of this month (or the as-of date). */
  perStudent: number;
  absences: number;
}

/**
 * The points of the chart: for each year, absence days per enrolled student accumulated month by month
 * from April to the as-of month. The last point of a year is its absence days to date over its students.
 */
export function chartPoints(
  current: AttendancePeriod,
  previous: AttendancePeriod | null,
  locale: Locale,
): ChartPoint[] {
  const m = dashboardMessages(locale);
  const last = Number(current.asOf.slice(5, 7));
  const months = MONTHS.slice(0, MONTHS.indexOf(last) + 1);
  const series = (period: AttendancePeriod, name: string): ChartPoint[] => {
    const byMonth = new Map(period.months.map((row) => [Number(row.month.slice(5, 7)), row.absences]));
    let running = 0;
    return months.map((month) => {
      running += byMonth.get(month) ?? 0;
      const perStudent = period.total.students === 0 ? 0 : running / period.total.students;
      return { month, series: name, perStudent: Math.round(perStudent * 100) / 100, absences: running };
    });
  };
  return [
    ...series(current, m.thisYear(current.academicYear)),
    ...(previous ? series(previous, m.lastYear(previous.academicYear)) : []),
  ];
}

/**
 * This year against last as lines (vega-lite to SVG on the server; the pages run no script). Both axes start
 * at zero; the years differ by colour and by dash, and the page gives the same figures as a table.
 */
export async function renderYearChart(points: ChartPoint[], locale: Locale, labelledBy: string): Promise<string> {
  const m = dashboardMessages(locale);
  // This year first (solid, dark blue), last year second (dashed, brown), whatever their names sort as.
  const series = [...new Set(points.map((point) => point.series))];
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { name: 'points' },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'month',
        type: 'ordinal',
        sort: MONTHS,
        title: m.monthAxis,
        axis: { labelAngle: 0, labelExpr: locale === 'ja' ? "datum.value + '月'" : EN_MONTHS },
      },
      y: { field: 'perStudent', type: 'quantitative', title: m.perStudentAxis, scale: { zero: true } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: series, range: ['#1d4e89', '#8a5300'] },
        legend: { orient: 'bottom' },
      },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: {
          domain: series,
          range: [
            [1, 0],
            [6, 4],
          ],
        },
      },
    },
    config: { aria: false },
  };
  const svg = await renderer.toSvg(
    'dashboard-year-against-last',
    spec,
    { points: points.map((point) => ({ ...point })) },
    { width: 520, height: 220 },
  );
  // The page gives the chart's words (its caption) and its figures (a table): vega's own roles and labels on
  // marks, in English, would be read inside an image that already has its name.
  const bare = svg.replace(/ (?:role|aria-roledescription|aria-label)="[^"]*"/g, '');
  return bare.replace(/^<svg /, `<svg role="img" aria-labelledby="${labelledBy}" focusable="false" `);
}
