-- A user's org for an enrolment without classes: the first of its orgs, until school-org.sql finds a school.
UPDATE {{table}} SET org_id = org_ids[1]
