import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Control plane, first schema: users and their tokens, web sessions, the append-only audit log.
 * Written by hand; SQL that PostgreSQL 15 and PGlite (PostgreSQL 17+) both accept.
 */
export class ControlPlaneInit1764201600000 implements MigrationInterface {
  name = 'ControlPlaneInit1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id           uuid PRIMARY KEY,
        name         text NOT NULL UNIQUE,
        role         text NOT NULL CHECK (role IN ('board_admin', 'analyst', 'school')),
        school_code  text CHECK (school_code ~ '^[A-H][0-9]{12}$'),
        created_at   timestamptz NOT NULL DEFAULT now(),
        disabled_at  timestamptz,
        CONSTRAINT users_school_role CHECK ((role = 'school') = (school_code IS NOT NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE api_tokens (
        id            uuid PRIMARY KEY,
        user_id       uuid NOT NULL REFERENCES users(id),
        token_hash    text NOT NULL UNIQUE,
        token_prefix  text NOT NULL,
        label         text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_used_at  timestamptz,
        revoked_at    timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX api_tokens_user_id ON api_tokens (user_id)`);
    await queryRunner.query(`
      CREATE TABLE web_sessions (
        id            uuid PRIMARY KEY,
        user_id       uuid NOT NULL REFERENCES users(id),
        session_hash  text NOT NULL UNIQUE,
        created_at    timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE audit_events (
        id                 bigserial PRIMARY KEY,
        at                 timestamptz NOT NULL DEFAULT now(),
        actor_user_id      uuid,
        actor_role         text,
        actor_school_code  text,
        action             text NOT NULL,
        target_type        text,
        target_id          text,
        before             jsonb,
        after              jsonb,
        reason             text,
        request_id         text
      )`);
    await queryRunner.query(`CREATE INDEX audit_events_target ON audit_events (target_type, target_id)`);
    await queryRunner.query(`CREATE INDEX audit_events_at ON audit_events (at)`);
    // Append-only: the log is evidence, so no role the application uses may rewrite it.
    await queryRunner.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_rewrite BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
    await queryRunner.query(`DROP TABLE web_sessions`);
    await queryRunner.query(`DROP TABLE api_tokens`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
