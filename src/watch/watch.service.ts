import { DATE, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { forbiddenRole } from '../auth/auth.errors.js';
import { assertSchoolAccess, schoolFilter } from '../auth/school-scope.js';
import { invalidField } from '../common/common.errors.js';
import { pageOf, type Page, type PageRequest } from '../common/page.js';
import type { Actor } from '../common/request-context.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import type { ShirubeConfig } from '../config/config.js';
import { applyDisclosureControl } from '../disclosure/disclosure-control.js';
import { sqlFile } from '../warehouse/sql-files.js';
import { Warehouse, type WarehouseSession } from '../warehouse/warehouse.js';
import { academicYearOf, dateValue, type FiredIndicator } from './indicator-engine.js';
import { IndicatorSettings } from './indicator-settings.service.js';
import { boardPseudonymizer } from './teacher-homerooms.service.js';
import { WatchRefresher } from './watch-refresh.service.js';
import { WatchRepository } from './watch.repository.js';
import type { WatchStudentView } from './dto/watch.dto.js';
import { identitiesFromRoster } from './roster-identities.js';
import type { IdentifiedWatchList, WatchListPage, WatchStudent, WatchSummaryView } from './watch.types.js';

const SQL = {
  students: sqlFile('watch/students'),
  weekly: sqlFile('watch/weekly-absences'),
  reasons: sqlFile('watch/absence-reasons'),
  enrolled: sqlFile('watch/enrolled'),
};

/** Weeks of the absence trend beside each flagged student. */
export const TREND_WEEKS = 12;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function checkAsOf(asOf: string): string {
  if (!ISO_DATE.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))
    throw invalidField('asOf', 'a date YYYY-MM-DD', `asOf must be a date YYYY-MM-DD, got ${asOf}`);
  return asOf;
}

/**
 * Early warning (見守り): each school's watch list as its readers see it — the stored list (refreshed by
 * WatchRefresher after every ingest) or one computed on demand as of a date, with each student's indicators,
 * absence trend and reasons (the catalogue and thresholds: IndicatorSettings). Who may see which list is
 * decided here: a school its own, a teacher its homerooms, the board any school's by pseudonym and counts
 * per school, an analyst counts through disclosure control. Every view of a list is audited.
 */
@Injectable()
export class WatchService {
  constructor(
    @Inject(Warehouse) private readonly warehouse: Warehouse,
    private readonly repository: WatchRepository,
    private readonly audit: AuditService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
    private readonly settings: IndicatorSettings,
    private readonly refresher: WatchRefresher,
  ) {}

  /** The stored list of one school: its flags, and the as-of date of its last refresh. */
  private async stored(
    schoolCode: string,
  ): Promise<{ asOf: string | null; refreshedAt: string | null; fired: FiredIndicator[] }> {
    return this.warehouse.read(async (session) => {
      const [refresh] = await session.all<{ as_of: string; refreshed_at: string }>(
        `SELECT CAST(as_of AS VARCHAR) AS as_of, CAST(refreshed_at AS VARCHAR) AS refreshed_at FROM watch_refreshes WHERE school_code = $1`,
        [schoolCode],
      );
      const rows = await session.all<{
        student_pid: string;
        indicator_id: string;
        value: number | null;
        since: string | null;
        first_flagged_on: string;
      }>(
        `SELECT student_pid, indicator_id, value, CAST(since AS VARCHAR) AS since, CAST(first_flagged_on AS VARCHAR) AS first_flagged_on
         FROM watch_flags WHERE school_code = $1`,
        [schoolCode],
      );
      const weight = new Map(this.settings.catalogue().map((indicator) => [indicator.id, indicator.urgency]));
      const urgency = new Map<string, number>();
      for (const row of rows)
        urgency.set(row.student_pid, (urgency.get(row.student_pid) ?? 0) + (weight.get(row.indicator_id) ?? 0));
      return {
        asOf: refresh?.as_of ?? null,
        refreshedAt: refresh?.refreshed_at ?? null,
        fired: rows.map((row) => ({
          schoolCode,
          student: row.student_pid,
          indicatorId: row.indicator_id,
          value: row.value,
          since: row.since,
          urgency: urgency.get(row.student_pid) ?? 0,
          firstFlaggedOn: row.first_flagged_on,
        })),
      };
    });
  }

