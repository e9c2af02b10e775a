-- The homerooms of the affected (school, 年度) pairs ({{into}}, d_homerooms), from where the classes after this
-- package sit ({{places}}).
CREATE TABLE {{into}} AS
SELECT p.class_id AS homeroom_id, p.school_code, p.academic_year, p.title, coalesce(p.grades, []::VARCHAR[]) AS grades, p.special_needs,
       p.disability_type
FROM {{places}} p JOIN {{affected}} a ON a.school_code = p.school_code AND a.academic_year = p.academic_year
WHERE p.class_type = 'homeroom'
