import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each reminder mailed to a school that has not submitted a survey (issue 16): sent on demand by the
 * board, or on its own some days before the deadline and once it has passed. The automatic kinds go
 * once per school and survey (the partial unique index); the board may remind as often as it likes.
 * Recipients are counted, never listed: an address is a person's.
 */
export class SurveyReminders1764810600000 implements MigrationInterface {
  name = 'SurveyReminders1764810600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE survey_reminders (
        id uuid PRIMARY KEY,
        survey_id uuid NOT NULL REFERENCES surveys(id),
        response_id uuid NOT NULL REFERENCES survey_responses(id),
        school_code text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('manual', 'before_deadline', 'overdue')),
        recipients integer NOT NULL CHECK (recipients >= 0),
        sent_at timestamptz NOT NULL,
        sent_by text
      )`);
    await queryRunner.query(`CREATE INDEX survey_reminders_survey ON survey_reminders (survey_id, sent_at)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX survey_reminders_automatic ON survey_reminders (survey_id, school_code, kind) WHERE kind <> 'manual'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE survey_reminders`);
  }
}
