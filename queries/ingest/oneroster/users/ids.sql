-- The ids of users.csv's userIds cells ({{raw}}), one row per `{type:id}` of a well-formed cell, with the user's
-- pseudonym (ingest_staging.pid_map): the bare id, pseudonymised next, is what other feeds give as student_id.
CREATE TABLE {{into}} AS
SELECT line, false AS rejected, user_pid, trim(split_part(item, ':', 1)) AS id_type, trim(substr(item, strpos(item, ':') + 1)) AS "userIds"
FROM (SELECT r.line, m.pid AS user_pid, unnest(regexp_extract_all(r."userIds", '\{([^{}]*:[^{}]*)\}', 1)) AS item
      FROM {{raw}} r JOIN ingest_staging.pid_map m ON m.raw = r."sourcedId" WHERE ingest_staging.oneroster_user_ids_form(r."userIds"))
