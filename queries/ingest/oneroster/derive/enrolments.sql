-- The enrolments of the affected (school, 年度) pairs ({{affected}}) ({{into}}, d_enrolments). The homeroom of an
-- enrolment: the one metadata.jp.homeClass names, else a special-needs class (特別支援学級: a student on two
-- rosters is counted there), else the first by ID. The grade is the user's for the year their row describes;
-- for an earlier year (past) the load keeps the grade already there.
CREATE TABLE {{into}} AS
SELECT c.user_pid AS student_pid, c.school_code, c.academic_year,
       CASE WHEN su.academic_year IS NULL OR c.academic_year = su.academic_year THEN su.grade END AS grade,
       coalesce(c.academic_year < su.academic_year, false) AS past,
       min_by(c.homeroom_id, c.pref) FILTER (WHERE c.homeroom_id IS NOT NULL) AS homeroom_id,
       coalesce(min_by(c.special_needs, c.pref) FILTER (WHERE c.homeroom_id IS NOT NULL), false) AS special_needs
FROM (SELECT *, CASE WHEN from_home_class THEN '0' WHEN special_needs THEN '1' ELSE '2' END || coalesce(homeroom_id, '') AS pref FROM {{candidates}}) c
JOIN {{student_users}} su ON su.user_pid = c.user_pid
JOIN {{affected}} a ON a.school_code = c.school_code AND a.academic_year = c.academic_year
GROUP BY c.user_pid, c.school_code, c.academic_year, su.academic_year, su.grade
