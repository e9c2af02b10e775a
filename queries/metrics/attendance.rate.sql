-- id: attendance.rate
-- title.ja: 出席率
-- title.en: Attendance rate
-- description.ja: 出席日数の合計 ÷ 出席しなければならない日数の合計(授業日数 − 出席停止・忌引等の日数)。
-- description.en: Attended days over required days (school days minus suspension, mourning and closure days), summed over enrolled students.
-- unit: ratio
-- dimensions:
-- parameters: academic_year
-- sources: attendance_days, school_days, enrolments
-- answers: 教育委員会独自調査 — 出席率
SELECT school_code, sum(attended_days) / sum(required_days) AS value
FROM student_year_attendance
WHERE academic_year = $academic_year
  AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