  /**
   * One school's watch list for the actor: the stored list, or as of `asOf` computed now; a teacher sees the
   * students of its homerooms only; ordered by urgency. Audited (who, which school, as of when, how many).
   */
  async list(actor: Actor, schoolCode: string, query: { asOf?: string } & PageRequest): Promise<WatchListPage> {
    this.assertMaySeeLists(actor);
    assertSchoolAccess(actor, schoolCode);
    let asOf: string | null;
    let refreshedAt: string | null = null;
    let fired: (FiredIndicator & { firstFlaggedOn?: string })[];
    if (query.asOf) {
      asOf = checkAsOf(query.asOf);
      fired = await this.refresher.compute(asOf, [schoolCode]);
    } else {
      ({ asOf, refreshedAt, fired } = await this.stored(schoolCode));
    }
    let students = asOf ? await this.describe(schoolCode, asOf, fired) : [];
    if (actor.role === 'teacher') {
      const homerooms = new Set(await this.repository.homeroomsOf(actor.userId ?? '', asOf ? academicYearOf(asOf) : 0));
      students = students.filter((student) => student.homeroomId !== null && homerooms.has(student.homeroomId));
    }
    await this.audit.record({
      action: 'watch.list.view',
      targetType: 'school',
      targetId: schoolCode,
      after: { asOf, onDemand: query.asOf !== undefined, students: students.length },
    });
    return {
      ...pageOf(students.slice(query.offset, query.offset + query.limit), students.length, query),
      schoolCode,
      asOf,
      refreshedAt,
    };
  }

  /** The flagged students of one school with what fired, their absences, weekly trend and reasons, most urgent first. */
  async describe(
    schoolCode: string,
    asOf: string,
    fired: (FiredIndicator & { firstFlaggedOn?: string })[],
  ): Promise<WatchStudent[]> {
    const pseudonyms = [...new Set(fired.map((row) => row.student))];
    if (pseudonyms.length === 0) return [];
    const params = {
      school: schoolCode,
      academic_year: academicYearOf(asOf),
      as_of: dateValue(asOf),
      students: listValue(pseudonyms),
      weeks: TREND_WEEKS,
    };
    const types = { school: VARCHAR, academic_year: INTEGER, as_of: DATE, students: LIST(VARCHAR), weeks: INTEGER };
    const pick = (sql: string) =>
      Object.fromEntries(Object.entries(params).filter(([name]) => new RegExp(`\\$${name}\\b`).test(sql)));
    const pickTypes = (sql: string) =>
      Object.fromEntries(Object.entries(types).filter(([name]) => new RegExp(`\\$${name}\\b`).test(sql)));
    const run = <T extends Record<string, unknown>>(session: WarehouseSession, sql: string) =>
      session.all<T>(sql, pick(sql), pickTypes(sql));
    const [base, weekly, reasons] = await this.warehouse.read(async (session) => [
      await run<{
        student_pid: string;
        grade: string | null;
        homeroom_id: string | null;
        homeroom: string | null;
        absent_days: number;
        late_or_early: number;
      }>(session, SQL.students),
      await run<{ student_pid: string; week: string; absences: number }>(session, SQL.weekly),
      await run<{ student_pid: string; reason: string | null; days: number }>(session, SQL.reasons),
    ]);
    const weeks = trendWeeks(asOf, TREND_WEEKS);
    const titles = new Map(this.settings.catalogue().map((indicator) => [indicator.id, indicator]));
    const byStudent = new Map(base.map((row) => [row.student_pid, row]));
    const students = pseudonyms.map((student): WatchStudent => {
      const info = byStudent.get(student);
      const mine = fired.filter((row) => row.student === student);
      const perWeek = new Map(
        weekly.filter((row) => row.student_pid === student).map((row) => [row.week, row.absences]),
      );
      return {
        student,
        schoolCode,
        grade: info?.grade ?? null,
        homeroomId: info?.homeroom_id ?? null,
        homeroom: info?.homeroom ?? null,
        urgency: mine[0]?.urgency ?? 0,
        absentDays: info?.absent_days ?? 0,
        lateOrEarly: info?.late_or_early ?? 0,
        indicators: mine
          .map((row) => ({
            id: row.indicatorId,
            title: titles.get(row.indicatorId)?.title ?? { ja: row.indicatorId, en: row.indicatorId },
            value: row.value,
            since: row.since,
            firstFlaggedOn: row.firstFlaggedOn ?? null,
          }))
          .sort(
            (a, b) => (titles.get(b.id)?.urgency ?? 0) - (titles.get(a.id)?.urgency ?? 0) || a.id.localeCompare(b.id),
          ),
        weeklyAbsences: weeks.map((week) => ({ week, absences: perWeek.get(week) ?? 0 })),
        reasons: reasons
          .filter((row) => row.student_pid === student)
          .map((row) => ({ reason: row.reason ?? 'none', days: row.days }))
          .sort((a, b) => b.days - a.days || a.reason.localeCompare(b.reason)),
      };
    });
    return students.sort(
      (a, b) => b.urgency - a.urgency || b.absentDays - a.absentDays || a.student.localeCompare(b.student),
    );
  }

