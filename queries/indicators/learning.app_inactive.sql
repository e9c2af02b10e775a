-- id: learning.app_inactive
-- title.ja: 学習アプリの利用がない
-- title.en: No learning-app activity
-- description.ja: 基準日までの{weeks}週間、学習アプリの記録がない一方、同じ学級の{class_active_percent}%以上に記録がある。値は最後の記録からの週数(記録がなければ空)。開始日は最後の記録の翌日。
-- description.en: No learning-app statement in the {weeks} weeks up to the date while {class_active_percent}% or more of the homeroom have some. Value = weeks since the last statement (empty when none); since = the day after the last one.
-- unit: weeks
-- sources: learning_activity, enrolments
-- parameters: weeks:integer(1..26)=4, class_active_percent:integer(1..100)=50
-- urgency: 1
-- flags: with_another
-- Who was active is read from the statements of the last {weeks} weeks alone; the last statement's day is looked
-- for only for the students the indicator fires for (inactive, in a class active enough).
WITH members AS (
  SELECT school_code, homeroom_id, student_pid FROM watch_students WHERE homeroom_id IS NOT NULL
),
recent_use AS (
  SELECT DISTINCT student_pid
  FROM learning_activity
  WHERE academic_year = $academic_year AND student_pid IS NOT NULL
    AND ts >= CAST($as_of - 7 * CAST($weeks AS INTEGER) + 1 AS TIMESTAMPTZ) AND ts < CAST($as_of + 1 AS TIMESTAMPTZ)
),
marked AS (
  SELECT m.*, r.student_pid IS NOT NULL AS active
  FROM members m LEFT JOIN recent_use r ON r.student_pid = m.student_pid
),
classes AS (
  SELECT school_code, homeroom_id, avg(CAST(active AS INTEGER)) * 100 AS active_percent
  FROM marked
  GROUP BY ALL
),
inactive AS (
  SELECT m.school_code, m.student_pid
  FROM marked m
  JOIN classes c ON c.school_code = m.school_code AND c.homeroom_id = m.homeroom_id
  WHERE NOT m.active AND c.active_percent >= $class_active_percent
),
last_use AS (
  SELECT student_pid, CAST(max(ts) AS DATE) AS last_day
  FROM learning_activity
  WHERE academic_year = $academic_year AND ts < CAST($as_of + 1 AS TIMESTAMPTZ)
    AND student_pid IN (SELECT student_pid FROM inactive)
  GROUP BY student_pid
)
SELECT i.school_code, i.student_pid, CAST(($as_of - l.last_day) // 7 AS DOUBLE) AS value,
       coalesce(l.last_day + 1, $as_of - 7 * CAST($weeks AS INTEGER) + 1) AS since
FROM inactive i LEFT JOIN last_use l ON l.student_pid = i.student_pid
