-- Students enrolled per school in a school year (the denominator beside the watch lists' counts).
SELECT school_code, CAST(count(*) AS INTEGER) AS students
FROM enrolments
WHERE academic_year = $academic_year AND ($schools::VARCHAR[] IS NULL OR school_code IN (SELECT unnest($schools::VARCHAR[])))
GROUP BY school_code
