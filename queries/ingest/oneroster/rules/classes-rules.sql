-- The rules of a classes.csv row (besides row-rules.sql and the references to its course, school and terms:
-- reference-rules.sql, list-reference-rules.sql): the spec's vocabulary for classType (case-sensitive:
-- `Scheduled` is an error), a school org ({{orgs}}: the orgs after this package), the Japan profile's grades,
-- and a type of disability (Shirube's extension column) from its codes, on a special-needs class only.

-- @rule title_required
-- @severity error
-- @column title
-- @says_code oneroster.required
-- @param column title
-- @when
NOT deleting AND title IS NULL;

-- @rule class_type
-- @severity error
-- @column classType
-- @says_code oneroster.class_type
-- @param values $class_types
-- @when
NOT deleting AND coalesce(NOT list_contains($class_types, class_type), true);

-- @rule course_required
-- @severity error
-- @column courseSourcedId
-- @says_code oneroster.required
-- @param column courseSourcedId
-- @when
NOT deleting AND course_id IS NULL;

-- @rule school_required
-- @severity error
-- @column schoolSourcedId
-- @says_code oneroster.required
-- @param column schoolSourcedId
-- @when
NOT deleting AND org_id IS NULL;

-- @rule not_a_school
-- @severity error
-- @column schoolSourcedId
-- @says_code oneroster.not_a_school
-- @when
NOT deleting AND org_id IN (SELECT org_id FROM {{orgs}} WHERE status = 'active')
AND org_id NOT IN (SELECT org_id FROM {{orgs}} WHERE status = 'active' AND type = 'school');

-- @rule terms_required
-- @severity error
-- @column termSourcedIds
-- @says_code oneroster.required
-- @param column termSourcedIds
-- @when
NOT deleting AND len(term_ids) = 0;

-- @rule grades_outside
-- @severity warning
-- @column grades
-- @says_code oneroster.grades_outside
-- @param values $grade_codes
-- @value grades_cell
-- @when
NOT deleting AND len(list_filter(grades, g -> NOT list_contains($grade_codes, g))) > 0;

-- @rule special_needs_boolean
-- @severity error
-- @column metadata.jp.specialNeeds
-- @says_code oneroster.boolean
-- @param column metadata.jp.specialNeeds
-- @when
NOT deleting AND special_needs IS NULL;

-- @rule disability_type
-- @severity error
-- @column metadata.shirube.disabilityType
-- @says_code oneroster.disability_type
-- @param column metadata.shirube.disabilityType
-- @param values $disability_types
-- @when
NOT deleting AND NOT list_contains($disability_types, disability_type);

-- @rule disability_not_special_needs
-- @severity error
-- @column metadata.shirube.disabilityType
-- @says_code oneroster.disability_not_special_needs
-- @param column metadata.shirube.disabilityType
-- @when
NOT deleting AND list_contains($disability_types, disability_type) AND special_needs = false;
