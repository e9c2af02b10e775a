-- The user's school for an enrolment without classes: the first of its orgs that is a school after this
-- package ({{orgs}}). {{self}}: the bare name of {{table}}.
UPDATE {{table}} SET org_id = s.org_id FROM (
  SELECT u.line, arg_min(u.org_id, u.i) AS org_id
  FROM (SELECT line, unnest(org_ids) AS org_id, generate_subscripts(org_ids, 1) AS i FROM {{table}}) u
  JOIN {{orgs}} o ON o.org_id = u.org_id AND o.status = 'active' AND o.school_code IS NOT NULL
  GROUP BY u.line) s
WHERE s.line = {{self}}.line
