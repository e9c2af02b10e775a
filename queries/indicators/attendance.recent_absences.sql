-- id: attendance.recent_absences
-- title.ja: 直近の欠席が多い
-- title.en: Many recent absences
-- description.ja: 基準日までの直近{window_days}授業日のうち、欠席が{min_absences}日以上。開始日は数えた欠席の最初の日。
-- description.en: At least {min_absences} absence days in the last {window_days} school days up to the date; since = the first absence counted.
-- unit: days
-- sources: attendance_records, school_days, school_refs, student_refs, enrolments
-- parameters: window_days:integer(5..100)=20, min_absences:integer(1..100)=5
-- urgency: 3
-- flags: with_another
-- The daily rows are read in their compact form (attendance_records, by student and school number);
-- pseudonyms and school codes are joined only to the students for whom the indicator fires.
WITH days AS (
  SELECT s.school_ref, d.day
  FROM school_days d JOIN school_refs s ON s.school_code = d.school_code
  WHERE d.academic_year = $academic_year AND d.day <= $as_of
    AND ($schools::VARCHAR[] IS NULL OR d.school_code IN (SELECT unnest($schools::VARCHAR[])))
  QUALIFY row_number() OVER (PARTITION BY d.school_code ORDER BY d.day DESC) <= $window_days
),
absent AS (
  SELECT a.school_ref, a.student_ref, count(*) AS absences, min(a.day) AS first_day
  FROM attendance_records a
  JOIN days d ON d.school_ref = a.school_ref AND d.day = a.day
  WHERE a.academic_year = $academic_year AND a.day <= $as_of AND a.day >= (SELECT min(day) FROM days)
    AND a.status = 'absent'
  GROUP BY ALL
  HAVING count(*) >= $min_absences
)
SELECT e.school_code, e.student_pid, CAST(x.absences AS DOUBLE) AS value, x.first_day AS since
FROM absent x
JOIN watch_students e ON e.school_ref = x.school_ref AND e.student_ref = x.student_ref
