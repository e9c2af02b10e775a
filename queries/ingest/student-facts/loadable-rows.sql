-- A staged facts table's rows that load, with the student's pseudonym as student_pid.
(SELECT f.*, s.student_pid FROM {{table}} f JOIN {{students}} s ON s.sid = f.sid WHERE NOT f.rejected)
