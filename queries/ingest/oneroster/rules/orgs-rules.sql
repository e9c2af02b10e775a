-- The rules of an orgs.csv row (besides row-rules.sql and its parent's reference-rules.sql), over its package
-- table ({{table}}, bare name {{self}}); {{state}}: the roster state's orgs. A school's identifier is its
-- MEXT school code: valid, and no other org's.

-- @rule name_required
-- @severity error
-- @column name
-- @says_code oneroster.required
-- @param column name
-- @when
NOT deleting AND name IS NULL;

-- @rule type_vocabulary
-- @severity error
-- @column type
-- @says_code oneroster.one_of
-- @param column type
-- @param values $org_types
-- @when
NOT deleting AND coalesce(NOT list_contains($org_types, type), true);

-- @rule identifier_invalid
-- @severity error
-- @column identifier
-- @says_code oneroster.identifier_invalid
-- @when
NOT deleting AND type = 'school' AND identifier IS NOT NULL AND NOT identifier_valid;

-- @rule identifier_missing
-- @severity warning
-- @column identifier
-- @says_code oneroster.identifier_missing
-- @value school_code
-- @when
NOT deleting AND type = 'school' AND identifier IS NULL;

-- @rule identifier_twice
-- @severity error
-- @column identifier
-- @says_code oneroster.identifier_twice
-- @when
NOT deleting AND school_code IS NOT NULL AND (
  EXISTS (SELECT 1 FROM {{table}} o WHERE o.school_code = {{self}}.school_code AND o.org_id <> {{self}}.org_id AND NOT o.deleting)
  OR EXISTS (SELECT 1 FROM {{state}} s WHERE s.status = 'active' AND s.school_code = {{self}}.school_code AND s.org_id <> {{self}}.org_id
             AND s.org_id NOT IN (SELECT org_id FROM {{table}} WHERE org_id IS NOT NULL)));
