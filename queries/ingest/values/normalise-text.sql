-- After validation: each run of control characters in a free-text column becomes one space (text.sql warned of it).
UPDATE {{table}} SET {{text}} = trim(regexp_replace({{text}}, '[\x00-\x1f\x7f]+', ' ', 'g'))
WHERE regexp_matches({{text}}, '[\x00-\x1f\x7f]')
