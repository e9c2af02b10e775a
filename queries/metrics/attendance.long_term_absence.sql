-- id: attendance.long_term_absence
-- title.ja: 長期欠席者数
-- title.en: Long-term absentees
-- description.ja: 年間の欠席日数が30日以上の児童生徒数(学年別・男女別・主たる理由別)。主たる理由は欠席日数の最も多い理由(理由なしは「その他」、同数は「その他」)。
-- description.en: Students absent 30 days or more in the school year, by grade, sex and main reason (the reason with the most absence days; none counts as other; a tie is other).
-- unit: students
-- dimensions: grade, sex, reason
-- parameters: academic_year
-- sources: attendance_days, school_days, enrolments
-- answers: 児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査 — 長期欠席者数(理由別)
SELECT school_code, grade, coalesce(sex, 'unspecified') AS sex, main_reason AS reason, count(*) AS value
FROM student_year_attendance
WHERE academic_year = $academic_year
  AND absent_days >= 30
  AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
