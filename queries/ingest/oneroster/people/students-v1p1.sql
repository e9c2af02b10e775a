-- Who is a student, in a 1.1 package: a users row ({{users}}) whose role is student.
UPDATE {{users}} SET is_student = coalesce(role = 'student', false)
