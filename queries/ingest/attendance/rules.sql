-- What makes a daily attendance row (出欠: school_code,student_id,date,status,reason,place) an error or a
-- warning, besides the rules every per-student row meets (queries/ingest/student-facts/rules.sql) and the
-- date's form (queries/ingest/values/date-form.sql). One rule set for both ways a file loads
-- (src/ingest/feeds/attendance.feed.ts): rows staged one by one are checked against every rule; a direct
-- load (attendance-direct.ts) reads status, reason and place as the warehouse's enum types and the date as
-- YYYY-MM-DD, so that a file breaking an @applies file rule declines it, and checks the rows it wrote
-- against the others, declining the load when one could fire. {{rows}}: the staged rows.

-- @rule status_required
-- @severity error
-- @column status
-- @applies file
-- @says_ja status（出欠）は必須です
-- @says status is required
-- @when
status IS NULL;

-- @rule status_vocabulary
-- @severity error
-- @column status
-- @applies file
-- @says_ja status は present（出席）、absent（欠席）、late（遅刻）、early_leave（早退）、suspension（出席停止）、mourning（忌引）、closure（臨時休業等）、counted_present（出席扱い）のどれかにしてください
-- @says status must be one of present, absent, late, early_leave, suspension, mourning, closure, counted_present
-- @when
status NOT IN ('present', 'absent', 'late', 'early_leave', 'suspension', 'mourning', 'closure', 'counted_present');

-- @rule reason_vocabulary
-- @severity error
-- @column reason
-- @applies file
-- @says_ja reason は illness（病気）、economic（経済的理由）、non_attendance（不登校）、covid_avoidance（感染回避）、other（その他）のどれかか、空欄にしてください
-- @says reason must be one of illness, economic, non_attendance, covid_avoidance, other or empty
-- @when
reason NOT IN ('illness', 'economic', 'non_attendance', 'covid_avoidance', 'other');

-- @rule reason_not_absence
-- @severity error
-- @column reason
-- @says_ja 欠席の理由（reason）は欠席（absent）の行にだけ書けます
-- @says a reason is given only for an absence
-- @when
reason IS NOT NULL AND status <> 'absent';

-- @rule place_vocabulary
-- @severity error
-- @column place
-- @applies file
-- @says_ja place（出席扱いの場所）は external_facility（学校外の機関等）、ict_home（自宅でのICT等を活用した学習）、other（その他）のどれかか、空欄にしてください
-- @says place must be one of external_facility, ict_home, other or empty
-- @when
place NOT IN ('external_facility', 'ict_home', 'other');

-- @rule place_not_counted_present
-- @severity error
-- @column place
-- @says_ja 出席扱いの場所（place）は出席扱い（counted_present）の行にだけ書けます
-- @says a place is given only for a day counted present
-- @when
place IS NOT NULL AND status <> 'counted_present';

-- A newer row for the same student and day replaces the older one; within one file, a repeated student
-- and day is an error on the later rows (the first one stands). Counted first on the combinations: the
-- dated rows against the distinct days of each 63-day span.
-- @rule repeated_day
-- @severity error
-- @column date
-- @value NULL
-- @says_ja 同じ児童生徒・同じ日の行が前にあります
-- @says repeats an earlier row for the same student and day
-- @guard
SELECT coalesce(sum(rows - bit_count(days)), 0) AS n FROM (
  SELECT sum(dated_rows) AS rows, bit_or(days) AS days FROM {{combos}} WHERE sid IS NOT NULL AND span IS NOT NULL GROUP BY sid, span);
-- @when
line IN (SELECT line FROM (SELECT line, min(line) OVER (PARTITION BY sid, day) AS first_line FROM {{rows}}
                           WHERE (sid, day) IN (SELECT (sid, day) FROM {{rows}} WHERE sid IS NOT NULL AND day IS NOT NULL GROUP BY ALL HAVING count(*) > 1))
         WHERE line <> first_line);

-- A day the school's calendar does not list (for a school with a calendar), found on the spans' bits.
-- @rule off_calendar
-- @severity warning
-- @column date
-- @says_ja 学校暦で授業日ではない日です
-- @says not a school day in the school calendar
-- @guard
WITH calendar_bits AS (
  SELECT school_code, ingest_staging.span(day) AS span, bit_or(ingest_staging.span_bit(day)) AS days
  FROM ingest_staging.known_school_days
  WHERE school_code IN (SELECT school_code FROM {{combos}}) AND day >= DATE '1970-01-01' GROUP BY ALL),
school_bits AS (
  SELECT school_code, span, bit_or(days) AS days FROM {{combos}}
  WHERE span IS NOT NULL AND school_code IN (SELECT school_code FROM calendar_bits) GROUP BY ALL)
SELECT count(*) AS n FROM school_bits s LEFT JOIN calendar_bits c USING (school_code, span)
WHERE c.days IS NULL OR s.days & ~c.days <> 0;
-- @prepare
CREATE TABLE {{off_days}} AS
SELECT school_code, day FROM (
  SELECT DISTINCT school_code, day FROM {{rows}}
  WHERE day IS NOT NULL AND school_code IN (SELECT school_code FROM {{schools}} WHERE has_calendar))
EXCEPT
SELECT school_code, day FROM ingest_staging.known_school_days;
-- @when
(school_code, day) IN (SELECT (school_code, day) FROM {{off_days}});
