-- What makes an assessment result row (`school_code,student_id,assessment_id,subject,administered_on,
-- score,max_score`) an error, besides the per-student rules (student-facts/rules.sql) and free text
-- (values/text.sql). Checked after the per-student rules, on the typed scores.

-- @rule assessment_id_required
-- @severity error
-- @column assessment_id
-- @applies file
-- @says_ja assessment_id（調査の ID）は必須です
-- @says assessment_id is required
-- @when
assessment_id IS NULL;

-- @rule subject_required
-- @severity error
-- @column subject
-- @applies file
-- @says_ja subject（教科）は必須です
-- @says subject is required
-- @when
subject IS NULL;

-- @rule score_not_a_number
-- @severity error
-- @column score
-- @applies file
-- @says_ja score（得点）は数値にしてください
-- @says score must be a number
-- @when
score_value IS NULL;

-- @rule max_score_not_positive
-- @severity error
-- @column max_score
-- @says_ja max_score（満点）は 0 より大きい数値にしてください
-- @says max_score must be a number above 0
-- @when
max_value IS NULL OR max_value <= 0;

-- @rule score_out_of_range
-- @severity error
-- @column score
-- @says_ja score は 0 から max_score の間にしてください
-- @says score must be between 0 and max_score
-- @when
score_value < 0 OR score_value > max_value;

-- A newer result for the same student, assessment and subject replaces the older one; within one file,
-- the later rows are errors.
-- @rule repeated_result
-- @severity error
-- @column assessment_id
-- @value NULL
-- @says_ja 同じ児童生徒・調査・教科の行が前にあります
-- @says repeats an earlier row for the same student, assessment and subject
-- @when
line IN (SELECT line FROM (SELECT line, min(line) OVER (PARTITION BY sid, assessment_id, subject) AS first_line FROM {{rows}}
                           WHERE (sid, assessment_id, subject) IN (
                             SELECT (sid, assessment_id, subject) FROM {{rows}}
                             WHERE sid IS NOT NULL AND assessment_id IS NOT NULL AND subject IS NOT NULL GROUP BY ALL HAVING count(*) > 1))
         WHERE line <> first_line);
