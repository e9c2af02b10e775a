-- id: enrolment.class_forms
-- title.ja: 学級編制方式別学級数
-- title.en: Classes by how they are formed
-- description.ja: 学級数を編制方式別に数える: 単式学級(1学年の通常の学級、学年別)、複式学級(2個学年以上の通常の学級、個学年数別)、特別支援学級。学年は学級の最も低い学年。
-- description.en: Homeroom classes by how they are formed: single-grade ordinary classes (by grade), multi-grade ordinary classes (複式, by the number of grades) and special-needs classes. The grade is the class's lowest grade.
-- unit: classes
-- dimensions: class_form, grade, span
-- parameters: academic_year
-- sources: homerooms
-- answers: 学校基本調査 — 学級数(単式学級・複式学級・特別支援学級)
-- span is the number of grades the class serves ('1' for a single-grade class), as text like every dimension.
SELECT school_code,
       CASE WHEN special_needs THEN 'special_needs' WHEN len(grades) >= 2 THEN 'multi_grade' ELSE 'single_grade' END AS class_form,
       list_min(grades) AS grade,
       CAST(greatest(len(grades), 1) AS VARCHAR) AS span,
       count(*) AS value
FROM homerooms
WHERE academic_year = $academic_year
  AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
