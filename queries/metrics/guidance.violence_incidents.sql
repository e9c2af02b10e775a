-- id: guidance.violence_incidents
-- title.ja: 暴力行為の発生件数
-- title.en: Acts of violence
-- description.ja: 生徒指導記録の暴力行為の件数(形態別:対教師暴力・生徒間暴力・対人暴力・器物損壊、学校の管理下・管理下以外別)。記録1件を1件と数える。
-- description.en: Acts of violence in guidance records, by form (against a teacher, between students, against another person, damage to property) and place (under the school's control or not). Each record counts as one act.
-- unit: cases
-- dimensions: violence_form, place
-- parameters: academic_year
-- sources: guidance_records
-- answers: 児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査 — 暴力行為の発生件数(形態別・学校の管理下/管理下以外)
-- A violence record's type_code is the form and the place: teacher_in, teacher_out, student_in, student_out, person_in,
-- person_out, property_in, property_out (in = 学校の管理下). Anything else is 'unrecorded'. An act by several students is
-- one record per student: the school confirms the figure.
SELECT school_code,
       CASE WHEN type_code IN ('teacher_in', 'teacher_out', 'student_in', 'student_out', 'person_in', 'person_out', 'property_in', 'property_out')
            THEN split_part(type_code, '_', 1) ELSE 'unrecorded' END AS violence_form,
       CASE WHEN type_code IN ('teacher_in', 'student_in', 'person_in', 'property_in') THEN 'in_school'
            WHEN type_code IN ('teacher_out', 'student_out', 'person_out', 'property_out') THEN 'outside_school'
            ELSE 'unrecorded' END AS place,
       count(*) AS value
FROM guidance_records
WHERE academic_year = $academic_year
  AND category = 'violence'
  AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
