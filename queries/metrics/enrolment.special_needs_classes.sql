-- id: enrolment.special_needs_classes
-- title.ja: 特別支援学級数(障害種別)
-- title.en: Special-needs classes by type of disability
-- description.ja: 特別支援学級の数を障害種別(知的障害、肢体不自由、病弱・身体虚弱、弱視、難聴、言語障害、自閉症・情緒障害)ごとに数える。障害種別は名簿の学級の Shirube 拡張列 metadata.shirube.disabilityType から。書かれていない学級は「障害種別の記載なし」。
-- description.en: Special-needs classes (特別支援学級) by type of disability (intellectual, physical, health impairment, low vision, hearing, speech and language, autism or emotional disturbance), from the roster class's Shirube extension column metadata.shirube.disabilityType; a class without one counts as "not given".
-- unit: classes
-- dimensions: disability
-- parameters: academic_year
-- sources: homerooms
-- answers: 学校基本調査 — 学級数のうち特別支援学級(障害種別)
SELECT school_code, coalesce(disability_type, 'unspecified') AS disability, count(*) AS value
FROM homerooms
WHERE academic_year = $academic_year
  AND special_needs
  AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
