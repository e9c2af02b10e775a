-- Rules for a `school_code` column of a table that also has `school_code_valid` (the MEXT check digit,
-- checked in Node): present, a valid code, a known school, and for a school user its own school.

-- @rule school_code_required
-- @severity error
-- @column school_code
-- @applies file
-- @says_ja school_code（学校コード）は必須です
-- @says school_code is required
-- @when
school_code IS NULL;

-- @rule school_code_invalid
-- @severity error
-- @column school_code
-- @says_ja 正しい学校コード（文部科学省、13 桁、検査数字つき）ではありません
-- @says not a valid MEXT school code (13 characters, check digit)
-- @when
school_code IS NOT NULL AND NOT school_code_valid;

-- @rule school_unknown
-- @severity error
-- @column school_code
-- @says_ja データベースにもこのバッチの名簿にもない学校です
-- @says school is not in the warehouse or in this batch’s rosters
-- @when
school_code_valid AND school_code NOT IN (SELECT school_code FROM ingest_staging.known_schools);

-- @rule school_out_of_scope
-- @severity error
-- @column school_code
-- @needs scope_school
-- @says_ja 学校の利用者が送れるのは自校の行だけです
-- @says a school may upload rows of its own school only
-- @when
school_code <> $scope_school;
