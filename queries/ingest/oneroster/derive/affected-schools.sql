-- The schools the package touches ({{into}}), before and after it (state_* and the tables after this package):
-- its scope's, those of the classes whose placement may have changed, of changed orgs, and of the orgs, roles
-- and classes of changed users.
CREATE TABLE {{into}} AS
WITH places AS (SELECT * FROM {{place_old}} UNION ALL SELECT * FROM {{place_new}}),
     orgs AS (SELECT org_id, school_code FROM {{state_orgs}} UNION SELECT org_id, school_code FROM {{orgs}}),
     user_years AS (SELECT user_pid, academic_year, org_id FROM {{state_users}} UNION ALL SELECT user_pid, academic_year, org_id FROM {{users}}),
     enrollments AS (SELECT user_pid, class_id FROM {{state_enrollments}} UNION SELECT user_pid, class_id FROM {{enrollments}}),
     roles AS (SELECT user_pid, org_id FROM {{state_roles}} UNION SELECT user_pid, org_id FROM {{roles}})
SELECT school_code FROM {{scope_schools}}
UNION SELECT school_code FROM places WHERE class_id IN (SELECT class_id FROM {{changed_classes}})
UNION SELECT school_code FROM orgs WHERE org_id IN {{changed_orgs}} AND school_code IS NOT NULL
UNION SELECT o.school_code FROM user_years u JOIN orgs o ON o.org_id = u.org_id
  WHERE u.user_pid IN (SELECT user_pid FROM {{changed_users}}) AND o.school_code IS NOT NULL
UNION SELECT o.school_code FROM roles r JOIN orgs o ON o.org_id = r.org_id
  WHERE r.user_pid IN (SELECT user_pid FROM {{changed_users}}) AND o.school_code IS NOT NULL
UNION SELECT p.school_code FROM enrollments e JOIN places p ON p.class_id = e.class_id
  WHERE e.user_pid IN (SELECT user_pid FROM {{changed_users}})
