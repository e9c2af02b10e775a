-- Of the statements that will be written: one row per actor no roster names ({{actors}}) and one per student
-- without a school that year ({{schoolless}}), at the row of its first statement, with how many statements:
-- warned about once each (xapi/unlinked-rules.sql), never naming the ID.
CREATE TABLE {{actors}} AS
SELECT min(line) AS line, false AS rejected, count(*) AS statements
FROM {{table}} WHERE NOT rejected AND skip IS NULL AND student_pid IS NULL GROUP BY actor_pid;
CREATE TABLE {{schoolless}} AS
SELECT min(line) AS line, false AS rejected, count(*) AS statements, academic_year
FROM {{table}} WHERE NOT rejected AND skip IS NULL AND student_pid IS NOT NULL AND school_code IS NULL
GROUP BY student_pid, academic_year;
