-- id: learning.app_minutes_per_student_week
-- title.ja: 学習アプリ利用時間(児童生徒1人・1週あたり分)
-- title.en: Learning-app minutes per student per week
-- description.ja: 学習アプリのxAPI記録の利用時間(分)の合計 ÷ 在籍者数 ÷ 授業のある週数。
-- description.en: Minutes of learning-app use (xAPI durations) over enrolled students over weeks with school days.
-- unit: minutes
-- dimensions:
-- parameters: academic_year
-- sources: learning_activity, enrolments, school_days
-- answers: 教育委員会独自調査 — 端末・学習アプリの活用状況
WITH enrolled AS (
  SELECT school_code, count(*) AS students
  FROM enrolments
  WHERE academic_year = $academic_year
    AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
  GROUP BY ALL
),
used AS (
  SELECT school_code, sum(duration_s) AS seconds
  FROM learning_activity
  WHERE academic_year = $academic_year AND student_pid IS NOT NULL
  GROUP BY ALL
)
SELECT e.school_code, coalesce(u.seconds, 0) / 60.0 / e.students / d.weeks AS value
FROM enrolled e
JOIN school_year_days d ON d.school_code = e.school_code AND d.academic_year = $academic_year
LEFT JOIN used u ON u.school_code = e.school_code
ORDER BY ALL
