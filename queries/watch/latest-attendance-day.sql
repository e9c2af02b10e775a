-- The last day with attendance rows on or before $today, of any of $schools: the as-of date of a refresh
-- after a batch that wrote no attendance (a roster, guidance records), so the list stays in the data's year.
SELECT CAST(max(a.day) AS VARCHAR) AS last_day
FROM attendance_records a JOIN school_refs s ON s.school_ref = a.school_ref
WHERE s.school_code IN (SELECT unnest($schools::VARCHAR[])) AND a.day <= $today
