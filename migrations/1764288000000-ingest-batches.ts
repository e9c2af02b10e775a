import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Ingest batches and their files: what was loaded, by whom, from which file (sha256), with what result. */
export class IngestBatches1764288000000 implements MigrationInterface {
  name = 'IngestBatches1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ingest_batches (
        id              uuid PRIMARY KEY,
        created_at      timestamptz NOT NULL DEFAULT now(),
        finished_at     timestamptz,
        actor_user_id   uuid,
        actor_name      text NOT NULL,
        status          text NOT NULL CHECK (status IN ('running', 'loaded', 'partial', 'rejected', 'noop', 'failed', 'interrupted')),
        options         jsonb NOT NULL,
        rows_read       bigint NOT NULL DEFAULT 0,
        rows_loaded     bigint NOT NULL DEFAULT 0,
        rows_rejected   bigint NOT NULL DEFAULT 0,
        errors          bigint NOT NULL DEFAULT 0,
        warnings        bigint NOT NULL DEFAULT 0,
        report          jsonb
      )`);
    await queryRunner.query(`CREATE INDEX ingest_batches_created_at ON ingest_batches (created_at)`);
    await queryRunner.query(`
      CREATE TABLE ingest_files (
        batch_id        uuid NOT NULL REFERENCES ingest_batches(id),
        name            text NOT NULL,
        feed            text NOT NULL,
        sha256          text NOT NULL,
        bytes           bigint NOT NULL,
        status          text NOT NULL CHECK (status IN ('pending', 'loaded', 'skipped', 'rejected')),
        PRIMARY KEY (batch_id, name)
      )`);
    await queryRunner.query(`CREATE INDEX ingest_files_sha256 ON ingest_files (sha256)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ingest_files`);
    await queryRunner.query(`DROP TABLE ingest_batches`);
  }
}
