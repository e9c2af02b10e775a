-- Warehouse schema: pseudonymised data only. No name, kana, email, phone, address, raw person ID
-- or full birth date is ever stored here; person keys are HMAC-SHA256 pseudonyms (hex) made with
-- the board's secret before anything is written. Every fact row names the ingest batch it came from.

CREATE TABLE schools (
  school_code      VARCHAR PRIMARY KEY,          -- 学校コード: MEXT 13-character school code, check digit verified
  name             VARCHAR NOT NULL,             -- a school's name is public, not personal data
  school_type      VARCHAR NOT NULL CHECK (school_type IN ('kindergarten','elementary','junior_high','compulsory','high','secondary','special_needs','other')),
  prefecture_code  VARCHAR NOT NULL,
  municipality     VARCHAR,
  org_id           VARCHAR,                      -- the roster org sourcedId it came from
  batch_id         VARCHAR
);

CREATE TABLE academic_years (
  academic_year    INTEGER PRIMARY KEY,          -- 年度: 2025 = 1 April 2025 to 31 March 2026
  title            VARCHAR NOT NULL,
  start_date       DATE NOT NULL,
  end_date         DATE NOT NULL
);

CREATE TABLE students (
  student_pid      VARCHAR PRIMARY KEY,          -- pseudonym: HMAC-SHA256(board secret, roster sourcedId)
  sex              VARCHAR CHECK (sex IN ('male','female','other','unspecified')),
  birth_year_month VARCHAR CHECK (birth_year_month IS NULL OR regexp_full_match(birth_year_month, '\d{4}-\d{2}')),
  batch_id         VARCHAR
);

-- Crosswalk: a student's IDs in other systems (learning apps, e-portal), pseudonymised with the same key.
CREATE TABLE student_identities (
  id_type          VARCHAR NOT NULL,
  id_pid           VARCHAR NOT NULL,
  student_pid      VARCHAR NOT NULL,
  batch_id         VARCHAR,
  PRIMARY KEY (id_type, id_pid)
);

CREATE TABLE homerooms (
  homeroom_id      VARCHAR NOT NULL,             -- the roster class sourcedId (a class, not a person)
  school_code      VARCHAR NOT NULL,
  academic_year    INTEGER NOT NULL,
  title            VARCHAR NOT NULL,
  grades           VARCHAR[] NOT NULL,
  special_needs    BOOLEAN NOT NULL,             -- 特別支援学級
  batch_id         VARCHAR,
  PRIMARY KEY (homeroom_id, academic_year)
);

CREATE TABLE enrolments (
  student_pid      VARCHAR NOT NULL,
  school_code      VARCHAR NOT NULL,
  academic_year    INTEGER NOT NULL,
  grade            VARCHAR CHECK (grade IN ('P1','P2','P3','P4','P5','P6','J1','J2','J3','H1','H2','H3','E1','E2','E3')),
  homeroom_id      VARCHAR,
  special_needs    BOOLEAN NOT NULL DEFAULT false,
  batch_id         VARCHAR,
  PRIMARY KEY (student_pid, academic_year, school_code)
);

CREATE TABLE staff_counts (
  school_code      VARCHAR NOT NULL,
  academic_year    INTEGER NOT NULL,
  role             VARCHAR NOT NULL,
  staff            INTEGER NOT NULL,
  batch_id         VARCHAR,
  PRIMARY KEY (school_code, academic_year, role)
);

-- 授業日数: the school days of each school.
CREATE TABLE school_days (
  school_code      VARCHAR NOT NULL,
  day              DATE NOT NULL,
  academic_year    INTEGER NOT NULL,
  batch_id         VARCHAR,
  PRIMARY KEY (school_code, day)
);

-- Daily attendance: only days that are not plain presence need a row. One row per student and day:
-- the ingest enforces it (no index: tens of millions of rows load faster without one).
CREATE TABLE attendance_days (
  student_pid      VARCHAR NOT NULL,
  school_code      VARCHAR NOT NULL,
  day              DATE NOT NULL,
  academic_year    INTEGER NOT NULL,
  status           VARCHAR NOT NULL,             -- present | absent | late | early_leave | suspension | mourning | closure | counted_present
  reason           VARCHAR,                      -- absences only: illness | economic | non_attendance | covid_avoidance | other
  batch_id         VARCHAR
);

CREATE TABLE assessment_results (
  student_pid      VARCHAR NOT NULL,
  school_code      VARCHAR NOT NULL,
  academic_year    INTEGER NOT NULL,
  assessment_id    VARCHAR NOT NULL,
  subject          VARCHAR NOT NULL,
  administered_on  DATE NOT NULL,
  score            DOUBLE NOT NULL,
  max_score        DOUBLE NOT NULL,
  batch_id         VARCHAR,
  PRIMARY KEY (student_pid, assessment_id, subject)
);

-- 生徒指導: bullying (いじめ), violence and other guidance records.
CREATE TABLE guidance_records (
  record_id        VARCHAR PRIMARY KEY,          -- hash of the natural key (student, date, category, type)
  student_pid      VARCHAR NOT NULL,
  school_code      VARCHAR NOT NULL,
  academic_year    INTEGER NOT NULL,
  recorded_on      DATE NOT NULL,
  category         VARCHAR NOT NULL CHECK (category IN ('bullying','violence','other')),
  type_code        VARCHAR,
  discovered_by    VARCHAR,
  resolved         BOOLEAN,
  serious          BOOLEAN,
  batch_id         VARCHAR
);

CREATE TABLE programmes (
  programme_id     VARCHAR PRIMARY KEY,
  name             VARCHAR NOT NULL,
  batch_id         VARCHAR
);

CREATE TABLE programme_participation (
  programme_id     VARCHAR NOT NULL,
  school_code      VARCHAR NOT NULL,
  start_date       DATE NOT NULL,
  end_date         DATE,
  batch_id         VARCHAR,
  PRIMARY KEY (programme_id, school_code, start_date)
);

-- Learning-app activity from xAPI statements. actor_pid is the pseudonym of the actor's account name
-- (or mbox); student_pid is NULL while no roster links the actor (kept, counted, linked later).
CREATE TABLE learning_activity (
  statement_id     VARCHAR NOT NULL,             -- unique: the ingest drops repeats (no index: it would dominate load time)
  actor_pid        VARCHAR NOT NULL,
  student_pid      VARCHAR,
  school_code      VARCHAR,
  academic_year    INTEGER,
  verb_id          VARCHAR NOT NULL,
  activity_id      VARCHAR,
  activity_type    VARCHAR,
  ts               TIMESTAMPTZ NOT NULL,
  duration_s       DOUBLE,
  score_scaled     DOUBLE,
  score_raw        DOUBLE,
  success          BOOLEAN,
  completion       BOOLEAN,
  batch_id         VARCHAR
);
