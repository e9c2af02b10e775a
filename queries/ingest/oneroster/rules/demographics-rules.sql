-- The rules of a demographics.csv row (besides row-rules.sql and its user's reference-rules.sql): a birth date
-- (never shown) and a sex from the vocabulary.

-- @rule birth_date
-- @severity error
-- @column birthDate
-- @says_code oneroster.date
-- @param column birthDate
-- @value withheld
-- @when
NOT deleting AND birth_date_given AND birth_year_month IS NULL;

-- @rule sex_vocabulary
-- @severity error
-- @column sex
-- @says_code oneroster.sex
-- @param values $sexes
-- @when
NOT deleting AND sex IS NOT NULL AND NOT list_contains($sexes, sex);
