-- Roster mirror: the last known state of every OneRoster entity the ingest uses, so that a delta
-- package can be applied to what earlier packages loaded and the derived tables (schools, homerooms,
-- enrolments, staff counts ...) recomputed from the whole roster.
--
-- Pseudonymised like the rest of the warehouse: a user's sourcedId is stored only as its HMAC
-- (user_pid = the student's student_pid), and so are the sourcedIds of enrollments and roles, which
-- vendors often build from a user's ID. Orgs, sessions, courses and classes are not persons and keep
-- their sourcedIds. Names, usernames, e-mail addresses, phone numbers, identifiers and birth dates are
-- never stored; a user's grades are kept for students only, and parents/guardians are not kept at all.
--
-- status 'tobedeleted' marks a tombstone: the row stays with its date_last_modified so that a delta
-- row older than the deletion cannot bring the entity back. date_last_modified is NULL for rows from
-- bulk files that left it blank (any later delta row then applies).

CREATE TABLE roster_orgs (
  org_id             VARCHAR PRIMARY KEY,
  status             VARCHAR NOT NULL CHECK (status IN ('active','tobedeleted')),
  date_last_modified TIMESTAMPTZ,
  name               VARCHAR,
  type               VARCHAR,                    -- school | district | department | local | state | national
  school_code        VARCHAR,                    -- schools only: the MEXT code (identifier) or the synthetic 'ORG-…' code
  parent_id          VARCHAR,
  batch_id           VARCHAR
);

CREATE TABLE roster_sessions (
  session_id         VARCHAR PRIMARY KEY,
  status             VARCHAR NOT NULL CHECK (status IN ('active','tobedeleted')),
  date_last_modified TIMESTAMPTZ,
  title              VARCHAR,
  type               VARCHAR,                    -- schoolYear | term | semester | gradingPeriod
  start_date         DATE,
  end_date           DATE,
  parent_id          VARCHAR,
  school_year        INTEGER,                    -- OneRoster's schoolYear as given (often the year the session ends)
  academic_year      INTEGER,                    -- 年度 of start_date (April to March): what the warehouse uses
  batch_id           VARCHAR
);

CREATE TABLE roster_courses (
  course_id          VARCHAR PRIMARY KEY,
  status             VARCHAR NOT NULL CHECK (status IN ('active','tobedeleted')),
  date_last_modified TIMESTAMPTZ,
  org_id             VARCHAR,
  school_year_id     VARCHAR,
  batch_id           VARCHAR
);

CREATE TABLE roster_classes (
  class_id           VARCHAR PRIMARY KEY,
  status             VARCHAR NOT NULL CHECK (status IN ('active','tobedeleted')),
  date_last_modified TIMESTAMPTZ,
  title              VARCHAR,
  class_type         VARCHAR,                    -- homeroom | scheduled
  course_id          VARCHAR,
  org_id             VARCHAR,                    -- schoolSourcedId
  term_ids           VARCHAR[],
  grades             VARCHAR[],
  special_needs      BOOLEAN,                    -- metadata.jp.specialNeeds (特別支援学級)
  batch_id           VARCHAR
);

CREATE TABLE roster_users (
  user_pid           VARCHAR PRIMARY KEY,        -- HMAC of the user's sourcedId
  status             VARCHAR NOT NULL CHECK (status IN ('active','tobedeleted')),
  date_last_modified TIMESTAMPTZ,
  enabled            BOOLEAN,
  grades             VARCHAR[],                  -- students only
  org_id             VARCHAR,                    -- primary org (1.2 primaryOrgSourcedId; 1.1 first of orgSourcedIds)
  home_class_id      VARCHAR,                    -- metadata.jp.homeClass (a class sourcedId)
  academic_year      INTEGER,                    -- the school year the row describes (the package's latest)
  batch_id           VARCHAR
);

-- 1.2 roles.csv rows; for 1.1 packages, one row per (user, org in orgSourcedIds) with the user's role,
-- keyed by a hash of the user's pseudonym and the org.
CREATE TABLE roster_roles (
  role_pid           VARCHAR PRIMARY KEY,
  status             VARCHAR NOT NULL CHECK (status IN ('active','tobedeleted')),
  date_last_modified TIMESTAMPTZ,
  user_pid           VARCHAR,
  role_type          VARCHAR,                    -- primary | secondary
  role               VARCHAR,
  org_id             VARCHAR,
  batch_id           VARCHAR
);

CREATE TABLE roster_enrollments (
  enrollment_pid     VARCHAR PRIMARY KEY,        -- HMAC of the enrollment sourcedId
  status             VARCHAR NOT NULL CHECK (status IN ('active','tobedeleted')),
  date_last_modified TIMESTAMPTZ,
  class_id           VARCHAR,
  user_pid           VARCHAR,
  org_id             VARCHAR,                    -- schoolSourcedId
  role               VARCHAR,
  is_primary         BOOLEAN,
  batch_id           VARCHAR
);

-- Students only: what the students table needs, nothing more (birth year and month, never the date).
CREATE TABLE roster_demographics (
  user_pid           VARCHAR PRIMARY KEY,
  status             VARCHAR NOT NULL CHECK (status IN ('active','tobedeleted')),
  date_last_modified TIMESTAMPTZ,
  sex                VARCHAR,
  birth_year_month   VARCHAR,
  batch_id           VARCHAR
);
