import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Surveys (調査) a board issues, one response per target school, and the answers: pre-filled from
 * the metric catalogue with provenance, confirmed or changed (with a reason) by the school, or typed.
 */
export class Surveys1764374400000 implements MigrationInterface {
  name = 'Surveys1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE surveys (
        id              uuid PRIMARY KEY,
        title           jsonb NOT NULL,
        description     jsonb NOT NULL,
        academic_year   integer NOT NULL,
        as_of_date      date NOT NULL,
        deadline        date NOT NULL,
        targets         jsonb NOT NULL,
        status          text NOT NULL CHECK (status IN ('draft', 'issued', 'closed')),
        warnings        jsonb NOT NULL DEFAULT '[]',
        created_by      text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        issued_at       timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE survey_questions (
        id              uuid PRIMARY KEY,
        survey_id       uuid NOT NULL REFERENCES surveys(id),
        position        integer NOT NULL,
        code            text NOT NULL,
        text            jsonb NOT NULL,
        type            text NOT NULL CHECK (type IN ('integer', 'number', 'choice', 'text', 'grid')),
        choices         jsonb,
        grid_dims       jsonb,
        binding         jsonb,
        rules           jsonb NOT NULL DEFAULT '[]',
        required        boolean NOT NULL DEFAULT true,
        UNIQUE (survey_id, code),
        UNIQUE (survey_id, position)
      )`);
    await queryRunner.query(`
      CREATE TABLE survey_responses (
        id              uuid PRIMARY KEY,
        survey_id       uuid NOT NULL REFERENCES surveys(id),
        school_code     text NOT NULL,
        school_name     text NOT NULL,
        status          text NOT NULL CHECK (status IN ('not_opened', 'in_progress', 'submitted', 'returned')),
        opened_at       timestamptz,
        submitted_at    timestamptz,
        submitted_by    text,
        return_reason   text,
        version         integer NOT NULL DEFAULT 1,
        UNIQUE (survey_id, school_code)
      )`);
    await queryRunner.query(`CREATE INDEX survey_responses_school ON survey_responses (school_code)`);
    await queryRunner.query(`
      CREATE TABLE survey_answers (
        id                 uuid PRIMARY KEY,
        response_id        uuid NOT NULL REFERENCES survey_responses(id),
        question_id        uuid NOT NULL REFERENCES survey_questions(id),
        value              jsonb,
        source             text NOT NULL CHECK (source IN ('prefilled', 'changed', 'manual')),
        prefilled_value    jsonb,
        last_year_value    jsonb,
        provenance         jsonb,
        confirmed_at       timestamptz,
        confirmed_prefill  jsonb,
        change_reason      text,
        explanations       jsonb NOT NULL DEFAULT '{}',
        updated_by         text,
        updated_at         timestamptz NOT NULL DEFAULT now(),
        version            integer NOT NULL DEFAULT 1,
        UNIQUE (response_id, question_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE survey_answers`);
    await queryRunner.query(`DROP TABLE survey_responses`);
    await queryRunner.query(`DROP TABLE survey_questions`);
    await queryRunner.query(`DROP TABLE surveys`);
  }
}
