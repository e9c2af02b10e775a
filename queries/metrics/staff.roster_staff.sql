-- id: staff.roster_staff
-- title.ja: 名簿上の教職員数
-- title.en: Staff in the roster
-- description.ja: 名簿(OneRoster)で学校に所属する教職員の数(名簿の役割別:teacher・administrator・aide)。職名(教諭・講師など)と性別は名簿にないため、学校基本調査の教員数・職員数の参考値。
-- description.en: Staff the roster (OneRoster) places at the school, by roster role (teacher, administrator, aide). The roster carries neither the 職名 (教諭, 講師 …) nor staff members' sex: a reference figure for the School Basic Survey's staff counts.
-- unit: staff
-- dimensions: staff_role
-- parameters: academic_year
-- sources: staff_counts
-- answers: 学校基本調査 — 教員数・職員数(参考値)
SELECT school_code, role AS staff_role, sum(staff) AS value
FROM staff_counts
WHERE academic_year = $academic_year
  AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
