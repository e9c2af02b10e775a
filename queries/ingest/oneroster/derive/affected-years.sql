-- The years the package touches ({{into}}): its scope's, those of the classes whose placement may have changed
-- (where they sat before, {{place_old}}, and sit after, {{place_new}}), and the year a changed user's row now
-- describes ({{users}}), not the one before: moving up to a new year leaves last year's enrolment and staff
-- count as they were.
CREATE TABLE {{into}} AS
SELECT academic_year FROM {{scope_years}}
UNION SELECT academic_year FROM (SELECT * FROM {{place_old}} UNION ALL SELECT * FROM {{place_new}})
  WHERE class_id IN (SELECT class_id FROM {{changed_classes}})
UNION SELECT academic_year FROM {{users}} WHERE user_pid IN (SELECT user_pid FROM {{changed_users}}) AND academic_year IS NOT NULL
