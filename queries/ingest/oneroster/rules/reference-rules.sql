-- Two rules for a column ({{column}}, the ID it gives in {{id}}) that refers to another entity, on the rows
-- {{content}} selects: an ID that exists nowhere (not among the IDs a row may name, {{active}}: the package's
-- and the roster's) and an ID whose row in this package was rejected ({{rejected}}), so that the defect is
-- named where it is. $what and $what_file name the entity and its file in the words.

-- @rule unknown
-- @severity error
-- @column {{column}}
-- @says_code oneroster.reference_unknown
-- @param column {{column}}
-- @param what $what
-- @param file $what_file
-- @when
{{content}} AND {{id}} IS NOT NULL AND {{id}} NOT IN {{active}} AND {{id}} NOT IN {{rejected}};

-- @rule rejected
-- @severity error
-- @column {{column}}
-- @says_code oneroster.reference_rejected
-- @param column {{column}}
-- @param what $what
-- @param file $what_file
-- @when
{{content}} AND {{id}} IS NOT NULL AND {{id}} NOT IN {{active}} AND {{id}} IN {{rejected}};
