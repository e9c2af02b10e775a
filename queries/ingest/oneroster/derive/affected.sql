-- The affected (school, 年度) pairs ({{into}}): every school the package touches in every year it touches.
CREATE TABLE {{into}} AS SELECT s.school_code, y.academic_year FROM {{affected_schools}} s, {{affected_years}} y
