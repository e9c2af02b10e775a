-- The pseudonym key's fingerprint the warehouse recorded at its first load.
SELECT fingerprint FROM pseudonym_key ORDER BY recorded_at LIMIT 1
