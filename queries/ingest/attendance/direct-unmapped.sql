-- The IDs the first read did not pseudonymise (not plain, or no key's pads there).
(SELECT id FROM {{read_ids}} WHERE pid IS NULL)
