-- The 年度 of a package's classes ({{classes}}): each class's earliest term's, from the sessions after this
-- package ({{sessions}}).
(SELECT DISTINCT academic_year FROM (
   SELECT c.line, min(s.academic_year) AS academic_year
   FROM (SELECT line, unnest(term_ids) AS term_id FROM {{classes}} WHERE NOT rejected AND NOT deleting) c
   JOIN {{sessions}} s ON s.session_id = c.term_id AND s.status = 'active' AND s.academic_year IS NOT NULL
   GROUP BY c.line))
