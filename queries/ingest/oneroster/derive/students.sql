-- The students ({{into}}, d_students) whose sex or birth month ({{demographics}} after this package) differ
-- from the warehouse's, or who are new.
CREATE TABLE {{into}} AS
SELECT su.user_pid AS student_pid, dm.sex, dm.birth_year_month
FROM {{student_users}} su
LEFT JOIN {{demographics}} dm ON dm.user_pid = su.user_pid AND dm.status = 'active'
LEFT JOIN main.students s ON s.student_pid = su.user_pid
WHERE s.student_pid IS NULL OR s.sex IS DISTINCT FROM dm.sex OR s.birth_year_month IS DISTINCT FROM dm.birth_year_month
