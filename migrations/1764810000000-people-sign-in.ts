import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People sign in with their organisation's account (OpenID Connect) or a local password, not only by
 * pasting an API token (issue 16). A user gets an e-mail address (a school user's is where reminders
 * go), a display name, the identity-provider account linked to it (the value of the configured claim:
 * e-mail or subject) and an argon2id password hash; a web session made by such a sign-in has no token,
 * and says how it was made.
 */
export class PeopleSignIn1764810000000 implements MigrationInterface {
  name = 'PeopleSignIn1764810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN email text`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN display_name text`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN idp_account text`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN password_hash text`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_idp_account ON users (idp_account)`);
    await queryRunner.query(`CREATE INDEX users_email ON users (lower(email))`);
    await queryRunner.query(`ALTER TABLE web_sessions ALTER COLUMN token_id DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE web_sessions ADD COLUMN method text NOT NULL DEFAULT 'token' CHECK (method IN ('token', 'password', 'oidc'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM web_sessions WHERE token_id IS NULL`);
    await queryRunner.query(`ALTER TABLE web_sessions DROP COLUMN method`);
    await queryRunner.query(`ALTER TABLE web_sessions ALTER COLUMN token_id SET NOT NULL`);
    await queryRunner.query(`DROP INDEX users_email`);
    await queryRunner.query(`DROP INDEX users_idp_account`);
    for (const column of ['password_hash', 'idp_account', 'display_name', 'email'])
      await queryRunner.query(`ALTER TABLE users DROP COLUMN ${column}`);
  }
}
