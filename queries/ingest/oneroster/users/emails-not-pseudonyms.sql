-- In a pre-pseudonymised package, how many e-mail addresses ({{emails}}) are not pseudonyms (64 hex digits):
-- `shirube pseudonymize` writes the pseudonym of `mailto:<address>` in place of each address.
SELECT count(*) AS n FROM {{emails}} WHERE NOT regexp_full_match(email, '[0-9a-f]{64}')
