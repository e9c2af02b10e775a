-- The schools ({{into}}, d_schools) of the orgs after this package ({{orgs}}) that differ from the warehouse's
-- (or are new): a school org's code, name, type and prefecture (from its code: macros.sql), and the name of its
-- parent district (市町村).
CREATE TABLE {{into}} AS
SELECT d.* FROM (
  SELECT o.school_code, o.name, ingest_staging.oneroster_school_type(o.school_code) AS school_type,
         ingest_staging.oneroster_prefecture(o.school_code) AS prefecture_code,
         CASE WHEN p.type = 'district' THEN p.name END AS municipality, o.org_id
  FROM {{orgs}} o LEFT JOIN {{orgs}} p ON p.org_id = o.parent_id AND p.status = 'active'
  WHERE o.status = 'active' AND o.type = 'school' AND o.school_code IS NOT NULL) d
LEFT JOIN main.schools s ON s.school_code = d.school_code
WHERE s.school_code IS NULL OR s.name IS DISTINCT FROM d.name OR s.school_type IS DISTINCT FROM d.school_type
   OR s.prefecture_code IS DISTINCT FROM d.prefecture_code OR s.municipality IS DISTINCT FROM d.municipality OR s.org_id IS DISTINCT FROM d.org_id
