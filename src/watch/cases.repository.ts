import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export const CASE_STATUSES = ['new', 'assessing', 'supporting', 'monitoring', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** 担任, 養護教諭, SC, SSW, 管理職. */
export const CASE_RESPONSIBLE = [
  'homeroom_teacher',
  'school_nurse',
  'school_counselor',
  'school_social_worker',
  'management',
] as const;
/** 教育支援センター, SC, SSW, 児童相談所, 福祉部局, 医療機関, その他. */
export const CASE_AGENCIES = [
  'support_centre',
  'school_counselor',
  'school_social_worker',
  'child_guidance_centre',
  'welfare',
  'medical',
  'other',
] as const;

export interface CaseRow {
  id: string;
  school_code: string;
  student_pid: string;
  academic_year: number;
  status: CaseStatus;
  responsible: string | null;
  opened_from: string[];
  next_review_on: string | null;
  reminded_for: string | null;
  opened_at: Date;
  closed_at: Date | null;
  version: number;
}

const COLUMNS = `id, school_code, student_pid, academic_year, status, responsible, opened_from,
  to_char(next_review_on, 'YYYY-MM-DD') AS next_review_on, to_char(reminded_for, 'YYYY-MM-DD') AS reminded_for,
  opened_at, closed_at, version`;

/** Support cases (見守りケース) in the control plane: the only place that writes their SQL. */
@Injectable()
export class CasesRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(
    manager: EntityManager,
    row: Omit<CaseRow, 'opened_at' | 'closed_at' | 'version' | 'reminded_for'>,
    userId: string | null,
  ) {
    await manager.query(
      `INSERT INTO support_cases (id, school_code, student_pid, academic_year, status, responsible, opened_from, next_review_on, opened_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.id,
        row.school_code,
        row.student_pid,
        row.academic_year,
        row.status,
        row.responsible,
        row.opened_from,
        row.next_review_on,
        userId,
      ],
    );
  }

  async find(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<CaseRow | undefined> {
    const rows: CaseRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM support_cases WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0];
  }

  async openFor(schoolCode: string, student: string): Promise<CaseRow | undefined> {
    const rows: CaseRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM support_cases WHERE school_code = $1 AND student_pid = $2 AND status <> 'closed'`,
      [schoolCode, student],
    );
    return rows[0];
  }

  async update(
    manager: EntityManager,
    id: string,
    change: { status: CaseStatus; responsible: string | null; next_review_on: string | null },
  ): Promise<void> {
    await manager.query(
      `UPDATE support_cases SET status = $2, responsible = $3, next_review_on = $4, version = version + 1,
         closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE NULL END
       WHERE id = $1`,
      [id, change.status, change.responsible, change.next_review_on],
    );
  }

  async refer(manager: EntityManager, id: string, agency: string, referredOn: string): Promise<void> {
    await manager.query(
      `INSERT INTO support_case_referrals (case_id, agency, referred_on) VALUES ($1, $2, $3)
       ON CONFLICT (case_id, agency) DO UPDATE SET referred_on = excluded.referred_on`,
      [id, agency, referredOn],
    );
    await manager.query(`UPDATE support_cases SET version = version + 1 WHERE id = $1`, [id]);
  }

  async note(manager: EntityManager, id: string, body: string, userId: string | null): Promise<void> {
    await manager.query(`INSERT INTO support_case_notes (case_id, body, author_user_id) VALUES ($1, $2, $3)`, [
      id,
      body,
      userId,
    ]);
    await manager.query(`UPDATE support_cases SET version = version + 1 WHERE id = $1`, [id]);
  }

  referrals(id: string): Promise<{ agency: string; referred_on: string }[]> {
    return this.dataSource.query(
      `SELECT agency, to_char(referred_on, 'YYYY-MM-DD') AS referred_on FROM support_case_referrals WHERE case_id = $1 ORDER BY referred_on, agency`,
      [id],
    );
  }

  notes(id: string): Promise<{ id: string; body: string; created_at: Date; author: string | null }[]> {
    return this.dataSource.query(
      `SELECT n.id, n.body, n.created_at, u.name AS author FROM support_case_notes n LEFT JOIN users u ON u.id = n.author_user_id
       WHERE n.case_id = $1 ORDER BY n.id`,
      [id],
    );
  }

  async list(
    schoolCode: string,
    limit: number,
    offset: number,
    students?: string[],
  ): Promise<{ rows: CaseRow[]; total: number }> {
    const filter = students ? ' AND student_pid = ANY($4)' : '';
    const params: unknown[] = [schoolCode, limit, offset, ...(students ? [students] : [])];
    const rows: CaseRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM support_cases WHERE school_code = $1${filter} ORDER BY (status = 'closed'), opened_at DESC, id LIMIT $2 OFFSET $3`,
      params,
    );
    const [{ total }]: { total: string }[] = await this.dataSource.query(
      `SELECT count(*) AS total FROM support_cases WHERE school_code = $1${students ? ' AND student_pid = ANY($2)' : ''}`,
      students ? [schoolCode, students] : [schoolCode],
    );
    return { rows, total: Number(total) };
  }

  /** Cases per school by status, and referrals per school by agency: the board's counts. */
  async counts(): Promise<{
    byStatus: { school_code: string; status: string; n: string }[];
    byAgency: { school_code: string; agency: string; n: string }[];
  }> {
    const byStatus: { school_code: string; status: string; n: string }[] = await this.dataSource.query(
      `SELECT school_code, status, count(*) AS n FROM support_cases GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const byAgency: { school_code: string; agency: string; n: string }[] = await this.dataSource.query(
      `SELECT c.school_code, r.agency, count(*) AS n FROM support_case_referrals r JOIN support_cases c ON c.id = r.case_id GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    return { byStatus, byAgency };
  }

  /** Open cases whose review date has come and for which no reminder went out for that date. */
  dueReminders(today: string): Promise<CaseRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM support_cases
       WHERE status <> 'closed' AND next_review_on <= $1 AND (reminded_for IS NULL OR reminded_for <> next_review_on)
       ORDER BY next_review_on, id`,
      [today],
    );
  }

  async markReminded(id: string, reviewOn: string): Promise<void> {
    await this.dataSource.query(`UPDATE support_cases SET reminded_for = $2 WHERE id = $1`, [id, reviewOn]);
  }

  /**
   * Opened cases for cohort queries: the student's pseudonym, school, school year and the day (Japan time) the
   * case was opened, nothing else (no note, no responsible person, no case id). Empty filters mean every case.
   */
  interventions(filter: {
    statuses: string[];
    agencies: string[];
  }): Promise<{ student_pid: string; school_code: string; academic_year: number; opened_on: string }[]> {
    return this.dataSource.query(
      `SELECT c.student_pid, c.school_code, c.academic_year,
              to_char(c.opened_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD') AS opened_on
       FROM support_cases c
       WHERE (cardinality($1::text[]) = 0 OR c.status = ANY($1::text[]))
         AND (cardinality($2::text[]) = 0
              OR EXISTS (SELECT 1 FROM support_case_referrals r WHERE r.case_id = c.id AND r.agency = ANY($2::text[])))
       ORDER BY 1, 4`,
      [filter.statuses, filter.agencies],
    );
  }
}
