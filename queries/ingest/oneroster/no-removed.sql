-- The keys a package's file removes from an entity ({{table}}, key {{key}}): none, for the reference data
-- (orgs, sessions, courses, demographics) that bulk files never remove (scope.ts).
CREATE TABLE {{table}} ({{key}} VARCHAR)
