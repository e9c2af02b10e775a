-- Keeps grade and enrolled of assessment results and guidance records (migrations/warehouse/006) in step,
-- inside batch $batch's own transaction. Statements run in order.
--
-- A row's grade is its enrolment's: set for the rows this batch loaded and for the rows of every
-- enrolment it wrote (a roster rewrites every enrolment of the schools and years it covers, so each
-- carries the batch). A row whose enrolment a roster removed is no longer enrolled.

UPDATE main.assessment_results a SET grade = e.grade, enrolled = true
FROM main.enrolments e
WHERE e.student_pid = a.student_pid AND e.school_code = a.school_code AND e.academic_year = a.academic_year
  AND (a.batch_id = $batch OR e.batch_id = $batch);

UPDATE main.assessment_results a SET grade = NULL, enrolled = false
WHERE a.enrolled AND NOT EXISTS (SELECT 1 FROM main.enrolments e
                                 WHERE e.student_pid = a.student_pid AND e.school_code = a.school_code AND e.academic_year = a.academic_year);

UPDATE main.guidance_records g SET grade = e.grade, enrolled = true
FROM main.enrolments e
WHERE e.student_pid = g.student_pid AND e.school_code = g.school_code AND e.academic_year = g.academic_year
  AND (g.batch_id = $batch OR e.batch_id = $batch);

UPDATE main.guidance_records g SET grade = NULL, enrolled = false
WHERE g.enrolled AND NOT EXISTS (SELECT 1 FROM main.enrolments e
                                 WHERE e.student_pid = g.student_pid AND e.school_code = g.school_code AND e.academic_year = g.academic_year)
