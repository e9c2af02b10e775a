-- Users a bulk users.csv ({{users}}) removes ({{into}}): active users of the roster state ({{state_users}}) in
-- the package's school years ({{scope_years}}) whose org, or an active role's ({{state_roles}}), is a school of
-- the package ({{scope_schools}}, through {{state_orgs}}), and whom the file does not list.
CREATE TABLE {{into}} AS
SELECT user_pid FROM {{state_users}} s
WHERE s.status = 'active' AND s.academic_year IN (SELECT academic_year FROM {{scope_years}})
  AND s.user_pid NOT IN (SELECT user_pid FROM {{users}} WHERE user_pid IS NOT NULL)
  AND (s.org_id IN (SELECT org_id FROM {{state_orgs}} WHERE school_code IN (SELECT school_code FROM {{scope_schools}}))
       OR s.user_pid IN (SELECT user_pid FROM {{state_roles}} WHERE status = 'active'
                         AND org_id IN (SELECT org_id FROM {{state_orgs}} WHERE school_code IN (SELECT school_code FROM {{scope_schools}}))))
