-- Classes a bulk classes.csv ({{classes}}) removes ({{into}}): those of the roster state ({{places}}: where each
-- sits) in the package's scope ({{scope_schools}}, {{scope_years}}) that it does not list.
CREATE TABLE {{into}} AS
SELECT class_id FROM {{places}} p
WHERE (p.school_code IN (SELECT school_code FROM {{scope_schools}}) AND p.academic_year IN (SELECT academic_year FROM {{scope_years}}))
  AND class_id NOT IN (SELECT class_id FROM {{classes}} WHERE class_id IS NOT NULL)
