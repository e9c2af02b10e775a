-- Assessment results and guidance records carry the grade of the enrolment they belong to, so that the
-- survey items asked by grade (学力調査の平均点, いじめの認知件数) read their own rows instead of joining
-- hundreds of thousands of enrolments on the student's pseudonym for every figure.
--
--   grade     the grade of the student's enrolment at that school in that school year
--   enrolled  the roster holds that enrolment. The ingest takes a row only for an enrolled student; a
--             roster that later ends the enrolment leaves the row false, and the figures by grade leave
--             it out, as the join to enrolments did.
--
-- The ingest keeps both in step in the batch's own transaction: for the rows a batch loaded, the rows of
-- the enrolments it wrote, and the rows whose enrolment it removed (queries/derived/grade-on-facts.sql).
-- DuckDB adds a column without constraints only, so enrolled is not declared NOT NULL: rows get false by
-- default and the ingest sets it, never to NULL.

ALTER TABLE assessment_results ADD COLUMN grade VARCHAR;
ALTER TABLE assessment_results ADD COLUMN enrolled BOOLEAN DEFAULT false;
ALTER TABLE guidance_records ADD COLUMN grade VARCHAR;
ALTER TABLE guidance_records ADD COLUMN enrolled BOOLEAN DEFAULT false;

UPDATE assessment_results a SET grade = e.grade, enrolled = true
FROM enrolments e
WHERE e.student_pid = a.student_pid AND e.school_code = a.school_code AND e.academic_year = a.academic_year;

UPDATE guidance_records g SET grade = e.grade, enrolled = true
FROM enrolments e
WHERE e.student_pid = g.student_pid AND e.school_code = g.school_code AND e.academic_year = g.academic_year;
