-- The rows of attendance-as-of (bound as as_of_rows) with the homeroom in place of the school code, so that
-- a metric's own SQL, which groups by school_code, gives its figure per homeroom ('' = no homeroom).
SELECT * REPLACE (coalesce(homeroom_id, '') AS school_code) FROM as_of_rows
