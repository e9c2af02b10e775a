-- id: attendance.year_to_date
-- title.ja: 年度の欠席日数が多い
-- title.en: Many absence days this year
-- description.ja: 年度の初めから基準日までの欠席が{min_days}日以上(長期欠席の30日の手前の目安)。開始日は{min_days}日目の欠席の日。
-- description.en: At least {min_days} absence days from the start of the school year to the date (a line before the 30 days of long-term absence); since = the day of the {min_days}th.
-- unit: days
-- sources: attendance_records, school_refs, student_refs, enrolments
-- parameters: min_days:integer(1..60)=15
-- urgency: 2
-- flags: alone
-- Counted first; the day the threshold was reached is found only for the students who reached it.
-- Daily rows in their compact form (attendance_records); pseudonyms joined to those students alone.
WITH absences AS (
  SELECT a.school_ref, a.student_ref, a.day
  FROM attendance_records a
  WHERE a.academic_year = $academic_year AND a.day <= $as_of AND a.status = 'absent'
    AND a.school_ref IN (SELECT school_ref FROM school_refs WHERE ($schools::VARCHAR[] IS NULL OR list_contains($schools::VARCHAR[], school_code)))
),
counted AS (
  SELECT school_ref, student_ref, count(*) AS days
  FROM absences
  GROUP BY ALL
  HAVING count(*) >= $min_days
),
reached AS (
  SELECT a.school_ref, a.student_ref, a.day
  FROM absences a
  SEMI JOIN counted c ON c.school_ref = a.school_ref AND c.student_ref = a.student_ref
  QUALIFY row_number() OVER (PARTITION BY a.school_ref, a.student_ref ORDER BY a.day) = $min_days
)
SELECT e.school_code, e.student_pid, CAST(c.days AS DOUBLE) AS value, x.day AS since
FROM counted c
JOIN reached x ON x.school_ref = c.school_ref AND x.student_ref = c.student_ref
JOIN student_refs r ON r.student_ref = c.student_ref
JOIN school_refs s ON s.school_ref = c.school_ref
JOIN enrolments e ON e.student_pid = r.student_pid AND e.school_code = s.school_code AND e.academic_year = $academic_year
