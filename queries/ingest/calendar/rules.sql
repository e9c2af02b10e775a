-- What makes a school calendar row (`school_code,date`, one row per school day) an error or a warning,
-- besides the school code's rules (values/school-code.sql) and the date's form (values/date-form.sql).

-- @rule not_a_date
-- @severity error
-- @column date
-- @applies file
-- @says_ja 日付（YYYY-MM-DD）ではありません
-- @says not a date (YYYY-MM-DD)
-- @when
day IS NULL;

-- @rule weekend
-- @severity warning
-- @column date
-- @says_ja 土曜日か日曜日が授業日になっています
-- @says a Saturday or Sunday listed as a school day
-- @when
dayofweek(day) IN (0, 6);

-- @rule repeated_day
-- @severity warning
-- @column date
-- @value NULL
-- @says_ja 同じ学校・同じ日の行が前にあります（1 つとして扱います）
-- @says repeats an earlier row for the same school and day (kept once)
-- @when
line IN (SELECT line FROM (SELECT line, min(line) OVER (PARTITION BY school_code, day) AS first_line FROM {{rows}}
                           WHERE (school_code, day) IN (SELECT (school_code, day) FROM {{rows}}
                                                        WHERE school_code IS NOT NULL AND day IS NOT NULL GROUP BY ALL HAVING count(*) > 1))
         WHERE line <> first_line);
