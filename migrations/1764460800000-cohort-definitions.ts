import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Saved cohort definitions: a name and numbered versions, so that a report can cite exactly what it
 * ran (name, version and the SHA-256 of the definition's canonical JSON). Versions are never edited.
 */
export class CohortDefinitions1764460800000 implements MigrationInterface {
  name = 'CohortDefinitions1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE cohort_definitions (
        id              uuid PRIMARY KEY,
        name            text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,79}$'),
        version         integer NOT NULL CHECK (version >= 1),
        description     text,
        definition      jsonb NOT NULL,
        definition_hash text NOT NULL,
        created_by      text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (name, version)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE cohort_definitions');
  }
}
