-- Learning activity stored while no roster named its actor, linked to the student the batch's rosters
-- now name (the staging resolver, rebuilt after the rosters were staged).
UPDATE main.learning_activity AS la SET student_pid = r.student_pid
FROM ingest_staging.resolver r
WHERE la.student_pid IS NULL AND la.actor_pid = r.pid
