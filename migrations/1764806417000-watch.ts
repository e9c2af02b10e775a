import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Early warning (issue 17): the `teacher` role (bound to a school, and within it to homerooms), the thresholds
 * the board sets for the indicators of queries/indicators, and support cases (見守りケース) with their
 * referrals and notes. Students appear only by pseudonym (64 hex digits): no raw ID or name is stored.
 */
export class Watch1764806417000 implements MigrationInterface {
  name = 'Watch1764806417000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_role_check`);
    await queryRunner.query(
      `ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('board_admin', 'analyst', 'school', 'teacher'))`,
    );
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_school_role`);
    await queryRunner.query(
      `ALTER TABLE users ADD CONSTRAINT users_school_role CHECK ((role IN ('school', 'teacher')) = (school_code IS NOT NULL))`,
    );
    await queryRunner.query(`
      CREATE TABLE teacher_homerooms (
        user_id        uuid NOT NULL REFERENCES users (id),
        academic_year  integer NOT NULL,
        homeroom_id    text NOT NULL,
        source         text NOT NULL CHECK (source IN ('board', 'oneroster')),
        assigned_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, academic_year, homeroom_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE watch_thresholds (
        indicator_id   text NOT NULL,
        parameter      text NOT NULL,
        value          text NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        updated_by     uuid REFERENCES users (id),
        PRIMARY KEY (indicator_id, parameter)
      )`);
    await queryRunner.query(`
      CREATE TABLE support_cases (
        id              uuid PRIMARY KEY,
        school_code     text NOT NULL,
        student_pid     text NOT NULL CHECK (student_pid ~ '^[0-9a-f]{64}$'),
        academic_year   integer NOT NULL,
        status          text NOT NULL CHECK (status IN ('new', 'assessing', 'supporting', 'monitoring', 'closed')),
        responsible     text CHECK (responsible IN ('homeroom_teacher', 'school_nurse', 'school_counselor', 'school_social_worker', 'management')),
        opened_from     text[] NOT NULL DEFAULT '{}',
        next_review_on  date,
        reminded_for    date,
        opened_at       timestamptz NOT NULL DEFAULT now(),
        opened_by       uuid REFERENCES users (id),
        closed_at       timestamptz,
        version         integer NOT NULL DEFAULT 1
      )`);
    await queryRunner.query(`CREATE INDEX support_cases_school ON support_cases (school_code, status)`);
    await queryRunner.query(
      `CREATE INDEX support_cases_review ON support_cases (next_review_on) WHERE status <> 'closed'`,
    );
    await queryRunner.query(`
      CREATE TABLE support_case_referrals (
        case_id        uuid NOT NULL REFERENCES support_cases (id),
        agency         text NOT NULL CHECK (agency IN ('support_centre', 'school_counselor', 'school_social_worker', 'child_guidance_centre', 'welfare', 'medical', 'other')),
        referred_on    date NOT NULL,
        PRIMARY KEY (case_id, agency)
      )`);
    await queryRunner.query(`
      CREATE TABLE support_case_notes (
        id             bigserial PRIMARY KEY,
        case_id        uuid NOT NULL REFERENCES support_cases (id),
        body           text NOT NULL,
        author_user_id uuid REFERENCES users (id),
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE support_case_notes`);
    await queryRunner.query(`DROP TABLE support_case_referrals`);
    await queryRunner.query(`DROP TABLE support_cases`);
    await queryRunner.query(`DROP TABLE watch_thresholds`);
    await queryRunner.query(`DROP TABLE teacher_homerooms`);
    await queryRunner.query(`DELETE FROM users WHERE role = 'teacher'`);
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_school_role`);
    await queryRunner.query(
      `ALTER TABLE users ADD CONSTRAINT users_school_role CHECK ((role = 'school') = (school_code IS NOT NULL))`,
    );
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_role_check`);
    await queryRunner.query(
      `ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('board_admin', 'analyst', 'school'))`,
    );
  }
}
