-- The staging area of one ingest (src/ingest/staging.ts): an in-memory database attached to the
-- warehouse instance under a fixed name. Ingests run one at a time (Warehouse.exclusive); one a
-- stopped process left is detached first.
DETACH DATABASE IF EXISTS ingest_staging;
ATTACH ':memory:' AS ingest_staging;
-- rule: the English words; code and params (JSON): what the words are made of in either language
-- (src/ingest/problems).
CREATE TABLE ingest_staging.problems (severity VARCHAR, file VARCHAR, "row" BIGINT, "column" VARCHAR, value VARCHAR, rule VARCHAR,
                                      code VARCHAR, params VARCHAR);
CREATE TABLE ingest_staging.pid_map (raw VARCHAR PRIMARY KEY, pid VARCHAR NOT NULL);
-- What this batch's rosters add, so that later feeds of the same batch can refer to it.
CREATE TABLE ingest_staging.new_schools (school_code VARCHAR PRIMARY KEY);
CREATE TABLE ingest_staging.new_students (student_pid VARCHAR PRIMARY KEY);
CREATE TABLE ingest_staging.new_identities (id_pid VARCHAR, student_pid VARCHAR);
CREATE TABLE ingest_staging.new_enrolments (student_pid VARCHAR, school_code VARCHAR, academic_year INTEGER);
CREATE TABLE ingest_staging.new_school_days (school_code VARCHAR, day DATE);
CREATE TABLE ingest_staging.new_student_refs (student_ref INTEGER PRIMARY KEY, student_pid VARCHAR NOT NULL);
CREATE TABLE ingest_staging.new_school_refs (school_ref INTEGER PRIMARY KEY, school_code VARCHAR NOT NULL);
CREATE TABLE ingest_staging.school_code_check (code VARCHAR PRIMARY KEY, valid BOOLEAN NOT NULL);
-- The schools known to the warehouse or added by this batch.
CREATE VIEW ingest_staging.known_schools AS
SELECT school_code FROM main.schools UNION SELECT school_code FROM ingest_staging.new_schools;
-- (student_pid, school_code, academic_year) enrolments known to the warehouse or this batch.
CREATE VIEW ingest_staging.known_enrolments AS
SELECT student_pid, school_code, academic_year FROM main.enrolments
UNION SELECT student_pid, school_code, academic_year FROM ingest_staging.new_enrolments;
-- (school_code, day) school days known to the warehouse or added by this batch's calendars.
CREATE VIEW ingest_staging.known_school_days AS
SELECT school_code, day FROM main.school_days UNION SELECT school_code, day FROM ingest_staging.new_school_days;
-- (student_ref, student_pid): the students numbered in the warehouse (student_refs) or by this batch.
CREATE VIEW ingest_staging.known_student_refs AS
SELECT student_ref, student_pid FROM main.student_refs
UNION ALL SELECT student_ref, student_pid FROM ingest_staging.new_student_refs;
-- (school_ref, school_code): the schools numbered in the warehouse or by this batch. UNION: once a load
-- has written this batch's numbers, the warehouse holds them too.
CREATE VIEW ingest_staging.known_school_refs AS
SELECT school_ref, school_code FROM main.school_refs
UNION SELECT school_ref, school_code FROM ingest_staging.new_school_refs;
-- The students and schools this batch numbered that the warehouse does not hold yet.
CREATE VIEW ingest_staging.unsaved_student_refs AS
SELECT student_ref, student_pid FROM ingest_staging.new_student_refs
WHERE student_ref NOT IN (SELECT student_ref FROM main.student_refs);
CREATE VIEW ingest_staging.unsaved_school_refs AS
SELECT school_ref, school_code FROM ingest_staging.new_school_refs
WHERE school_ref NOT IN (SELECT school_ref FROM main.school_refs);
