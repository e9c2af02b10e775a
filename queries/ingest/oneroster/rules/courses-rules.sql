-- The rules of a courses.csv row (besides row-rules.sql and its org's and school year's reference-rules.sql).

-- @rule title_required
-- @severity error
-- @column title
-- @says_code oneroster.required
-- @param column title
-- @when
NOT deleting AND title IS NULL;

-- @rule org_required
-- @severity error
-- @column orgSourcedId
-- @says_code oneroster.required
-- @param column orgSourcedId
-- @when
NOT deleting AND org_id IS NULL;
