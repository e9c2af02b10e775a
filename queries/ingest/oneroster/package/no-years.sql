-- No school years: what a set of 年度 is when the package has no file for it.
(SELECT NULL::INTEGER AS academic_year WHERE false)
