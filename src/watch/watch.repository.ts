import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface ThresholdRow {
  indicator_id: string;
  parameter: string;
  value: string;
}

/** The control plane's side of the watch lists: the board's thresholds and the teachers' homerooms. */
@Injectable()
export class WatchRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  thresholds(): Promise<ThresholdRow[]> {
    return this.dataSource.query(`SELECT indicator_id, parameter, value FROM watch_thresholds ORDER BY 1, 2`);
  }

  async setThreshold(
    manager: EntityManager,
    indicatorId: string,
    parameter: string,
    value: string,
    userId: string | null,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO watch_thresholds (indicator_id, parameter, value, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (indicator_id, parameter) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = now()`,
      [indicatorId, parameter, value, userId],
    );
  }

  async homeroomsOf(userId: string, academicYear: number): Promise<string[]> {
    const rows: { homeroom_id: string }[] = await this.dataSource.query(
      `SELECT homeroom_id FROM teacher_homerooms WHERE user_id = $1 AND academic_year = $2 ORDER BY 1`,
      [userId, academicYear],
    );
    return rows.map((row) => row.homeroom_id);
  }

  /** Replaces a teacher's homerooms of one school year (from one source: the board's assignment or the roster). */
  async setHomerooms(
    manager: EntityManager,
    userId: string,
    academicYear: number,
    homerooms: string[],
    source: 'board' | 'oneroster',
  ): Promise<void> {
    await manager.query(`DELETE FROM teacher_homerooms WHERE user_id = $1 AND academic_year = $2`, [
      userId,
      academicYear,
    ]);
    for (const homeroom of homerooms)
      await manager.query(
        `INSERT INTO teacher_homerooms (user_id, academic_year, homeroom_id, source) VALUES ($1, $2, $3, $4)`,
        [userId, academicYear, homeroom, source],
      );
  }

  async userRole(userId: string): Promise<{ role: string; school_code: string | null } | undefined> {
    const rows: { role: string; school_code: string | null }[] = await this.dataSource.query(
      `SELECT role, school_code FROM users WHERE id = $1`,
      [userId],
    );
    return rows[0];
  }
}
