(SELECT DISTINCT student_pid FROM {{resolved}})
