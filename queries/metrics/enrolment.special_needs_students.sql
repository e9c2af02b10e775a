-- id: enrolment.special_needs_students
-- title.ja: 特別支援学級在籍児童生徒数
-- title.en: Students in special-needs classes
-- description.ja: 特別支援学級に在籍する児童生徒の数(学年別・男女別)。名簿(OneRoster)の学級の特別支援学級の印から。
-- description.en: Students enrolled in a special-needs class (特別支援学級), by grade and sex, from the roster's special-needs flag on the class.
-- unit: students
-- dimensions: grade, sex
-- parameters: academic_year
-- sources: enrolments
-- answers: 学校基本調査 — 児童生徒数のうち特別支援学級在籍者
SELECT e.school_code, e.grade, coalesce(s.sex, 'unspecified') AS sex, count(*) AS value
FROM enrolments e
JOIN students s ON s.student_pid = e.student_pid
WHERE e.academic_year = $academic_year
  AND e.special_needs
  AND ($schools::VARCHAR[] IS NULL OR e.school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