  /**
   * Flagged students per school (stored lists, or as of `asOf` computed now) beside enrolment. The board sees
   * exact counts (an administrative channel, audited); an analyst sees them through disclosure control.
   */
  async summary(actor: Actor, asOf?: string): Promise<WatchSummaryView> {
    if (actor.role !== 'board_admin' && actor.role !== 'analyst' && actor.role !== 'cli')
      throw forbiddenRole(['board_admin', 'analyst']);
    const flagged = new Map<string, Set<string>>();
    const byIndicator = new Map<string, Map<string, number>>();
    let fired: { schoolCode: string; student: string; indicatorId: string }[];
    let year: number | null;
    if (asOf) {
      checkAsOf(asOf);
      fired = await this.refresher.compute(asOf, null);
      year = academicYearOf(asOf);
    } else {
      const rows = await this.warehouse.all<{
        school_code: string;
        student_pid: string;
        indicator_id: string;
        as_of: string;
      }>(
        `SELECT f.school_code, f.student_pid, f.indicator_id, CAST(r.as_of AS VARCHAR) AS as_of
         FROM watch_flags f JOIN watch_refreshes r ON r.school_code = f.school_code`,
      );
      fired = rows.map((row) => ({
        schoolCode: row.school_code,
        student: row.student_pid,
        indicatorId: row.indicator_id,
      }));
      const [latest] = await this.warehouse.all<{ as_of: string | null }>(
        'SELECT CAST(max(as_of) AS VARCHAR) AS as_of FROM watch_refreshes',
      );
      year = latest?.as_of ? academicYearOf(latest.as_of) : null;
    }
    for (const row of fired) {
      if (!flagged.has(row.schoolCode)) flagged.set(row.schoolCode, new Set());
      flagged.get(row.schoolCode)!.add(row.student);
      if (!byIndicator.has(row.schoolCode)) byIndicator.set(row.schoolCode, new Map());
      const counts = byIndicator.get(row.schoolCode)!;
      counts.set(row.indicatorId, (counts.get(row.indicatorId) ?? 0) + 1);
    }
    const enrolled =
      year === null
        ? []
        : await this.warehouse.all<{ school_code: string; students: number }>(
            SQL.enrolled,
            { academic_year: year, schools: null },
            { academic_year: INTEGER, schools: LIST(VARCHAR) },
          );
    const rows = enrolled
      .map((row) => {
        const row_: Record<string, string | number | null> = {
          schoolCode: row.school_code,
          students: row.students,
          flagged: flagged.get(row.school_code)?.size ?? 0,
        };
        for (const indicator of this.settings.catalogue())
          row_[indicator.id] = byIndicator.get(row.school_code)?.get(indicator.id) ?? 0;
        return row_;
      })
      .sort((a, b) => String(a.schoolCode).localeCompare(String(b.schoolCode)));
    let published = rows;
    let disclosure: WatchSummaryView['disclosure'] = null;
    if (actor.role === 'analyst') {
      const controlled = applyDisclosureControl(
        rows,
        {
          columns: {
            schoolCode: { kind: 'dimension' },
            students: { kind: 'count' },
            flagged: { kind: 'count' },
            ...Object.fromEntries(
              this.settings.catalogue().map((indicator) => [indicator.id, { kind: 'count' as const }]),
            ),
          },
          unit: 'school',
        },
        this.config.disclosure,
      );
      published = controlled.rows as typeof rows;
      disclosure = controlled.report as unknown as WatchSummaryView['disclosure'];
    }
    await this.audit.record({
      action: 'watch.summary.view',
      targetType: 'watch',
      targetId: asOf ?? 'stored',
      after: { schools: rows.length, disclosureControlled: actor.role === 'analyst' },
    });
    return {
      asOf: asOf ?? null,
      exact: actor.role !== 'analyst',
      schools: published.map((row) => ({
        schoolCode: String(row.schoolCode),
        students: row.students as number | null,
        flagged: row.flagged as number | null,
        byIndicator: Object.fromEntries(
          this.settings.catalogue().map((indicator) => [indicator.id, row[indicator.id] as number | null]),
        ),
      })),
      disclosure,
    };
  }

