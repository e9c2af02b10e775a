-- The school year a users row ({{users}}, bare name {{self}}) describes: the package's latest year
-- ({{scope_years}}); for a package without classes or sessions (a delta of users only), the year the roster
-- already had for the user ({{state_users}}), else the latest year any class of the roster is in ({{places}}).
UPDATE {{users}} SET academic_year = coalesce(
  (SELECT max(academic_year) FROM {{scope_years}}),
  (SELECT s.academic_year FROM {{state_users}} s WHERE s.user_pid = {{self}}.user_pid),
  (SELECT max(academic_year) FROM {{places}}))
