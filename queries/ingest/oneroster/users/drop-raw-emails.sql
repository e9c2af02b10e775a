-- Addresses of a pre-pseudonymised package that are not pseudonyms are raw: neither passed as a pseudonym nor kept.
DELETE FROM {{emails}} WHERE NOT regexp_full_match(email, '[0-9a-f]{64}')
