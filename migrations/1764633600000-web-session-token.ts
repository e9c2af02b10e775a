import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A web session knows the API token it was made with, so revoking the token (or disabling the user)
 * ends the sessions too. Sessions made before this migration do not know their token: they end here,
 * and their users sign in again.
 */
export class WebSessionToken1764633600000 implements MigrationInterface {
  name = 'WebSessionToken1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM web_sessions`);
    await queryRunner.query(`ALTER TABLE web_sessions ADD COLUMN token_id uuid NOT NULL REFERENCES api_tokens(id)`);
    await queryRunner.query(`CREATE INDEX web_sessions_token_id ON web_sessions (token_id)`);
    await queryRunner.query(`CREATE INDEX web_sessions_user_id ON web_sessions (user_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX web_sessions_user_id`);
    await queryRunner.query(`ALTER TABLE web_sessions DROP COLUMN token_id`);
  }
}
