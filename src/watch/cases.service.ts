import { INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { forbiddenRole, forbiddenSchool } from '../auth/auth.errors.js';
import { assertSchoolAccess } from '../auth/school-scope.js';
import { invalidField, notFound } from '../common/common.errors.js';
import { pageOf, type Page, type PageRequest } from '../common/page.js';
import type { Actor } from '../common/request-context.js';
import { Warehouse } from '../warehouse/warehouse.js';
import {
  CASE_AGENCIES,
  CASE_RESPONSIBLE,
  CASE_STATUSES,
  CasesRepository,
  type CaseRow,
  type CaseStatus,
} from './cases.repository.js';
import { checkAsOf } from './watch.service.js';
import { WatchRepository } from './watch.repository.js';

export interface CaseView {
  id: string;
  schoolCode: string;
  student: string;
  academicYear: number;
  status: CaseStatus;
  responsible: string | null;
  openedFrom: string[];
  nextReviewOn: string | null;
  openedAt: string;
  closedAt: string | null;
  version: number;
}

export interface CaseDetailView extends CaseView {
  referrals: { agency: string; referredOn: string }[];
  notes: { id: string; body: string; author: string | null; createdAt: string }[];
}

export interface CaseChange {
  status?: CaseStatus;
  responsible?: string | null;
  nextReviewOn?: string | null;
}

const view = (row: CaseRow): CaseView => ({
  id: row.id,
  schoolCode: row.school_code,
  student: row.student_pid,
  academicYear: row.academic_year,
  status: row.status,
  responsible: row.responsible,
  openedFrom: row.opened_from,
  nextReviewOn: row.next_review_on,
  openedAt: new Date(row.opened_at).toISOString(),
  closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
  version: row.version,
});

/**
 * Support cases (見守りケース), opened by a school from a flag on its watch list and followed to the end:
 * status new → assessing → supporting → monitoring → closed, who is responsible, referrals to agencies, the
 * next review date, notes. Cases are the school's: its users and the teachers of the student's homeroom act
 * on them and read the notes (every read and change audited); the board sees counts per school, analysts nothing.
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly repository: CasesRepository,
    private readonly homerooms: WatchRepository,
    private readonly audit: AuditService,
    @Inject(Warehouse) private readonly warehouse: Warehouse,
  ) {}

  /** A school user of the school, or a teacher of the student's homeroom that year. */
  private async assertMayAct(actor: Actor, schoolCode: string, student: string, academicYear: number): Promise<void> {
    if (actor.role !== 'school' && actor.role !== 'teacher') throw forbiddenRole(['school', 'teacher']);
    assertSchoolAccess(actor, schoolCode);
    if (actor.role !== 'teacher') return;
    const mine = await this.homerooms.homeroomsOf(actor.userId ?? '', academicYear);
    const [row] = await this.warehouse.all<{ homeroom_id: string | null }>(
      'SELECT homeroom_id FROM enrolments WHERE student_pid = $1 AND school_code = $2 AND academic_year = $3',
      [student, schoolCode, academicYear],
    );
    if (!row?.homeroom_id || !mine.includes(row.homeroom_id))
      throw forbiddenSchool(schoolCode, 'the student is not in a homeroom bound to this teacher');
  }

  private async caseFor(actor: Actor, id: string): Promise<CaseRow> {
    const row = await this.repository.find(id);
    if (!row) throw notFound('case', id);
    await this.assertMayAct(actor, row.school_code, row.student_pid, row.academic_year);
    return row;
  }

  async open(
    actor: Actor,
    input: {
      schoolCode: string;
      student: string;
      academicYear: number;
      openedFrom?: string[];
      responsible?: string;
      nextReviewOn?: string;
    },
  ): Promise<CaseView> {
    await this.assertMayAct(actor, input.schoolCode, input.student, input.academicYear);
    const [enrolled] = await this.warehouse.all(
      'SELECT 1 FROM enrolments WHERE student_pid = $1 AND school_code = $2 AND academic_year = $3',
      [input.student, input.schoolCode, input.academicYear],
    );
    if (!enrolled) throw invalidField('student', `no such student of ${input.schoolCode} in ${input.academicYear}`);
    const existing = await this.repository.openFor(input.schoolCode, input.student);
    if (existing) return view(existing);
    this.checkResponsible(input.responsible);
    if (input.nextReviewOn) checkAsOf(input.nextReviewOn);
    const id = randomUUID();
    await this.repository.transaction(async (manager) => {
      await this.repository.insert(
        manager,
        {
          id,
          school_code: input.schoolCode,
          student_pid: input.student,
          academic_year: input.academicYear,
          status: 'new',
          responsible: input.responsible ?? null,
          opened_from: input.openedFrom ?? [],
          next_review_on: input.nextReviewOn ?? null,
        },
        actor.userId,
      );
      await this.audit.record(
        {
          action: 'case.open',
          targetType: 'support_case',
          targetId: id,
          after: { schoolCode: input.schoolCode, openedFrom: input.openedFrom ?? [] },
        },
        manager,
      );
    });
    return view((await this.repository.find(id))!);
  }

  private checkResponsible(responsible: string | null | undefined): void {
    if (responsible && !(CASE_RESPONSIBLE as readonly string[]).includes(responsible))
      throw invalidField('responsible', `responsible must be one of ${CASE_RESPONSIBLE.join(', ')}`);
  }

  /** Status, who is responsible, the next review date; a closed case stays closed. */
  async update(actor: Actor, id: string, change: CaseChange): Promise<CaseDetailView> {
    const current = await this.caseFor(actor, id);
    if (change.status !== undefined && !(CASE_STATUSES as readonly string[]).includes(change.status))
      throw invalidField('status', `status must be one of ${CASE_STATUSES.join(', ')}`);
    if (current.status === 'closed') throw invalidField('status', 'the case is closed');
    this.checkResponsible(change.responsible);
    if (change.nextReviewOn) checkAsOf(change.nextReviewOn);
    const after = {
      status: change.status ?? current.status,
      responsible: change.responsible === undefined ? current.responsible : change.responsible,
      next_review_on: change.nextReviewOn === undefined ? current.next_review_on : change.nextReviewOn,
    };
    await this.repository.transaction(async (manager) => {
      await this.repository.find(id, manager, true);
      await this.repository.update(manager, id, after);
      await this.audit.record(
        {
          action: 'case.update',
          targetType: 'support_case',
          targetId: id,
          before: { status: current.status, responsible: current.responsible, nextReviewOn: current.next_review_on },
          after: { status: after.status, responsible: after.responsible, nextReviewOn: after.next_review_on },
        },
        manager,
      );
    });
    return this.get(actor, id, false);
  }

  async refer(actor: Actor, id: string, agency: string, referredOn: string): Promise<CaseDetailView> {
    const current = await this.caseFor(actor, id);
    if (!(CASE_AGENCIES as readonly string[]).includes(agency))
      throw invalidField('agency', `agency must be one of ${CASE_AGENCIES.join(', ')}`);
    checkAsOf(referredOn);
    if (current.status === 'closed') throw invalidField('status', 'the case is closed');
    await this.repository.transaction(async (manager) => {
      await this.repository.refer(manager, id, agency, referredOn);
      await this.audit.record(
        { action: 'case.refer', targetType: 'support_case', targetId: id, after: { agency, referredOn } },
        manager,
      );
    });
    return this.get(actor, id, false);
  }

  /** A note: the school's own words, read by the school only; the audit row says a note was written, not what. */
  async note(actor: Actor, id: string, body: string): Promise<CaseDetailView> {
    await this.caseFor(actor, id);
    const text = body.trim();
    if (!text || text.length > 2000) throw invalidField('body', 'a note of 1 to 2,000 characters');
    await this.repository.transaction(async (manager) => {
      await this.repository.note(manager, id, text, actor.userId);
      await this.audit.record(
        { action: 'case.note', targetType: 'support_case', targetId: id, after: { characters: text.length } },
        manager,
      );
    });
    return this.get(actor, id, false);
  }

  /** A case with its referrals and notes (audited as a view). */
  async get(actor: Actor, id: string, audited = true): Promise<CaseDetailView> {
    const row = await this.caseFor(actor, id);
    const [referrals, notes] = await Promise.all([this.repository.referrals(id), this.repository.notes(id)]);
    if (audited) await this.audit.record({ action: 'case.view', targetType: 'support_case', targetId: id });
    return {
      ...view(row),
      referrals: referrals.map((r) => ({ agency: r.agency, referredOn: r.referred_on })),
      notes: notes.map((n) => ({
        id: String(n.id),
        body: n.body,
        author: n.author,
        createdAt: new Date(n.created_at).toISOString(),
      })),
    };
  }

  /** A school's cases, open first (a teacher: its homerooms' students), a page at a time; audited. */
  async list(actor: Actor, schoolCode: string, page: PageRequest, academicYear?: number): Promise<Page<CaseView>> {
    if (actor.role !== 'school' && actor.role !== 'teacher') throw forbiddenRole(['school', 'teacher']);
    assertSchoolAccess(actor, schoolCode);
    let students: string[] | undefined;
    if (actor.role === 'teacher') {
      const year = academicYear ?? new Date().getFullYear() - (new Date().getMonth() < 3 ? 1 : 0);
      const mine = await this.homerooms.homeroomsOf(actor.userId ?? '', year);
      const rows = await this.warehouse.all<{ student_pid: string }>(
        'SELECT student_pid FROM enrolments WHERE school_code = $1 AND academic_year = $2 AND list_contains($3::VARCHAR[], homeroom_id)',
        [schoolCode, year, listValue(mine)],
        [VARCHAR, INTEGER, LIST(VARCHAR)],
      );
      students = rows.map((row) => row.student_pid);
    }
    const { rows, total } = await this.repository.list(schoolCode, page.limit, page.offset, students);
    await this.audit.record({
      action: 'case.list.view',
      targetType: 'school',
      targetId: schoolCode,
      after: { cases: total },
    });
    return pageOf(rows.map(view), total, page);
  }

  /** The board's counts: cases per school by status, referrals per school by agency (exact: an administrative channel, audited). */
  async counts(actor: Actor): Promise<{
    schools: { schoolCode: string; byStatus: Record<string, number>; byReferral: Record<string, number> }[];
  }> {
    if (actor.role !== 'board_admin' && actor.role !== 'cli') throw forbiddenRole(['board_admin']);
    const { byStatus, byAgency } = await this.repository.counts();
    const schools = new Map<string, { byStatus: Record<string, number>; byReferral: Record<string, number> }>();
    const entry = (code: string) => {
      if (!schools.has(code))
        schools.set(code, {
          byStatus: Object.fromEntries(CASE_STATUSES.map((s) => [s, 0])),
          byReferral: Object.fromEntries(CASE_AGENCIES.map((a) => [a, 0])),
        });
      return schools.get(code)!;
    };
    for (const row of byStatus) entry(row.school_code).byStatus[row.status] = Number(row.n);
    for (const row of byAgency) entry(row.school_code).byReferral[row.agency] = Number(row.n);
    await this.audit.record({
      action: 'case.counts.view',
      targetType: 'watch',
      targetId: 'cases',
      after: { schools: schools.size },
    });
    return {
      schools: [...schools]
        .map(([schoolCode, counts]) => ({ schoolCode, ...counts }))
        .sort((a, b) => a.schoolCode.localeCompare(b.schoolCode)),
    };
  }
}
