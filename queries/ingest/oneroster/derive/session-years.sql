-- The 年度 of the schoolYear sessions this package applies ({{sessions}}: its academicSessions.csv).
(SELECT academic_year FROM {{sessions}} WHERE wins AND NOT deleting AND type = 'schoolYear' AND academic_year IS NOT NULL)
