-- With pre-pseudonymised input (--pre-pseudonymized), an ID that is not a pseudonym is an error: raw IDs
-- must not slip in under that flag.

-- @rule not_a_pseudonym
-- @severity error
-- @column {{id}}
-- @value withheld
-- @applies file
-- @says_ja 仮名（16 進数 64 桁）ではありません。先に `shirube pseudonymize` で仮名化するか、--pre-pseudonymized を付けずに読み込んでください
-- @says not a pseudonym (64 hex digits): pseudonymise the file with `shirube pseudonymize` first, or ingest without --pre-pseudonymized
-- @when
{{id}} IS NOT NULL AND NOT regexp_full_match({{id}}, '[0-9a-f]{64}');
