-- id: attendance.year_to_date
-- title.ja: 年度の欠席日数が多い
-- title.en: Many absence days this year
-- description.ja: 年度の初めから基準日までの欠席が{min_days}日以上(長期欠席の30日の手前の目安)。開始日は{min_days}日目の欠席の日。
-- description.en: At least {min_days} absence days from the start of the school year to the date (a line before the 30 days of long-term absence); since = the day of the {min_days}th.
-- unit: days
-- sources: attendance_days, enrolments
-- parameters: min_days:integer(1..60)=15
-- urgency: 2
-- flags: alone
WITH absences AS (
  SELECT school_code, student_pid, day,
         row_number() OVER (PARTITION BY school_code, student_pid ORDER BY day) AS nth
  FROM attendance_days
  WHERE academic_year = $academic_year AND day <= $as_of AND status = 'absent'
    AND ($schools::VARCHAR[] IS NULL OR list_contains($schools::VARCHAR[], school_code))
),
counted AS (
  SELECT school_code, student_pid, count(*) AS days, min(day) FILTER (WHERE nth = $min_days) AS reached
  FROM absences
  GROUP BY ALL
)
SELECT e.school_code, e.student_pid, CAST(c.days AS DOUBLE) AS value, c.reached AS since
FROM counted c
JOIN enrolments e ON e.student_pid = c.student_pid AND e.school_code = c.school_code AND e.academic_year = $academic_year
WHERE c.days >= $min_days
