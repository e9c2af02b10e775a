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
-- The victim's grade, and whether the roster still enrols them there, are kept on the row by the ingest (migrations/warehouse/006).
SELECT school_code, grade, type_code AS type, count(*) AS value
FROM guidance_records
WHERE academic_year = $academic_year
  AND category = 'bullying'
  AND enrolled
  AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
