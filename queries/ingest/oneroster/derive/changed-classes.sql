-- The classes whose placement may have changed ({{into}}): changed classes, the classes of changed enrollments
-- (before, {{state_enrollments}}, and after, {{enrollments}}), and the classes ({{classes}}) of changed sessions.
CREATE TABLE {{into}} AS
SELECT class_id FROM {{changed_classes}}
UNION SELECT class_id FROM {{state_enrollments}} WHERE enrollment_pid IN {{changed_enrollments}}
UNION SELECT class_id FROM {{enrollments}} WHERE enrollment_pid IN {{changed_enrollments}}
UNION SELECT class_id FROM (SELECT class_id, unnest(term_ids) AS term_id FROM {{classes}}) WHERE term_id IN {{changed_sessions}}
