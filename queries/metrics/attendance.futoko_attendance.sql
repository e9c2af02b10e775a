-- id: attendance.futoko_attendance
-- title.ja: 欠席日数90日以上の不登校児童生徒の出席日数
-- title.en: Non-attendance students absent 90+ days, by days attended
-- description.ja: 主たる理由が不登校の長期欠席者のうち欠席日数90日以上の者を、出席日数11日以上/1〜10日/0日に分けて数える(学年別・男女別)。
-- description.en: Long-term absentees whose main reason is non-attendance and who were absent 90 days or more, by days attended (11 or more, 1–10, none), grade and sex.
-- unit: students
-- dimensions: grade, sex, band
-- parameters: academic_year
-- sources: attendance_days, school_days, enrolments
-- answers: 児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査 — 不登校児童生徒のうち欠席日数90日以上(出席日数別)
-- Days counted present (指導要録上出席扱い) are attended days, as in the 指導要録.
SELECT school_code, grade, coalesce(sex, 'unspecified') AS sex,
       CASE WHEN attended_days >= 11 THEN 'absent_90_attended_11_plus'
            WHEN attended_days >= 1 THEN 'absent_90_attended_1_10'
            ELSE 'absent_90_attended_0' END AS band,
       count(*) AS value
FROM student_year_attendance
WHERE academic_year = $academic_year
  AND absent_days >= 90
  AND main_reason = 'non_attendance'
  AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
