INSERT INTO main.pseudonym_key (fingerprint) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM main.pseudonym_key)
