-- A kept role ({{content}}: ../people/kept-role.sql; roles of parents are dropped unchecked) must name a user
-- (and one of users.csv or earlier rosters: reference-rules.sql).

-- @rule user_required
-- @severity error
-- @column userSourcedId
-- @says_code oneroster.required
-- @param column userSourcedId
-- @value NULL
-- @when
{{content}} AND user_missing;
