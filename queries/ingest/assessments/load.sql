-- A newer result for the same student, assessment and subject replaces the older one.
DELETE FROM main.assessment_results a USING {{valid}} n
WHERE a.student_pid = n.student_pid AND a.assessment_id = n.assessment_id AND a.subject = n.subject;
INSERT INTO main.assessment_results (student_pid, school_code, academic_year, assessment_id, subject, administered_on, score, max_score, batch_id)
SELECT student_pid, school_code, academic_year, assessment_id, subject, day, score_value, max_value, $batch FROM {{valid}};
