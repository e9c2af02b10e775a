import { DATE, INTEGER, LIST, listValue, VARCHAR, type DuckDBValue } from '@duckdb/node-api';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { forbiddenRole } from '../auth/auth.errors.js';
import { assertSchoolAccess, schoolFilter } from '../auth/school-scope.js';
import { invalidField, notFound } from '../common/common.errors.js';
import { pageOf, type Page, type PageRequest } from '../common/page.js';
import type { Actor } from '../common/request-context.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import type { ShirubeConfig } from '../config/config.js';
import { pseudonymKeyPath, readPseudonymKey } from '../config/pseudonym-key.js';
import { pseudonymKeyUnavailable } from '../ingest/ingest.errors.js';
import { Pseudonymizer } from '../ingest/pseudonymizer.js';
import { applyDisclosureControl } from '../disclosure/disclosure-control.js';
import { sqlFile } from '../warehouse/sql-files.js';
import { Warehouse, type WarehouseSession } from '../warehouse/warehouse.js';
import {
  describe,
  INDICATOR_COLUMNS,
  IndicatorFileError,
  loadIndicatorCatalogue,
  type IndicatorDefinition,
} from './indicator-catalogue.js';
import {
  academicYearOf,
  computeWatchList,
  dateValue,
  watchListParams,
  watchListSql,
  type FiredIndicator,
  type Thresholds,
} from './indicator-engine.js';
import { WatchRepository } from './watch.repository.js';
import type { HomeroomsView, IndicatorView, WatchStudentView } from './dto/watch.dto.js';
import { identitiesFromRoster } from './roster-identities.js';
import type { IdentifiedWatchList, WatchListPage, WatchStudent, WatchSummaryView } from './watch.types.js';

const SQL = {
  touched: sqlFile('watch/touched-schools'),
  latestDay: sqlFile('watch/latest-attendance-day'),
  students: sqlFile('watch/students'),
  weekly: sqlFile('watch/weekly-absences'),
  reasons: sqlFile('watch/absence-reasons'),
  enrolled: sqlFile('watch/enrolled'),
  store: sqlFile('watch/store-list')
    .split(/;\s*\n/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean),
};

/** Weeks of the absence trend beside each flagged student. */
export const TREND_WEEKS = 12;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function checkAsOf(asOf: string): string {
  if (!ISO_DATE.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))
    throw invalidField('asOf', 'a date YYYY-MM-DD', `asOf must be a date YYYY-MM-DD, got ${asOf}`);
  return asOf;
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Early warning (見守り): the indicator catalogue of queries/indicators, checked at boot, computed for every
 * enrolled student as of a date in one set-based query, and each school's watch list — refreshed after every
 * ingest for the schools the batch touched, or computed on demand as of a date. Who may see which list is
 * decided here: a school its own, a teacher its homerooms, the board any school's by pseudonym and counts
 * per school, an analyst counts through disclosure control. Every view of a list is audited.
 */
@Injectable()
export class WatchService implements OnModuleInit {
  private readonly logger = new Logger('WatchService');
  private indicators: IndicatorDefinition[] = [];

