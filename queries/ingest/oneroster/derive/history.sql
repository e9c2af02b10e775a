-- History ({{into}}, d_history): an enrolment in an earlier year than the one a student's roster row now
-- describes ({{users}} after this package, {{state_users}} before it) is never removed by a later package (a
-- student who moved up or left keeps last year's enrolment), in the affected years ({{affected_years}}).
CREATE TABLE {{into}} AS
SELECT DISTINCT u.user_pid AS student_pid, y.academic_year
FROM (SELECT user_pid, academic_year FROM {{users}} UNION ALL SELECT user_pid, academic_year FROM {{state_users}}) u
JOIN {{affected_years}} y ON u.academic_year > y.academic_year
