-- id: enrolment.students
-- title.ja: 児童生徒数
-- title.en: Students enrolled
-- description.ja: 在籍する児童生徒の数(学年別・男女別)。名簿(OneRoster)の在籍から。
-- description.en: Students enrolled, by grade and sex, from the roster.
-- unit: students
-- dimensions: grade, sex
-- parameters: academic_year
-- sources: enrolments
-- answers: 学校基本調査 — 学年別・男女別児童生徒数
SELECT e.school_code, e.grade, coalesce(s.sex, 'unspecified') AS sex, count(*) AS value
FROM enrolments e
JOIN students s ON s.student_pid = e.student_pid
WHERE e.academic_year = $academic_year
  AND ($schools::VARCHAR[] IS NULL OR e.school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
