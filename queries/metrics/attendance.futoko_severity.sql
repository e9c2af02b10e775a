-- id: attendance.futoko_severity
-- title.ja: 不登校児童生徒のうち欠席日数・出席日数の状況
-- title.en: Non-attendance (futoko) students by severity
-- description.ja: 主たる理由が不登校の長期欠席者のうち、欠席日数90日以上/出席日数10日以下/出席日数0日の人数(それぞれ別に数える)。
-- description.en: Long-term absentees whose main reason is non-attendance: absent 90+ days, attended 10 days or fewer, attended 0 days (each counted separately).
-- unit: students
-- dimensions: band
-- parameters: academic_year
-- sources: attendance_days, school_days, enrolments
-- answers: 児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査 — 不登校児童生徒の欠席日数等
WITH futoko AS (
  SELECT school_code, absent_days, attended_days
  FROM student_year_attendance
  WHERE academic_year = $academic_year
    AND absent_days >= 30
    AND main_reason = 'non_attendance'
    AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
)
SELECT school_code, band, value FROM (
  SELECT school_code, 'absent_90_plus' AS band, count(*) AS value FROM futoko WHERE absent_days >= 90 GROUP BY ALL
  UNION ALL
  SELECT school_code, 'attended_10_or_less', count(*) FROM futoko WHERE attended_days <= 10 GROUP BY ALL
  UNION ALL
  SELECT school_code, 'attended_0', count(*) FROM futoko WHERE attended_days = 0 GROUP BY ALL
)
ORDER BY ALL
