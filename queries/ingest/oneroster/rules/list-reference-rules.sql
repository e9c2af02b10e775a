-- reference-rules.sql for a comma-list column ({{column}}: termSourcedIds, orgSourcedIds): {{refs}} holds one
-- (line, id) per listed ID of the validated table ({{self}}, its bare name: ../package/list-refs.sql); the
-- problem's value lists the IDs at fault.

-- @rule unknown
-- @severity error
-- @column {{column}}
-- @says_code oneroster.list_unknown
-- @param column {{column}}
-- @param what $what
-- @param file $what_file
-- @value (SELECT string_agg(id, ',' ORDER BY id) FROM (SELECT line, id FROM {{refs}} WHERE id NOT IN {{active}} AND id NOT IN {{rejected}}) b WHERE b.line = {{self}}.line)
-- @when
line IN (SELECT line FROM (SELECT line, id FROM {{refs}} WHERE id NOT IN {{active}} AND id NOT IN {{rejected}}));

-- @rule rejected
-- @severity error
-- @column {{column}}
-- @says_code oneroster.list_rejected
-- @param column {{column}}
-- @param what $what
-- @param file $what_file
-- @value (SELECT string_agg(id, ',' ORDER BY id) FROM (SELECT line, id FROM {{refs}} WHERE id NOT IN {{active}} AND id IN {{rejected}}) b WHERE b.line = {{self}}.line)
-- @when
line IN (SELECT line FROM (SELECT line, id FROM {{refs}} WHERE id NOT IN {{active}} AND id IN {{rejected}}));
