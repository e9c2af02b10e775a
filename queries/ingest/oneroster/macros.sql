-- The OneRoster feed's SQL helpers, made in the staging database for each package (package-table.ts,
-- openRosterState). The vocabularies a rule names in its words are bound as lists instead ($statuses ...:
-- src/ingest/feeds/oneroster/vocabulary.ts); these are the mappings and forms only SQL reads.
-- A boolean cell: `true`/`TRUE` or `false`/`FALSE` (vendors write both); NULL when it is neither.
CREATE OR REPLACE MACRO ingest_staging.oneroster_boolean(cell) AS
CASE cell WHEN 'true' THEN true WHEN 'TRUE' THEN true WHEN 'false' THEN false WHEN 'FALSE' THEN false END;
-- A comma list in one cell, as a list of trimmed, non-empty values.
CREATE OR REPLACE MACRO ingest_staging.oneroster_list(cell) AS
coalesce(list_filter(list_transform(string_split(cell, ','), x -> trim(x)), x -> x <> ''), []);
-- A cell that is a date written YYYY-MM-DD, as DATE (NULL otherwise).
CREATE OR REPLACE MACRO ingest_staging.oneroster_date(cell) AS
CASE WHEN regexp_full_match(cell, '\d{4}-\d{2}-\d{2}') THEN TRY_CAST(cell AS DATE) END;
-- Whether a userIds cell reads `{type:id},{type:id}`: one or more braces, each a type and an id (which may
-- itself hold colons).
CREATE OR REPLACE MACRO ingest_staging.oneroster_user_ids_form(cell) AS
regexp_full_match(cell, '\s*\{[^{}:]+:[^{}]+\}\s*(,\s*\{[^{}:]+:[^{}]+\}\s*)*');
-- A school without a MEXT code (orgs.identifier blank) is keyed by `ORG-` and a hash of its sourcedId. An
-- unkeyed hash on purpose: org IDs are not personal, and the code must be the same whether the package was
-- pseudonymised beforehand or not.
CREATE OR REPLACE MACRO ingest_staging.oneroster_synthetic_school_code(sourced_id) AS
'ORG-' || left(sha256(sourced_id), 12);
-- The school type of a school code, from its first two characters (MEXT).
CREATE OR REPLACE MACRO ingest_staging.oneroster_school_type(code) AS
CASE left(code, 2) WHEN 'A1' THEN 'kindergarten' WHEN 'B1' THEN 'elementary' WHEN 'C1' THEN 'junior_high'
  WHEN 'C2' THEN 'compulsory' WHEN 'D1' THEN 'high' WHEN 'D2' THEN 'secondary' WHEN 'E1' THEN 'special_needs'
  ELSE 'other' END;
-- The prefecture (JIS X 0401) of a school code; '00' (unknown) for a synthetic code.
CREATE OR REPLACE MACRO ingest_staging.oneroster_prefecture(code) AS
CASE WHEN starts_with(code, 'ORG-') THEN '00' ELSE substr(code, 3, 2) END;
-- The title of a 年度, `2025年度`.
CREATE OR REPLACE MACRO ingest_staging.oneroster_year_title(academic_year) AS
CAST(academic_year AS VARCHAR) || '年度';
-- What staff_counts counts, by the role a user has at a school (NULL: a role not counted).
CREATE OR REPLACE MACRO ingest_staging.oneroster_staff_category(role) AS
CASE role WHEN 'teacher' THEN 'teacher' WHEN 'aide' THEN 'aide' WHEN 'administrator' THEN 'administrator'
  WHEN 'principal' THEN 'administrator' WHEN 'siteAdministrator' THEN 'administrator'
  WHEN 'districtAdministrator' THEN 'administrator' WHEN 'systemAdministrator' THEN 'administrator' END;
-- Roles the mirror keeps: students and counted staff. Parents, guardians, relatives, proctors and
-- counsellors are never stored.
CREATE OR REPLACE MACRO ingest_staging.oneroster_kept_role(role) AS
role IN ('student', 'teacher', 'aide', 'administrator', 'principal', 'siteAdministrator', 'districtAdministrator',
         'systemAdministrator');
-- Enrollment roles the mirror keeps: a student's classes, and staff presence at a school in a year.
CREATE OR REPLACE MACRO ingest_staging.oneroster_kept_enrollment_role(role) AS
role IN ('student', 'teacher', 'administrator', 'aide');
