-- The rules of a roles.csv row (besides row-rules.sql and its org's reference-rules.sql; its user is checked
-- once users are known: role-users-rules.sql).

-- @rule role_vocabulary
-- @severity error
-- @column role
-- @says_code oneroster.one_of
-- @param column role
-- @param values $user_roles
-- @when
NOT deleting AND coalesce(NOT list_contains($user_roles, role), true);

-- @rule role_type_vocabulary
-- @severity error
-- @column roleType
-- @says_code oneroster.either
-- @param column roleType
-- @param values $role_types
-- @when
NOT deleting AND coalesce(NOT list_contains($role_types, role_type), true);

-- @rule org_required
-- @severity error
-- @column orgSourcedId
-- @says_code oneroster.required
-- @param column orgSourcedId
-- @when
NOT deleting AND org_id IS NULL;
