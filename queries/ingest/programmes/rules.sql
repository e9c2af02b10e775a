-- What makes a programme participation row (`programme_id,programme_name,school_code,start_date,end_date`)
-- an error, besides the school code's rules (values/school-code.sql), the dates' form
-- (values/date-form.sql) and free text (values/text.sql).

-- @rule programme_id_required
-- @severity error
-- @column programme_id
-- @applies file
-- @says_ja programme_id（事業の ID）は必須です
-- @says programme_id is required
-- @when
programme_id IS NULL;

-- @rule programme_name_required
-- @severity error
-- @column programme_name
-- @applies file
-- @says_ja programme_name（事業名）は必須です
-- @says programme_name is required
-- @when
programme_name IS NULL;

-- @rule programme_two_names
-- @severity error
-- @column programme_name
-- @says_ja 同じ programme_id に 2 つの違う名前があります
-- @says one programme_id with two different names
-- @when
programme_id IN (SELECT programme_id FROM {{rows}} GROUP BY programme_id HAVING count(DISTINCT programme_name) > 1);

-- @rule start_not_a_date
-- @severity error
-- @column start_date
-- @applies file
-- @says_ja 日付（YYYY-MM-DD）ではありません
-- @says not a date (YYYY-MM-DD)
-- @when
start_day IS NULL;

-- @rule end_not_a_date
-- @severity error
-- @column end_date
-- @applies file
-- @says_ja 日付（YYYY-MM-DD）ではありません
-- @says not a date (YYYY-MM-DD)
-- @when
end_date IS NOT NULL AND end_day IS NULL;

-- @rule end_before_start
-- @severity error
-- @column end_date
-- @says_ja end_date が start_date より前です
-- @says end_date is before start_date
-- @when
end_day < start_day;

-- @rule repeated_participation
-- @severity error
-- @column start_date
-- @value NULL
-- @says_ja 同じ事業・学校・開始日の行が前にあります
-- @says repeats an earlier row for the same programme, school and start date
-- @when
line IN (SELECT line FROM (SELECT line, min(line) OVER (PARTITION BY programme_id, school_code, start_day) AS first_line FROM {{rows}}
                           WHERE (programme_id, school_code, start_day) IN (
                             SELECT (programme_id, school_code, start_day) FROM {{rows}}
                             WHERE programme_id IS NOT NULL AND school_code IS NOT NULL AND start_day IS NOT NULL
                             GROUP BY ALL HAVING count(*) > 1))
         WHERE line <> first_line);
