-- What a direct load wrote that only rows staged one by one can report: rows breaking a rule without a
-- guard, and dates before 1970 (the spans count such a date as 1970-01-01).
SELECT coalesce(sum(rule_rows), 0) AS rule_rows, coalesce(min(first_day) < DATE '1970-01-01', false) AS before_1970 FROM {{combos}}
