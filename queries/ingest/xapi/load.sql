-- Writes the statements of {{table}} that load (valid, neither a repeat nor already stored), in the batch's
-- transaction.
INSERT INTO main.learning_activity (statement_id, actor_pid, student_pid, school_code, academic_year, verb_id,
                                    activity_id, activity_type, ts, duration_s, score_scaled, score_raw, success,
                                    completion, batch_id)
SELECT statement_id, actor_pid, student_pid, school_code, academic_year, verb_id, activity_id, activity_type, ts,
       duration_s, score_scaled, score_raw, success, completion, $batch_id
FROM {{table}} WHERE NOT rejected AND skip IS NULL
