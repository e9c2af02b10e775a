-- id: guidance.bullying_cases
-- title.ja: いじめの認知件数
-- title.en: Bullying cases recognised
-- description.ja: 生徒指導記録のいじめの認知件数(被害児童生徒の学年別・態様別)。
-- description.en: Bullying cases recognised in guidance records, by the student's grade and MEXT type (態様 1–9).
-- unit: cases
-- dimensions: grade, type
-- parameters: academic_year
-- sources: guidance_records, enrolments
-- answers: 児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査 — いじめの認知件数(態様別)
SELECT g.school_code, e.grade, g.type_code AS type, count(*) AS value
FROM guidance_records g
JOIN enrolments e ON e.student_pid = g.student_pid AND e.school_code = g.school_code AND e.academic_year = g.academic_year
WHERE g.academic_year = $academic_year
  AND g.category = 'bullying'
  AND ($schools::VARCHAR[] IS NULL OR list_contains($schools::VARCHAR[], g.school_code))
GROUP BY ALL
ORDER BY ALL
