-- One school's enrolment per academic year and grade (administrative view: exact counts).
SELECT academic_year, grade, count(*)::INTEGER AS students,
       count(*) FILTER (WHERE special_needs)::INTEGER AS special_needs_students
FROM enrolments
WHERE school_code = $1
GROUP BY academic_year, grade
ORDER BY academic_year, grade
