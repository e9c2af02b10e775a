-- id: attendance.counted_present_by_place
-- title.ja: 指導要録上出席扱いとなった不登校児童生徒数(場所別)
-- title.en: Non-attendance students with days counted present, by place
-- description.ja: 主たる理由が不登校の長期欠席者のうち、指導要録上出席扱いとした日がある者を、その場所(学校外の機関等・自宅でのICT等を活用した学習・その他)ごとに数える(学年別・男女別)。場所は出欠の記録(attendance.csv)の place 列から。二つの場所で出席扱いとなった者はそれぞれに数える。場所の書かれていない日は「場所の記載なし」。
-- description.en: Long-term absentees whose main reason is non-attendance with at least one day counted present (指導要録上出席扱い), by the place of those days (a facility outside the school, ICT learning at home, elsewhere), grade and sex. The place is the attendance record's `place` column (attendance.csv); a student counted present in two places counts under each; a day without a place counts as "not given".
-- unit: students
-- dimensions: counted_present_place, grade, sex
-- parameters: academic_year
-- sources: attendance_days, school_days, enrolments
-- answers: 児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査 — 指導要録上出席扱いとした不登校児童生徒数(学校外の機関等 / 自宅におけるICT等を活用した学習活動)
-- The daily rows are grouped on the warehouse's own numbers, then joined to the pseudonyms (migrations/warehouse/008).
WITH counted AS (
  SELECT r.student_pid, s.school_code, a.place
  FROM (SELECT DISTINCT student_ref, school_ref, coalesce(CAST(place AS VARCHAR), 'unspecified') AS place FROM attendance_records
        WHERE academic_year = $academic_year AND status = 'counted_present') a
  JOIN student_refs r ON r.student_ref = a.student_ref
  JOIN school_refs s ON s.school_ref = a.school_ref
)
SELECT y.school_code, c.place AS counted_present_place, y.grade, coalesce(y.sex, 'unspecified') AS sex, count(*) AS value
FROM student_year_attendance y
JOIN counted c ON c.student_pid = y.student_pid AND c.school_code = y.school_code
WHERE y.academic_year = $academic_year
  AND y.absent_days >= 30
  AND y.main_reason = 'non_attendance'
  AND ($schools::VARCHAR[] IS NULL OR y.school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
