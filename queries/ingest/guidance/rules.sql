-- What makes a 生徒指導 record (`school_code,student_id,recorded_on,category,type_code,discovered_by,
-- resolved,serious`) an error, besides the per-student rules (student-facts/rules.sql).

-- @rule category_vocabulary
-- @severity error
-- @column category
-- @applies file
-- @says_ja category は bullying（いじめ）、violence（暴力行為）、other（その他）のどれかにしてください
-- @says category must be one of bullying, violence, other
-- @when
category IS NULL OR category NOT IN ('bullying', 'violence', 'other');

-- いじめの態様 (MEXT bullying survey): 1 冷やかし・からかい・悪口 … 9 その他.
-- @rule bullying_type
-- @severity error
-- @column type_code
-- @says_ja いじめの記録には文部科学省の態様コード 1〜9（いじめの態様）が必要です
-- @says a bullying record needs a MEXT type code 1–9 (いじめの態様)
-- @when
category = 'bullying' AND (type_code IS NULL OR type_code NOT IN ('1', '2', '3', '4', '5', '6', '7', '8', '9'));

-- 発見のきっかけ (MEXT bullying survey) of a bullying record; a value outside them counts as not recorded.
-- @rule bullying_discovered_by
-- @severity warning
-- @column discovered_by
-- @says_ja いじめの記録の discovered_by が文部科学省の発見のきっかけ（homeroom_teacher, other_staff, school_nurse, counsellor, survey, self_report, parent, peer, other_parent, community, agency, other）のどれでもありません。記録なしとして数えます
-- @says discovered_by of a bullying record is not one of MEXT's 発見のきっかけ (homeroom_teacher, other_staff, school_nurse, counsellor, survey, self_report, parent, peer, other_parent, community, agency, other): it counts as not recorded
-- @when
category = 'bullying' AND discovered_by IS NOT NULL
  AND discovered_by NOT IN ('homeroom_teacher', 'other_staff', 'school_nurse', 'counsellor', 'survey', 'self_report',
                            'parent', 'peer', 'other_parent', 'community', 'agency', 'other');

-- 暴力行為 (MEXT): the form and the place, `<form>_<place>`; another value is counted in no form.
-- @rule violence_type
-- @severity warning
-- @column type_code
-- @says_ja 暴力行為の記録の type_code が <形態>_<場所>（形態は teacher・student・person・property、場所は in・out）ではありません。暴力行為のどの形態にも数えません
-- @says type_code of a violence record is not <form>_<place> (form teacher, student, person or property; place in or out): it is counted in no form of 暴力行為
-- @when
category = 'violence' AND type_code IS NOT NULL
  AND type_code NOT IN ('teacher_in', 'teacher_out', 'student_in', 'student_out', 'person_in', 'person_out',
                        'property_in', 'property_out');

-- @rule resolved_boolean
-- @severity error
-- @column resolved
-- @applies file
-- @says_ja resolved（解消）は true か false にしてください
-- @says resolved must be true or false
-- @when
resolved IS NOT NULL AND lower(resolved) NOT IN ('true', 'false', '1', '0', 'yes', 'no');

-- @rule serious_boolean
-- @severity error
-- @column serious
-- @applies file
-- @says_ja serious（重大事態）は true か false にしてください
-- @says serious must be true or false
-- @when
serious IS NOT NULL AND lower(serious) NOT IN ('true', 'false', '1', '0', 'yes', 'no');

-- The natural key is (student, date, category, type); a newer row for it replaces the older one.
-- @rule repeated_record
-- @severity error
-- @column recorded_on
-- @value NULL
-- @says_ja 同じ児童生徒・日付・区分・態様の行が前にあります
-- @says repeats an earlier row for the same student, date, category and type
-- @when
line IN (SELECT line FROM (SELECT line, min(line) OVER (PARTITION BY sid, day, category, coalesce(type_code, '')) AS first_line FROM {{rows}}
                           WHERE (sid, day, category, coalesce(type_code, '')) IN (
                             SELECT (sid, day, category, coalesce(type_code, '')) FROM {{rows}}
                             WHERE sid IS NOT NULL AND day IS NOT NULL AND category IS NOT NULL GROUP BY ALL HAVING count(*) > 1))
         WHERE line <> first_line);
