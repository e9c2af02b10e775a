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
-- Only the subjects with two results or more, the latest in the window, can fire: they are found by counting;
-- for them alone, the two latest results (max_by with n = 2, newest first).
WITH repeated AS (
  SELECT student_pid, subject
  FROM assessment_results
  WHERE administered_on <= $as_of AND max_score > 0
  GROUP BY ALL
  HAVING count(*) >= 2 AND max(administered_on) > $as_of - CAST($within_days AS INTEGER)
),
pairs AS (
  SELECT a.student_pid, a.subject, max(a.administered_on) AS latest_on,
         max_by(100.0 * a.score / a.max_score, a.administered_on, 2) AS last_two
  FROM assessment_results a
  SEMI JOIN repeated r ON r.student_pid = a.student_pid AND r.subject = a.subject
  WHERE a.administered_on <= $as_of AND a.max_score > 0
  GROUP BY ALL
)
SELECT e.school_code, e.student_pid, round(max(p.last_two[2] - p.last_two[1]), 1) AS value, max(p.latest_on) AS since
FROM pairs p
JOIN watch_students e ON e.student_pid = p.student_pid
WHERE p.last_two[2] - p.last_two[1] >= $drop_points
GROUP BY ALL
