import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OpenCase } from './dashboards.types.js';

/** The control plane's side of the dashboards: support cases of a school, or of some of its students. */
@Injectable()
export class DashboardsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Cases by status (closed ones too), of a school or of the students given (null = all of the school's). */
  async caseCounts(schoolCode: string, students: string[] | null): Promise<Record<string, number>> {
    const rows: { status: string; n: string }[] = await this.dataSource.query(
      `SELECT status, count(*) AS n FROM support_cases
       WHERE school_code = $1 AND ($2::text[] IS NULL OR student_pid = ANY($2::text[]))
       GROUP BY status ORDER BY status`,
      [schoolCode, students],
    );
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  }

  /** The open cases, the nearest review date first (none last). */
  async openCases(schoolCode: string, students: string[] | null, limit: number): Promise<OpenCase[]> {
    const rows: {
      id: string;
      student_pid: string;
      status: string;
      responsible: string | null;
      next_review_on: string | null;
    }[] = await this.dataSource.query(
      `SELECT id, student_pid, status, responsible, to_char(next_review_on, 'YYYY-MM-DD') AS next_review_on
       FROM support_cases
       WHERE school_code = $1 AND status <> 'closed' AND ($2::text[] IS NULL OR student_pid = ANY($2::text[]))
       ORDER BY next_review_on NULLS LAST, opened_at, id
       LIMIT $3`,
      [schoolCode, students, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      student: row.student_pid,
      status: row.status,
      responsible: row.responsible,
      nextReviewOn: row.next_review_on,
    }));
  }
}
