-- What makes a 生徒指導 record (`school_code,student_id,recorded_on,category,type_code,discovered_by,
-- resolved,serious`) an error, besides the per-student rules (student-facts/rules.sql).

-- @rule category_vocabulary
-- @severity error
-- @column category
-- @applies file
-- @says category must be one of bullying, violence, other
-- @when
category IS NULL OR category NOT IN ('bullying', 'violence', 'other');

-- いじめの態様 (MEXT bullying survey): 1 冷やかし・からかい・悪口 … 9 その他.
-- @rule bullying_type
-- @severity error
-- @column type_code
-- @says a bullying record needs a MEXT type code 1–9 (いじめの態様)
-- @when
category = 'bullying' AND (type_code IS NULL OR type_code NOT IN ('1', '2', '3', '4', '5', '6', '7', '8', '9'));

-- @rule resolved_boolean
-- @severity error
-- @column resolved
-- @applies file
-- @says resolved must be true or false
-- @when
resolved IS NOT NULL AND lower(resolved) NOT IN ('true', 'false', '1', '0', 'yes', 'no');

-- @rule serious_boolean
-- @severity error
-- @column serious
-- @applies file
-- @says serious must be true or false
-- @when
serious IS NOT NULL AND lower(serious) NOT IN ('true', 'false', '1', '0', 'yes', 'no');

-- The natural key is (student, date, category, type); a newer row for it replaces the older one.
-- @rule repeated_record
-- @severity error
-- @column recorded_on
-- @value NULL
-- @says repeats an earlier row for the same student, date, category and type
-- @when
line IN (SELECT line FROM (SELECT line, min(line) OVER (PARTITION BY sid, day, category, coalesce(type_code, '')) AS first_line FROM {{rows}}
                           WHERE (sid, day, category, coalesce(type_code, '')) IN (
                             SELECT (sid, day, category, coalesce(type_code, '')) FROM {{rows}}
                             WHERE sid IS NOT NULL AND day IS NOT NULL AND category IS NOT NULL GROUP BY ALL HAVING count(*) > 1))
         WHERE line <> first_line);
