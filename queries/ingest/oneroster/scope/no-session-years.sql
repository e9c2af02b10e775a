-- A package without academicSessions.csv: no session years.
(SELECT NULL::INTEGER AS academic_year, false AS school_year WHERE false)
