-- One warning per actor no roster names and per student without a school that year (unlinked.sql's tables,
-- {{actors}} and {{schoolless}}), at the row of its first statement: never the ID, only how many statements.
-- The words are the catalogue's (src/ingest/problems/xapi-problems.ts).

-- @rule actor_unlinked
-- @severity warning
-- @column actor
-- @says_code xapi.actor_unlinked
-- @value '(withheld): ' || statements || ' statement(s)'
-- @when
true;
