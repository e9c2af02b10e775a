-- id: guidance.recorded_case
-- title.ja: 生徒指導上の記録
-- title.en: A guidance record
-- description.ja: 基準日までの{within_days}日以内に、種類「{category}」の生徒指導の記録がある(いじめは被害を受けた児童生徒の記録)。値は記録の件数。開始日は最初の記録の日。
-- description.en: A guidance record of kind "{category}" within {within_days} days up to the date (for bullying, the student is the victim). Value = records; since = the first record's date.
-- unit: records
-- sources: guidance_records, enrolments
-- parameters: category:text(bullying|violence|other)=bullying, within_days:integer(7..365)=120
-- urgency: 2
-- flags: with_another
SELECT e.school_code, e.student_pid, CAST(count(*) AS DOUBLE) AS value, min(g.recorded_on) AS since
FROM guidance_records g
JOIN watch_students e ON e.student_pid = g.student_pid AND e.school_code = g.school_code
WHERE g.category = $category AND g.recorded_on <= $as_of AND g.recorded_on > $as_of - CAST($within_days AS INTEGER)
GROUP BY ALL
