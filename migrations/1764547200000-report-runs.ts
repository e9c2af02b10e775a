import type { MigrationInterface, QueryRunner } from 'typeorm';

/** "Every school" report batches: status and progress; the zip of PDFs is kept in the reports folder. */
export class ReportRuns1764547200000 implements MigrationInterface {
  name = 'ReportRuns1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE report_runs (
        id              uuid PRIMARY KEY,
        template_id     text NOT NULL,
        params          jsonb NOT NULL,
        locale          text NOT NULL CHECK (locale IN ('ja', 'en')),
        status          text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        total           integer NOT NULL,
        rendered        integer NOT NULL DEFAULT 0,
        failures        jsonb NOT NULL DEFAULT '[]',
        file_name       text,
        created_by      text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        finished_at     timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE report_runs');
  }
}
