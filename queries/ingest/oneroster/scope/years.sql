-- The school years a package covers ({{into}}): those of its classes ({{class_years}}: a class's 年度 is its
-- earliest term's); a package without classes covers the years of its schoolYear sessions
-- ({{session_years}}), or, lacking those, of all its sessions. Listing old sessions does not widen the scope,
-- since SIS exports often carry every session ever.
CREATE TABLE {{into}} AS
WITH class_years AS {{class_years}}, session_years AS {{session_years}}
SELECT academic_year FROM class_years
UNION SELECT academic_year FROM session_years WHERE school_year AND NOT EXISTS (SELECT 1 FROM class_years)
UNION SELECT academic_year FROM session_years
  WHERE NOT EXISTS (SELECT 1 FROM class_years) AND NOT EXISTS (SELECT 1 FROM session_years WHERE school_year)
