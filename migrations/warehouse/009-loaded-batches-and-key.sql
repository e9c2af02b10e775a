-- What the warehouse itself says it holds, so that the control plane's memory can be checked against it.
--
--   loaded_batches   every ingest batch whose load committed, written in the batch's own transaction. A
--                    file the control plane records as loaded is skipped only when the warehouse holds
--                    its batch (a new or restored warehouse does not: the file is loaded again).
--   pseudonym_key    the fingerprint of the pseudonym key the warehouse was loaded with (HMAC-SHA256 of a
--                    fixed text under the key, never the key): a batch pseudonymised under another key would
--                    split every student's history, so another key is refused.
--
-- A warehouse loaded before this migration: its batches are those whose id a stored row still carries
-- (rows replaced since by a newer batch no longer name theirs); its key is recorded at its next load.

CREATE TABLE loaded_batches (
  batch_id         UUID PRIMARY KEY,
  loaded_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO loaded_batches (batch_id)
SELECT DISTINCT id FROM (
  SELECT batch_id AS id FROM batch_refs
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM schools
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM students
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM student_identities
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM homerooms
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM enrolments
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM staff_counts
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM school_days
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM assessment_results
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM guidance_records
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM programmes
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM programme_participation
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM learning_activity
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM roster_orgs
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM roster_sessions
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM roster_courses
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM roster_classes
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM roster_users
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM roster_roles
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM roster_enrollments
  UNION ALL SELECT TRY_CAST(batch_id AS UUID) FROM roster_demographics
) WHERE id IS NOT NULL;

CREATE TABLE pseudonym_key (
  fingerprint      VARCHAR NOT NULL,
  recorded_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
