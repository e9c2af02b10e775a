-- The schools a package covers ({{into}}): the school codes of the orgs after this package ({{orgs}}) that its
-- rows name ({{named}}: the org IDs of each of its files, or none).
CREATE TABLE {{into}} AS
SELECT DISTINCT o.school_code FROM ({{named}}) r
JOIN {{orgs}} o ON o.org_id = r.id AND o.status = 'active' AND o.school_code IS NOT NULL
