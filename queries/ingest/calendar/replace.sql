-- A school's calendar for a school year is replaced as a whole by a newer file that covers that school and year.
DELETE FROM main.school_days d USING {{years}} n
WHERE d.school_code = n.school_code AND d.academic_year = n.academic_year