  constructor(
    @Inject(Warehouse) private readonly warehouse: Warehouse,
    private readonly repository: WatchRepository,
    private readonly audit: AuditService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  /** A file whose header is wrong, whose query does not run, or whose columns break the contract stops the start. */
  async onModuleInit(): Promise<void> {
    const indicators = loadIndicatorCatalogue();
    for (const indicator of indicators) {
      const { params, types } = watchListParams([indicator], {}, '2000-04-01', []);
      const renamed = indicator.sql.replace(/\$([a-z_]+)\b/g, (whole, name: string) =>
        ['as_of', 'academic_year', 'schools'].includes(name) ? whole : `$p0_${name}`,
      );
      const bound = Object.fromEntries(Object.entries(params).filter(([name]) => !name.startsWith('k0_')));
      let columns: string[];
      try {
        columns = await this.warehouse.read((session) => session.columns(renamed, bound, types));
      } catch (error) {
        throw new IndicatorFileError(indicator.file, `the query does not run: ${(error as Error).message}`);
      }
      if (columns.join(',') !== INDICATOR_COLUMNS.join(','))
        throw new IndicatorFileError(
          indicator.file,
          `the query returns columns (${columns.join(', ')}); the contract is (${INDICATOR_COLUMNS.join(', ')})`,
        );
      for (const source of indicator.sources) {
        const found = await this.warehouse.all(
          `SELECT 1 FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $1`,
          [source],
        );
        if (found.length === 0)
          throw new IndicatorFileError(indicator.file, `source ${source} is not a warehouse table or view`);
      }
    }
    this.indicators = indicators;
  }

  catalogue(): IndicatorDefinition[] {
    return this.indicators;
  }

  indicator(id: string): IndicatorDefinition {
    const found = this.indicators.find((indicator) => indicator.id === id);
    if (!found) throw notFound('indicator', id);
    return found;
  }

  /** The thresholds in force: each file's defaults, overridden by what the board set. Read at every computation. */
  async thresholds(): Promise<Thresholds> {
    const thresholds: Thresholds = Object.fromEntries(
      this.indicators.map((indicator) => [
        indicator.id,
        Object.fromEntries(indicator.parameters.map((parameter) => [parameter.name, parameter.default])),
      ]),
    );
    for (const row of await this.repository.thresholds()) {
      const indicator = this.indicators.find((candidate) => candidate.id === row.indicator_id);
      const parameter = indicator?.parameters.find((candidate) => candidate.name === row.parameter);
      if (!indicator || !parameter) continue; // a setting of an indicator or parameter no longer in the catalogue
      thresholds[indicator.id][parameter.name] = parameter.type === 'integer' ? Number(row.value) : row.value;
    }
    return thresholds;
  }

  /** The board changes thresholds of one indicator (audited, before and after); they apply from the next computation. */
  async setThresholds(
    actor: Actor,
    id: string,
    values: Record<string, unknown>,
  ): Promise<Record<string, number | string>> {
    const indicator = this.indicator(id);
    const before = (await this.thresholds())[id];
    const after = { ...before };
    for (const [name, value] of Object.entries(values)) {
      const parameter = indicator.parameters.find((candidate) => candidate.name === name);
      const field = `parameters.${name}`;
      if (!parameter) throw invalidField(field, `${id} has no parameter ${name}`);
      if (parameter.type === 'integer') {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < parameter.min || value > parameter.max)
          throw invalidField(field, `${name} must be an integer from ${parameter.min} to ${parameter.max}`);
        after[name] = value;
      } else {
        if (typeof value !== 'string' || !parameter.choices.includes(value))
          throw invalidField(field, `${name} must be one of ${parameter.choices.join(', ')}`);
        after[name] = value;
      }
    }
    await this.repository.transaction(async (manager) => {
      for (const [name, value] of Object.entries(after))
        if (value !== before[name]) await this.repository.setThreshold(manager, id, name, String(value), actor.userId);
      await this.audit.record(
        { action: 'watch.thresholds.update', targetType: 'indicator', targetId: id, before, after },
        manager,
      );
    });
    return after;
  }

  /** The watch list as of a date, computed now (schools: null = every school). */
  async compute(asOf: string, schools: string[] | null): Promise<FiredIndicator[]> {
    const thresholds = await this.thresholds();
    return this.warehouse.read((session) => computeWatchList(session, this.indicators, thresholds, asOf, schools));
  }

  /** Computes and stores the current watch lists of some schools as of a date. */
  async refresh(schools: string[], asOf: string): Promise<number> {
    if (schools.length === 0) return 0;
    const thresholds = await this.thresholds();
    const { params, types } = watchListParams(this.indicators, thresholds, asOf, schools);
    return this.warehouse.transaction(async (session) => {
      await session.run(`CREATE OR REPLACE TEMP TABLE watch_new AS ${watchListSql(this.indicators)}`, params, types);
      const [{ n }] = await session.all<{ n: number }>('SELECT CAST(count(*) AS INTEGER) AS n FROM temp.watch_new');
      await session.run(
        'CREATE OR REPLACE TEMP TABLE watch_new AS SELECT school_code, student_pid, indicator_id, value, CAST(since AS DATE) AS since FROM temp.watch_new',
      );
      const storeParams: Record<string, DuckDBValue> = {
        as_of: dateValue(asOf),
        schools: listValue(schools),
        thresholds: JSON.stringify(thresholds),
      };
      for (const statement of SQL.store) {
        const named = Object.keys(storeParams).filter((name) => new RegExp(`\\$${name}\\b`).test(statement));
        await session.run(
          statement,
          Object.fromEntries(named.map((name) => [name, storeParams[name]])),
          Object.fromEntries(
            named.map((name) => [name, { as_of: DATE, schools: LIST(VARCHAR), thresholds: VARCHAR }[name]]),
          ),
        );
      }
      return n;
    });
  }

  /**
   * After a batch committed: refreshes the lists of the schools it touched, as of the last attendance day it
   * loaded (or, for a batch without attendance, the last attendance day the warehouse holds for them), never later than today.
   */
  async refreshAfterBatch(batchId: string): Promise<void> {
    const touched = await this.warehouse.all<{ school_code: string; last_day: string | null }>(SQL.touched, {
      batch: batchId,
    });
    if (touched.length === 0) return;
    const schools = touched.map((row) => row.school_code);
    const loaded = touched.map((row) => row.last_day).filter((day): day is string => day !== null);
    let asOf = loaded.sort().at(-1) ?? null;
    if (!asOf) {
      const [row] = await this.warehouse.all<{ last_day: string | null }>(
        SQL.latestDay,
        { schools: listValue(schools), today: dateValue(today()) },
        { schools: LIST(VARCHAR), today: DATE },
      );
      asOf = row?.last_day ?? null;
    }
    if (!asOf) return;
    if (asOf > today()) asOf = today();
    const flags = await this.refresh(schools, asOf);
    this.logger.log(
      `watch lists of ${schools.length} schools refreshed as of ${asOf} after batch ${batchId}: ${flags} flags`,
    );
  }

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
      const weight = new Map(this.indicators.map((indicator) => [indicator.id, indicator.urgency]));
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
      fired = await this.compute(asOf, [schoolCode]);
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
    const titles = new Map(this.indicators.map((indicator) => [indicator.id, indicator]));
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
      fired = await this.compute(asOf, null);
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
        for (const indicator of this.indicators)
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
            ...Object.fromEntries(this.indicators.map((indicator) => [indicator.id, { kind: 'count' as const }])),
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
          this.indicators.map((indicator) => [indicator.id, row[indicator.id] as number | null]),
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

