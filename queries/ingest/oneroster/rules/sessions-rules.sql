-- The rules of an academicSessions.csv row (besides row-rules.sql and its parent's reference-rules.sql).

-- @rule title_required
-- @severity error
-- @column title
-- @says_code oneroster.required
-- @param column title
-- @when
NOT deleting AND title IS NULL;

-- @rule type_vocabulary
-- @severity error
-- @column type
-- @says_code oneroster.one_of
-- @param column type
-- @param values $session_types
-- @when
NOT deleting AND coalesce(NOT list_contains($session_types, type), true);

-- @rule start_date
-- @severity error
-- @column startDate
-- @says_code oneroster.date
-- @param column startDate
-- @when
NOT deleting AND start_date IS NULL;

-- @rule end_date
-- @severity error
-- @column endDate
-- @says_code oneroster.date
-- @param column endDate
-- @when
NOT deleting AND end_date IS NULL;

-- @rule end_before_start
-- @severity error
-- @column endDate
-- @says_code oneroster.end_before_start
-- @when
NOT deleting AND end_date < start_date;

-- @rule school_year
-- @severity error
-- @column schoolYear
-- @says_code oneroster.school_year
-- @when
NOT deleting AND school_year IS NULL;
