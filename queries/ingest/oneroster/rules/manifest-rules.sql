-- The rules of manifest.csv (`propertyName,value`; besides repeat-rules.sql): a propertyName, oneroster.version
-- 1.1 or 1.2, and `file.<name>` bulk, delta or absent.

-- @rule property_required
-- @severity error
-- @column propertyName
-- @says_code oneroster.required
-- @param column propertyName
-- @when
"propertyName" IS NULL;

-- @rule version
-- @severity error
-- @column value
-- @says_code oneroster.either
-- @param column oneroster.version
-- @param values $versions
-- @when
"propertyName" = 'oneroster.version' AND coalesce(NOT list_contains($versions, value), true);

-- @rule file_mode
-- @severity error
-- @column value
-- @says_code oneroster.file_mode
-- @param values $file_modes
-- @when
starts_with("propertyName", 'file.') AND coalesce(NOT list_contains($file_modes, value), true);
