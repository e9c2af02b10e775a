-- Scores as numbers; subjects lowercased.
ALTER TABLE {{table}} ADD COLUMN score_value DOUBLE;
ALTER TABLE {{table}} ADD COLUMN max_value DOUBLE;
UPDATE {{table}} SET score_value = TRY_CAST(score AS DOUBLE), max_value = TRY_CAST(max_score AS DOUBLE), subject = lower(subject);