  /** The board's pseudonymisation, as the ingest does it; a missing or unreadable key is a 503. */
  private boardPseudonymizer(): Pseudonymizer {
    try {
      return new Pseudonymizer(readPseudonymKey(pseudonymKeyPath(this.config)));
    } catch (error) {
      throw pseudonymKeyUnavailable((error as Error).message);
    }
  }

  /** The catalogue as the API shows it: each indicator with its thresholds in force written into its description. */
  async indicatorViews(): Promise<IndicatorView[]> {
    const thresholds = await this.thresholds();
    return this.indicators.map((indicator) => indicatorView(indicator, thresholds[indicator.id]));
  }

  async setThresholdsView(actor: Actor, id: string, values: Record<string, unknown>): Promise<IndicatorView> {
    const after = await this.setThresholds(actor, id, values);
    return indicatorView(this.indicator(id), after);
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
    const pseudonymizer = this.boardPseudonymizer();
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

  /**
   * Binds a teacher to homerooms of a school year (audited): the ones listed, or those of its OneRoster teacher
   * enrollments, found by the pseudonym of the sourcedId given (which is used for the lookup and never stored).
   */
  async setHomerooms(
    userId: string,
    input: { academicYear: number; homeroomIds?: string[]; rosterTeacherId?: string },
  ): Promise<HomeroomsView> {
    const user = await this.repository.userRole(userId);
    if (!user || user.role !== 'teacher' || !user.school_code) throw notFound('teacher', userId);
    if ((input.homeroomIds === undefined) === (input.rosterTeacherId === undefined))
      throw invalidField('homeroomIds', 'give either homeroomIds or rosterTeacherId');
    const known = await this.warehouse.all<{ homeroom_id: string }>(
      'SELECT homeroom_id FROM homerooms WHERE school_code = $1 AND academic_year = $2',
      [user.school_code, input.academicYear],
    );
    const homerooms = new Set(known.map((row) => row.homeroom_id));
    let chosen: string[];
    let source: 'board' | 'oneroster';
    if (input.rosterTeacherId !== undefined) {
      const pseudonym = this.boardPseudonymizer().pseudonym(input.rosterTeacherId);
      const rows = await this.warehouse.all<{ class_id: string }>(
        `SELECT DISTINCT class_id FROM roster_enrollments WHERE user_pid = $1 AND role = 'teacher' AND status = 'active' ORDER BY 1`,
        [pseudonym],
      );
      chosen = rows.map((row) => row.class_id).filter((id) => homerooms.has(id));
      source = 'oneroster';
    } else {
      chosen = [...new Set(input.homeroomIds)].sort();
      const unknown = chosen.filter((id) => !homerooms.has(id));
      if (unknown.length > 0)
        throw invalidField(
          'homeroomIds',
          `not homerooms of ${user.school_code} in ${input.academicYear}: ${unknown.join(', ')}`,
        );
      source = 'board';
    }
    await this.repository.transaction(async (manager) => {
      await this.repository.setHomerooms(manager, userId, input.academicYear, chosen, source);
      await this.audit.record(
        {
          action: 'watch.homerooms.set',
          targetType: 'user',
          targetId: userId,
          after: { academicYear: input.academicYear, homeroomIds: chosen, source },
        },
        manager,
      );
    });
    return { userId, academicYear: input.academicYear, homeroomIds: chosen, source };
  }
}

function indicatorView(indicator: IndicatorDefinition, values: Record<string, number | string>): IndicatorView {
  return {
    id: indicator.id,
    title: indicator.title,
    description: { ja: describe(indicator, values, 'ja'), en: describe(indicator, values, 'en') },
    unit: indicator.unit,
    sources: indicator.sources,
    parameters: indicator.parameters.map((parameter) => ({ ...parameter, value: values[parameter.name] })),
    urgency: indicator.urgency,
    flags: indicator.flags,
  };
}

/** The Mondays of the `count` weeks up to and including the week of `asOf`. */
export function trendWeeks(asOf: string, count: number): string[] {
  const day = new Date(`${asOf}T00:00:00Z`);
  const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
  return Array.from({ length: count }, (_, k) =>
    new Date(monday.getTime() - (count - 1 - k) * 7 * 86_400_000).toISOString().slice(0, 10),
  );
}
