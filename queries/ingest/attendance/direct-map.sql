-- Raw student ID → sid (the student's student_ref): the direct load's join, its build side.
CREATE TABLE {{map}} AS SELECT r.raw, s.sid FROM {{resolved}} r JOIN {{students}} s ON s.student_pid = r.student_pid
