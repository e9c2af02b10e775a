-- Where each class of a roster sits ({{into}}): its school's code and its 年度, the school year of its earliest
-- term's start date. {{orgs}}, {{sessions}} and {{classes}} are tables with the mirror's columns (the roster
-- state, or the roster after this package).
CREATE TABLE {{into}} AS
SELECT c.class_id, c.class_type, c.title, c.grades, coalesce(c.special_needs, false) AS special_needs,
       CASE WHEN c.special_needs THEN c.disability_type END AS disability_type, o.school_code, min(s.academic_year) AS academic_year
FROM (SELECT *, unnest(term_ids) AS term_id FROM {{classes}} WHERE status = 'active') c
JOIN {{orgs}} o ON o.org_id = c.org_id AND o.status = 'active' AND o.school_code IS NOT NULL
JOIN {{sessions}} s ON s.session_id = c.term_id AND s.status = 'active' AND s.academic_year IS NOT NULL
GROUP BY c.class_id, c.class_type, c.title, c.grades, c.special_needs, c.disability_type, o.school_code
