-- id: attendance.counted_present
-- title.ja: 指導要録上出席扱いとなった不登校児童生徒数
-- title.en: Non-attendance students with days counted present
-- description.ja: 主たる理由が不登校の長期欠席者のうち、指導要録上出席扱いとした日が1日以上ある者(学年別・男女別)。場所を問わず一人を一度数える(場所別は指標「指導要録上出席扱いとなった不登校児童生徒数(場所別)」)。
-- description.en: Long-term absentees whose main reason is non-attendance with at least one day counted present (指導要録上出席扱い), by grade and sex, each student once whatever the place (by place: the metric “Non-attendance students with days counted present, by place”).
-- unit: students
-- dimensions: grade, sex
-- parameters: academic_year
-- sources: attendance_days, school_days, enrolments
-- answers: 児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査 — 指導要録上出席扱いとした不登校児童生徒数(場所を問わない実人数)
-- The daily rows are grouped on the warehouse's own numbers, then joined to the pseudonyms (migrations/warehouse/008).
WITH counted AS (
  SELECT r.student_pid, s.school_code
  FROM (SELECT DISTINCT student_ref, school_ref FROM attendance_records
        WHERE academic_year = $academic_year AND status = 'counted_present') a
  JOIN student_refs r ON r.student_ref = a.student_ref
  JOIN school_refs s ON s.school_ref = a.school_ref
)
SELECT y.school_code, y.grade, coalesce(y.sex, 'unspecified') AS sex, count(*) AS value
FROM student_year_attendance y
JOIN counted c ON c.student_pid = y.student_pid AND c.school_code = y.school_code
WHERE y.academic_year = $academic_year
  AND y.absent_days >= 30
  AND y.main_reason = 'non_attendance'
  AND ($schools::VARCHAR[] IS NULL OR y.school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
