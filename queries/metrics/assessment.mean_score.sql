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
-- The student's grade, and whether the roster still enrols them there, are kept on the row by the ingest (migrations/warehouse/006).
SELECT school_code, grade, subject, round(avg(score)::DECIMAL(18, 6), 2)::DOUBLE AS value
FROM assessment_results
WHERE academic_year = $academic_year
  AND enrolled
  AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
