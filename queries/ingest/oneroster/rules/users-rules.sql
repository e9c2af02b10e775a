-- The rules of a users.csv row that do not depend on its role (besides row-rules.sql and the references to
-- its orgs and home class: list-reference-rules.sql, reference-rules.sql); {{classes}}: the classes after this
-- package. A 1.1 row ($v11) carries its role and orgs itself.

-- @rule enabled_user
-- @severity error
-- @column enabledUser
-- @says_code oneroster.enabled_user
-- @when
NOT deleting AND enabled IS NULL;

-- @rule user_ids_form
-- @severity error
-- @column userIds
-- @says_code oneroster.user_ids_form
-- @value withheld
-- @when
NOT deleting AND user_ids_malformed;

-- @rule home_class_not_homeroom
-- @severity warning
-- @column metadata.jp.homeClass
-- @says_code oneroster.home_class_not_homeroom
-- @when
NOT deleting AND home_class_id IN (SELECT class_id FROM {{classes}} WHERE status = 'active' AND class_type <> 'homeroom');

-- @rule role_vocabulary
-- @severity error
-- @column role
-- @needs v11
-- @says_code oneroster.one_of
-- @param column role
-- @param values $user_roles
-- @when
NOT deleting AND coalesce(NOT list_contains($user_roles, role), true);

-- @rule orgs_required
-- @severity error
-- @column orgSourcedIds
-- @needs v11
-- @says_code oneroster.required
-- @param column orgSourcedIds
-- @when
NOT deleting AND len(org_ids) = 0;
