-- The rules every per-student row meets (attendance, assessments, guidance), over the staged rows
-- ({{rows}}: school_code, sid, day, academic_year, student_id_missing, student_id_not_pseudonym and the
-- feed's columns; {{date}}: the feed's date column as written). A feed's own rules are in its own file.
-- Rules that read the file's values as written (@applies file) are checked on rows staged one by one;
-- the others also on the rows a direct load wrote (src/ingest/staging/rule-engine.ts). A guard counts
-- what could make the rule fire, on the combinations ({{combos}}) or the schools named ({{schools}}):
-- a rule that cannot fire is not run over the rows.

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
-- @guard
SELECT count(*) AS n FROM {{schools}} WHERE NOT valid;
-- @when
school_code IN (SELECT school_code FROM {{schools}} WHERE NOT valid);

-- @rule school_unknown
-- @severity error
-- @column school_code
-- @says_ja データベースにもこのバッチの名簿にもない学校です
-- @says school is not in the warehouse or in this batch’s rosters
-- @guard
SELECT count(*) AS n FROM {{schools}} WHERE valid AND NOT known;
-- @when
school_code IN (SELECT school_code FROM {{schools}} WHERE valid AND NOT known);

-- @rule school_out_of_scope
-- @severity error
-- @column school_code
-- @needs scope_school
-- @says_ja 学校の利用者が送れるのは自校の行だけです
-- @says a school may upload rows of its own school only
-- @guard
SELECT count(*) AS n FROM {{schools}} WHERE school_code <> $scope_school;
-- @when
school_code <> $scope_school;

-- @rule student_id_required
-- @severity error
-- @column student_id
-- @value NULL
-- @applies file
-- @says_ja student_id（児童生徒の ID）は必須です
-- @says student_id is required
-- @when
student_id_missing;

-- @rule student_id_not_pseudonym
-- @severity error
-- @column student_id
-- @value withheld
-- @applies file
-- @needs pre_pseudonymized
-- @says_ja 仮名（16 進数 64 桁）ではありません。先に `shirube pseudonymize` で仮名化するか、--pre-pseudonymized を付けずに読み込んでください
-- @says not a pseudonym (64 hex digits): pseudonymise the file with `shirube pseudonymize` first, or ingest without --pre-pseudonymized
-- @when
student_id_not_pseudonym;

-- @rule student_unknown
-- @severity error
-- @column student_id
-- @value withheld
-- @applies file
-- @says_ja student_id がどの名簿の児童生徒（sourcedId または userIds）にも合いません
-- @says student_id matches no roster student (sourcedId or userIds)
-- @when
NOT student_id_missing AND sid IS NULL;

-- @rule date_required
-- @severity error
-- @column {{date}}
-- @applies file
-- @says_ja {{date}} は必須です
-- @says {{date}} is required
-- @when
{{date}} IS NULL;

-- @rule not_a_date
-- @severity error
-- @column {{date}}
-- @applies file
-- @says_ja 日付（YYYY-MM-DD）ではありません
-- @says not a date (YYYY-MM-DD)
-- @when
{{date}} IS NOT NULL AND day IS NULL;

-- @rule date_in_future
-- @severity error
-- @column {{date}}
-- @says_ja 未来の日付です
-- @says date is in the future
-- @when
day > current_date;

-- @rule not_enrolled
-- @severity error
-- @column student_id
-- @value withheld
-- @says_ja その年度、この児童生徒はこの学校に在籍していません（名簿）
-- @says student is not enrolled at this school in that school year (roster)
-- @prepare
CREATE TABLE {{not_enrolled}} AS
SELECT sid, school_code, academic_year FROM {{combos}}
WHERE sid IS NOT NULL AND academic_year IS NOT NULL AND school_code IN (SELECT school_code FROM {{schools}} WHERE valid)
EXCEPT
SELECT s.sid, e.school_code, e.academic_year FROM ingest_staging.known_enrolments e JOIN {{students}} s ON s.student_pid = e.student_pid;
-- @guard
SELECT count(*) AS n FROM {{not_enrolled}};
-- @when
(sid, school_code, academic_year) IN (SELECT (sid, school_code, academic_year) FROM {{not_enrolled}});
