-- id: enrolment.special_needs_students_by_disability
-- title.ja: 特別支援学級在籍児童生徒数(障害種別)
-- title.en: Students in special-needs classes by type of disability
-- description.ja: 特別支援学級に在籍する児童生徒の数を、その学級の障害種別ごと・男女別に数える。障害種別は名簿の学級の Shirube 拡張列 metadata.shirube.disabilityType から。書かれていない学級の児童生徒は「障害種別の記載なし」。
-- description.en: Students enrolled in a special-needs class (特別支援学級), by the class's type of disability and by sex; the type comes from the roster class's Shirube extension column metadata.shirube.disabilityType (a class without one: "not given").
-- unit: students
-- dimensions: disability, sex
-- parameters: academic_year
-- sources: enrolments, homerooms
-- answers: 学校基本調査 — 児童生徒数のうち特別支援学級在籍者(障害種別)
SELECT e.school_code, coalesce(h.disability_type, 'unspecified') AS disability, coalesce(s.sex, 'unspecified') AS sex,
       count(*) AS value
FROM enrolments e
JOIN students s ON s.student_pid = e.student_pid
LEFT JOIN homerooms h ON h.homeroom_id = e.homeroom_id AND h.academic_year = e.academic_year
WHERE e.academic_year = $academic_year
  AND e.special_needs
  AND ($schools::VARCHAR[] IS NULL OR e.school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
