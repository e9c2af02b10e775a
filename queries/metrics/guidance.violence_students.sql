-- id: guidance.violence_students
-- title.ja: 暴力行為の加害児童生徒数
-- title.en: Students who committed acts of violence
-- description.ja: 生徒指導記録に暴力行為が1件以上ある児童生徒の数(学年別・男女別、1人は1回だけ数える)。
-- description.en: Students with at least one act of violence in the guidance records, by grade and sex (each student counted once).
-- unit: students
-- dimensions: grade, sex
-- parameters: academic_year
-- sources: guidance_records, enrolments
-- answers: 児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査 — 暴力行為の加害児童生徒数
SELECT g.school_code, g.grade, coalesce(s.sex, 'unspecified') AS sex, count(DISTINCT g.student_pid) AS value
FROM guidance_records g
JOIN students s ON s.student_pid = g.student_pid
WHERE g.academic_year = $academic_year
  AND g.category = 'violence'
  AND g.enrolled
  AND ($schools::VARCHAR[] IS NULL OR g.school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
