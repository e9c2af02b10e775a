-- The classes of the roster state ({{places}}: where each sits) in the package's scope ({{scope_schools}},
-- {{scope_years}}).
(SELECT class_id FROM {{places}} p
 WHERE (p.school_code IN (SELECT school_code FROM {{scope_schools}}) AND p.academic_year IN (SELECT academic_year FROM {{scope_years}})))
