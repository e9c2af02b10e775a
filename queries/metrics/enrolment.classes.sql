-- id: enrolment.classes
-- title.ja: 学級数
-- title.en: Classes
-- description.ja: 学級数(学年別、通常の学級・特別支援学級別)。複数学年の特別支援学級は最も低い学年で1学級と数える。
-- description.en: Homeroom classes by grade and kind (ordinary or special-needs); a special-needs class serving several grades counts once, under its lowest grade.
-- unit: classes
-- dimensions: grade, kind
-- parameters: academic_year
-- sources: homerooms
-- answers: 学校基本調査 — 学級数(単式・特別支援学級)
SELECT school_code, list_min(grades) AS grade,
       CASE WHEN special_needs THEN 'special_needs' ELSE 'ordinary' END AS kind,
       count(*) AS value
FROM homerooms
WHERE academic_year = $academic_year
  AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