  /** Lists are for schools, their teachers and the board (by pseudonym); an analyst sees counts only. */
  assertMaySeeLists(actor: Actor): void {
    if (!['board_admin', 'school', 'teacher', 'cli'].includes(actor.role))
      throw forbiddenRole(['board_admin', 'school', 'teacher']);
  }

  /** The schools whose lists an actor may open (undefined = all). */
  schoolsFor(actor: Actor): string[] | undefined {
    return schoolFilter(actor);
  }

  /**
   * A school's list read with the school's own student IDs, homerooms and 出席番号, recomputed in this request
   * from the roster files the school gives (roster-identities.ts): for the school and its teachers only, never
   * the board. Nothing of the files is stored; the audit row holds counts.
   */
  async identify(
    actor: Actor,
    schoolCode: string,
    files: { users: string; enrollments?: string; classes?: string },
    asOf?: string,
  ): Promise<IdentifiedWatchList> {
    if (actor.role !== 'school' && actor.role !== 'teacher' && actor.role !== 'cli')
      throw forbiddenRole(['school', 'teacher']);
    assertSchoolAccess(actor, schoolCode);
    const listed = await this.list(actor, schoolCode, { asOf, limit: Number.MAX_SAFE_INTEGER, offset: 0 });
    const pseudonymizer = boardPseudonymizer(this.config);
    const identities = identitiesFromRoster(files, pseudonymizer, new Set(listed.items.map((item) => item.student)));
    const students = listed.items.map((item) => ({
      ...item,
      asOf: listed.asOf,
      identity: identities.get(item.student) ?? null,
    }));
    const matched = students.filter((student) => student.identity !== null).length;
    await this.audit.record({
      action: 'watch.list.identify',
      targetType: 'school',
      targetId: schoolCode,
      after: { asOf: listed.asOf, students: students.length, matched },
    });
    return { schoolCode, asOf: listed.asOf, matched, unmatched: students.length - matched, students };
  }

  /** `list` as the API's page: the as-of date on each item. */
  async listPage(
    actor: Actor,
    schoolCode: string,
    query: { asOf?: string } & PageRequest,
  ): Promise<Page<WatchStudentView>> {
    const { items, total, limit, offset, asOf } = await this.list(actor, schoolCode, query);
    return { items: items.map((item) => ({ ...item, asOf })), total, limit, offset };
  }
}

/** The Mondays of the `count` weeks up to and including the week of `asOf`. */
export function trendWeeks(asOf: string, count: number): string[] {
  const day = new Date(`${asOf}T00:00:00Z`);
  const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
  return Array.from({ length: count }, (_, k) =>
    new Date(monday.getTime() - (count - 1 - k) * 7 * 86_400_000).toISOString().slice(0, 10),
  );
}
