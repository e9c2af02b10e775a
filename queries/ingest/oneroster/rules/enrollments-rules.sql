-- The rules of an enrollments.csv row (besides row-rules.sql and the references to its class, school and
-- user: reference-rules.sql).

-- @rule role_vocabulary
-- @severity error
-- @column role
-- @says_code oneroster.one_of
-- @param column role
-- @param values $enrollment_roles
-- @when
NOT deleting AND coalesce(NOT list_contains($enrollment_roles, role), true);

-- @rule primary_boolean
-- @severity error
-- @column primary
-- @says_code oneroster.boolean
-- @param column primary
-- @when
NOT deleting AND "primary" IS NOT NULL AND is_primary IS NULL;

-- @rule class_required
-- @severity error
-- @column classSourcedId
-- @says_code oneroster.required
-- @param column classSourcedId
-- @when
NOT deleting AND class_id IS NULL;

-- @rule school_required
-- @severity error
-- @column schoolSourcedId
-- @says_code oneroster.required
-- @param column schoolSourcedId
-- @when
NOT deleting AND org_id IS NULL;

-- @rule user_required
-- @severity error
-- @column userSourcedId
-- @says_code oneroster.required
-- @param column userSourcedId
-- @value NULL
-- @when
NOT deleting AND user_missing;
