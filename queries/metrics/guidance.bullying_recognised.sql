-- id: guidance.bullying_recognised
-- title.ja: いじめの認知件数(発見のきっかけ・解消状況・重大事態)
-- title.en: Bullying cases recognised, by how found, resolution and seriousness
-- description.ja: 生徒指導記録のいじめの認知件数(被害児童生徒の学年別)。1件の複数の態様は同じ児童生徒・同じ日の記録として数え、1件とする。発見のきっかけ・解消状況・重大事態は文部科学省の区分。
-- description.en: Bullying cases recognised in guidance records, by the victim's grade. The several forms (態様) of one case are records of the same student and date, counted once. How the case was found, whether it is resolved and whether it is a serious case (重大事態) in MEXT's categories.
-- unit: cases
-- dimensions: grade, found_by, resolution, serious
-- parameters: academic_year
-- sources: guidance_records, enrolments
-- answers: 児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査 — いじめの認知件数・発見のきっかけ・解消状況・重大事態の発生件数
-- found_by: discovered_by of the records (homeroom_teacher, other_staff, school_nurse, counsellor, survey, self_report,
--   parent, peer, other_parent, community, agency, other); a value outside MEXT's categories or none is 'unrecorded'.
-- resolution: resolved (解消しているもの) when every record of the case says resolved, in_progress (解消に向けて取組中)
--   when one says not resolved, unrecorded when none says.
WITH cases AS (
  SELECT school_code, student_pid, recorded_on, any_value(grade) AS grade, min(discovered_by) AS discovered_by,
         bool_and(resolved) AS resolved, coalesce(bool_or(serious), false) AS serious
  FROM guidance_records
  WHERE academic_year = $academic_year
    AND category = 'bullying'
    AND enrolled
    AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
  GROUP BY school_code, student_pid, recorded_on
)
SELECT school_code, grade,
       CASE WHEN discovered_by IN ('homeroom_teacher', 'other_staff', 'school_nurse', 'counsellor', 'survey', 'self_report',
                                   'parent', 'peer', 'other_parent', 'community', 'agency', 'other')
            THEN discovered_by ELSE 'unrecorded' END AS found_by,
       CASE WHEN resolved THEN 'resolved' WHEN NOT resolved THEN 'in_progress' ELSE 'unrecorded' END AS resolution,
       CAST(serious AS VARCHAR) AS serious,
       count(*) AS value
FROM cases
GROUP BY ALL
ORDER BY ALL
