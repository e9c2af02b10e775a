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
-- Counted in one pass; the day the threshold was reached is the threshold-th of the student's absence days, taken
-- from the sorted list only for the students who reached it. Daily rows in their compact form
-- (attendance_records); pseudonyms and codes joined (watch_students) to those students alone.
WITH counted AS (
  SELECT a.school_ref, a.student_ref, count(*) AS days, list(a.day) AS absent_days
  FROM attendance_records a
  WHERE a.academic_year = $academic_year AND a.day <= $as_of AND a.status = 'absent'
    AND a.school_ref IN (SELECT school_ref FROM school_refs WHERE ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[]))))
  GROUP BY ALL
  HAVING count(*) >= $min_days
)
SELECT e.school_code, e.student_pid, CAST(c.days AS DOUBLE) AS value, list_sort(c.absent_days)[$min_days] AS since
FROM counted c
JOIN watch_students e ON e.school_ref = c.school_ref AND e.student_ref = c.student_ref
