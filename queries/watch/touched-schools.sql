-- The schools whose data batch $batch wrote, and the last attendance day it wrote for each (NULL: no
-- attendance), after the batch committed: the watch lists to refresh. Every fact row names its batch;
-- daily attendance names it by its number (batch_refs).
WITH batch AS (SELECT batch_ref FROM batch_refs WHERE batch_id = CAST($batch AS UUID)),
attendance AS (
  SELECT s.school_code, max(a.day) AS last_day
  FROM attendance_records a JOIN batch b ON b.batch_ref = a.batch_ref JOIN school_refs s ON s.school_ref = a.school_ref
  GROUP BY s.school_code
),
other AS (
  SELECT school_code FROM enrolments WHERE batch_id = $batch
  UNION SELECT school_code FROM school_days WHERE batch_id = $batch
  UNION SELECT school_code FROM guidance_records WHERE batch_id = $batch
  UNION SELECT school_code FROM assessment_results WHERE batch_id = $batch
  UNION SELECT school_code FROM learning_activity WHERE batch_id = $batch AND school_code IS NOT NULL
)
SELECT school_code, CAST(max(last_day) AS VARCHAR) AS last_day
FROM (SELECT school_code, last_day FROM attendance UNION ALL SELECT school_code, NULL FROM other)
GROUP BY school_code
ORDER BY school_code
