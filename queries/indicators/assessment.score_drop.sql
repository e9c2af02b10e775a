-- id: assessment.score_drop
-- title.ja: 学力調査の得点の低下
-- title.en: Assessment score drop
-- description.ja: 教科の最新の結果(基準日までの{within_days}日以内)が、同じ教科の前回の結果より{drop_points}ポイント(百分率)以上低い。値は最も大きい低下。開始日は最新の結果の日。
-- description.en: The latest result in a subject (within {within_days} days up to the date) is at least {drop_points} percentage points below the student's previous result in that subject. Value = the largest drop; since = the latest result's date.
-- unit: points
-- sources: assessment_results, enrolments
-- parameters: drop_points:integer(1..100)=15, within_days:integer(30..400)=200
-- urgency: 1
-- flags: with_another
WITH results AS (
  SELECT student_pid, subject, administered_on, 100.0 * score / max_score AS pct,
         lag(100.0 * score / max_score) OVER (PARTITION BY student_pid, subject ORDER BY administered_on) AS previous_pct,
         row_number() OVER (PARTITION BY student_pid, subject ORDER BY administered_on DESC) AS latest
  FROM assessment_results
  WHERE administered_on <= $as_of AND max_score > 0
    AND student_pid IN (SELECT student_pid FROM enrolments WHERE academic_year = $academic_year
                        AND ($schools::VARCHAR[] IS NULL OR list_contains($schools::VARCHAR[], school_code)))
)
SELECT e.school_code, e.student_pid, round(max(r.previous_pct - r.pct), 1) AS value, max(r.administered_on) AS since
FROM results r
JOIN enrolments e ON e.student_pid = r.student_pid AND e.academic_year = $academic_year
WHERE r.latest = 1 AND r.administered_on > $as_of - CAST($within_days AS INTEGER) AND r.previous_pct - r.pct >= $drop_points
  AND ($schools::VARCHAR[] IS NULL OR list_contains($schools::VARCHAR[], e.school_code))
GROUP BY ALL
