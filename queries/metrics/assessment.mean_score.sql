-- id: assessment.mean_score
-- title.ja: 学力調査の平均点
-- title.en: Mean assessment score
-- description.ja: 学力調査の平均点(学年別・教科別、小数第2位まで)。
-- description.en: Mean score of the assessments, by grade and subject, to 2 decimals.
-- unit: points
-- dimensions: grade, subject
-- parameters: academic_year
-- sources: assessment_results, enrolments
-- answers: 教育委員会独自調査 — 学力調査の平均点
-- Rounded as decimal (四捨五入: 67.475 → 67.48), not as the binary double (67.4749… → 67.47).
SELECT a.school_code, e.grade, a.subject, round(avg(a.score)::DECIMAL(18, 6), 2)::DOUBLE AS value
FROM assessment_results a
JOIN enrolments e ON e.student_pid = a.student_pid AND e.school_code = a.school_code AND e.academic_year = a.academic_year
WHERE a.academic_year = $academic_year
  AND ($schools::VARCHAR[] IS NULL OR list_contains($schools::VARCHAR[], a.school_code))
GROUP BY ALL
ORDER BY ALL
