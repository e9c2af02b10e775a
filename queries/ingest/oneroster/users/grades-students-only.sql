-- Grades are kept for students only (a teacher's grades taught are not needed).
UPDATE {{table}} SET grades = NULL WHERE NOT is_student
