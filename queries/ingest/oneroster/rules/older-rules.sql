-- A delta row older than the row already loaded for its key (stale: ../package/mark-stale.sql) is not
-- applied: a warning.

-- @rule older
-- @severity warning
-- @column dateLastModified
-- @says_code oneroster.older_ignored
-- @when
stale;
