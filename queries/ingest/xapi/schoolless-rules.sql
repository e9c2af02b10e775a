-- One warning per student without a school in a school year (unlinked.sql's {{schoolless}}), at the row of its
-- first statement that year: never the ID, only how many statements. The words are the catalogue's.

-- @rule no_enrolment
-- @severity warning
-- @column timestamp
-- @says_code xapi.no_enrolment
-- @value '(withheld): ' || statements || ' statement(s) in ' || academic_year || '年度'
-- @when
true;
