-- With pre-pseudonymised input (--pre-pseudonymized), an ID that is not a pseudonym is an error: raw IDs
-- must not slip in under that flag.

-- @rule not_a_pseudonym
-- @severity error
-- @column {{id}}
-- @value withheld
-- @applies file
-- @says not a pseudonym (64 hex digits): pseudonymise the file with `shirube pseudonymize` first, or ingest without --pre-pseudonymized
-- @when
{{id}} IS NOT NULL AND NOT regexp_full_match({{id}}, '[0-9a-f]{64}');
