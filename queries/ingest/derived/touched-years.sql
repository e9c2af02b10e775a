SELECT min(academic_year) AS first_year, max(academic_year) AS last_year FROM temp.derived_touched
