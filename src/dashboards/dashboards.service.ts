import { DATE, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { forbiddenRole, forbiddenSchool } from '../auth/auth.errors.js';
import { assertSchoolAccess } from '../auth/school-scope.js';
import { invalidField, notFound } from '../common/common.errors.js';
import type { Actor } from '../common/request-context.js';
import type { Locale } from '../config/config.js';
import { sqlFile } from '../warehouse/sql-files.js';
import { Warehouse } from '../warehouse/warehouse.js';
import { academicYearOf, dateValue } from '../watch/indicator-engine.js';
import { WatchRepository } from '../watch/watch.repository.js';
import { checkAsOf, WatchService } from '../watch/watch.service.js';
import { chartPoints, renderYearChart } from './dashboard-chart.js';
import { DashboardAttendance } from './dashboard-attendance.js';
import { DashboardsRepository } from './dashboards.repository.js';
import type { AttendancePeriod, DashboardView } from './dashboards.types.js';

const LATEST_DAY = sqlFile('watch/latest-attendance-day');
/** 長期欠席: absent 30 days or more in the school year; the default line of "students with ≥ N absence days". */
export const DEFAULT_MIN_DAYS = 30;
const OPEN_CASES_SHOWN = 200;
export const CHART_CAPTION_ID = 'year-chart-caption';

export interface DashboardQuery {
  asOf?: string;
  minDays?: string;
  homeroom?: string;
}

const today = () => new Date().toISOString().slice(0, 10);

/** The same day a year before (29 February → 28 February). */
export function yearBefore(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  const last = new Date(Date.UTC(year - 1, month, 0)).getUTCDate();
  return `${year - 1}-${String(month).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

function minDaysOf(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_MIN_DAYS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 250) throw invalidField('minDays', 'a whole number of days from 1 to 250');
  return n;
}

/**
 * The dashboards: a school's (管理職, a school user) and its classes' (担任, a teacher: the homerooms bound to it
 * only; a school user may open any homeroom of its school). Attendance to date by homeroom and against the same
 * period last year (dashboard-attendance.ts: rates by the metric catalogue's own SQL), the watch list's flags
 * and the support cases. Nobody else: the board has its watch page, an analyst nothing. Every view audited.
 */
@Injectable()
export class DashboardsService {
  constructor(
    private readonly attendance: DashboardAttendance,
    private readonly watch: WatchService,
    private readonly homerooms: WatchRepository,
    private readonly repository: DashboardsRepository,
    private readonly audit: AuditService,
    @Inject(Warehouse) private readonly warehouse: Warehouse,
  ) {}

  /** The as-of date asked for, else the school's last attendance day (never later than today). */
  private async asOfFor(schoolCode: string, asked: string | undefined): Promise<string | null> {
    if (asked) return checkAsOf(asked);
    const [row] = await this.warehouse.all<{ last_day: string | null }>(
      LATEST_DAY,
      { schools: listValue([schoolCode]), today: dateValue(today()) },
      { schools: LIST(VARCHAR), today: DATE },
    );
    return row?.last_day ?? null;
  }

  async schoolView(actor: Actor, schoolCode: string, query: DashboardQuery, locale: Locale): Promise<DashboardView> {
    if (actor.role !== 'school') throw forbiddenRole(['school']);
    assertSchoolAccess(actor, schoolCode);
    const asOf = await this.asOfFor(schoolCode, query.asOf);
    const choices = asOf ? await this.attendance.homerooms(schoolCode, academicYearOf(asOf)) : [];
    return this.build(actor, { schoolCode, asOf, query, students: null, homerooms: null, choices }, locale);
  }

  /** A teacher's homerooms (all, or the one asked for among them); a school user's homeroom of its school. */
  async classView(actor: Actor, schoolCode: string, query: DashboardQuery, locale: Locale): Promise<DashboardView> {
    if (actor.role !== 'teacher' && actor.role !== 'school') throw forbiddenRole(['teacher', 'school']);
    assertSchoolAccess(actor, schoolCode);
    const asOf = await this.asOfFor(schoolCode, query.asOf);
    const year = asOf ? academicYearOf(asOf) : null;
    const all = year === null ? [] : await this.attendance.homerooms(schoolCode, year);
    let choices = all;
    if (actor.role === 'teacher') {
      const mine = new Set(year === null ? [] : await this.homerooms.homeroomsOf(actor.userId ?? '', year));
      choices = all.filter((homeroom) => mine.has(homeroom.homeroomId));
    }
    let chosen = choices;
    if (query.homeroom) {
      chosen = choices.filter((homeroom) => homeroom.homeroomId === query.homeroom);
      if (chosen.length === 0) {
        if (all.some((homeroom) => homeroom.homeroomId === query.homeroom))
          throw forbiddenSchool(schoolCode, 'the homeroom is not bound to this teacher');
        throw notFound('homeroom', query.homeroom);
      }
    } else if (actor.role === 'school') chosen = [];
    const students =
      year === null || chosen.length === 0
        ? []
        : await this.attendance.studentsOf(
            schoolCode,
            year,
            chosen.map((homeroom) => homeroom.homeroomId),
          );
    return this.build(actor, { schoolCode, asOf, query, students, homerooms: chosen, choices }, locale);
  }

  private async build(
    actor: Actor,
    input: {
      schoolCode: string;
      asOf: string | null;
      query: DashboardQuery;
      /** null: the whole school. */
      students: string[] | null;
      homerooms: { homeroomId: string; title: string }[] | null;
      choices: { homeroomId: string; title: string }[];
    },
    locale: Locale,
  ): Promise<DashboardView> {
    const { schoolCode, asOf, students, homerooms } = input;
    const minDays = minDaysOf(input.query.minDays);
    const scope = homerooms === null ? 'school' : 'class';
    let current: AttendancePeriod | null = null;
    let previous: AttendancePeriod | null = null;
    let chart: string | null = null;
    if (asOf && (students === null || students.length > 0)) {
      const year = academicYearOf(asOf);
      current = await this.attendance.period({ schoolCode, academicYear: year, asOf, students, minDays });
      previous = await this.attendance.period({
        schoolCode,
        academicYear: year - 1,
        asOf: yearBefore(asOf),
        students,
        minDays,
      });
      if (previous.total.students === 0) previous = null;
      chart = await renderYearChart(chartPoints(current, previous, locale), locale, CHART_CAPTION_ID);
    }
    const inScope = new Set(homerooms?.map((homeroom) => homeroom.homeroomId));
    const listed =
      scope === 'class' && homerooms!.length === 0
        ? { asOf, items: [] }
        : await this.watch.list(actor, schoolCode, { asOf: input.query.asOf, limit: 10_000, offset: 0 });
    const flagged =
      scope === 'class'
        ? listed.items.filter((student) => student.homeroomId !== null && inScope.has(student.homeroomId))
        : listed.items;
    const caseStudents = scope === 'class' ? (students ?? []) : null;
    const cases = {
      byStatus: await this.repository.caseCounts(schoolCode, caseStudents),
      open: await this.repository.openCases(schoolCode, caseStudents, OPEN_CASES_SHOWN),
    };
    await this.audit.record({
      action: 'dashboard.view',
      targetType: 'school',
      targetId: schoolCode,
      after: {
        scope,
        asOf,
        homerooms: homerooms?.map((homeroom) => homeroom.homeroomId) ?? null,
        students: current?.total.students ?? 0,
        flagged: flagged.length,
        openCases: cases.open.length,
      },
    });
    return {
      scope,
      schoolCode,
      homerooms,
      choices: input.choices,
      current,
      previous,
      watch: { asOf: listed.asOf, flagged: flagged.length, students: scope === 'class' ? flagged : [] },
      cases,
      chart,
    };
  }
}
