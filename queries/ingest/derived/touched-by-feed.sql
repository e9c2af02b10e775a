-- The schools and years a feed's load touched ({{years}}, a staging or temp table the feed made), with
-- whether attendance or a calendar touched them ($1, $2).
INSERT INTO temp.derived_touched
SELECT DISTINCT school_code, academic_year, $1::BOOLEAN, $2::BOOLEAN FROM {{years}}
WHERE school_code IS NOT NULL AND academic_year IS NOT NULL
ON CONFLICT DO UPDATE SET by_attendance = by_attendance OR excluded.by_attendance, by_calendar = by_calendar OR excluded.by_calendar
