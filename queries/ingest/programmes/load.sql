-- A file replaces the participation of the programmes it names.
DELETE FROM main.programme_participation WHERE programme_id IN (SELECT programme_id FROM {{rows}} WHERE NOT rejected);
DELETE FROM main.programmes WHERE programme_id IN (SELECT programme_id FROM {{rows}} WHERE NOT rejected);
INSERT INTO main.programmes (programme_id, name, batch_id)
SELECT DISTINCT programme_id, programme_name, $batch FROM {{rows}} WHERE NOT rejected;
INSERT INTO main.programme_participation (programme_id, school_code, start_date, end_date, batch_id)
SELECT programme_id, school_code, start_day, end_day, $batch FROM {{rows}} WHERE NOT rejected;
