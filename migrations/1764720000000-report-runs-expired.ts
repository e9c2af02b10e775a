import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An every-school run whose zip was removed after SHIRUBE_REPORTS_RETENTION_DAYS is 'expired' (its zip answers 410). */
export class ReportRunsExpired1764720000000 implements MigrationInterface {
  name = 'ReportRunsExpired1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE report_runs DROP CONSTRAINT report_runs_status_check`);
    await queryRunner.query(
      `ALTER TABLE report_runs ADD CONSTRAINT report_runs_status_check CHECK (status IN ('running', 'done', 'failed', 'expired'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE report_runs SET status = 'failed' WHERE status = 'expired'`);
    await queryRunner.query(`ALTER TABLE report_runs DROP CONSTRAINT report_runs_status_check`);
    await queryRunner.query(
      `ALTER TABLE report_runs ADD CONSTRAINT report_runs_status_check CHECK (status IN ('running', 'done', 'failed'))`,
    );
  }
}
