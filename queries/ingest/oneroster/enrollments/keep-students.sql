-- Demographics are kept for students only ({{students}}: effective-students.sql), and deleting rows.
UPDATE {{table}} SET keep = deleting OR user_pid IN {{students}}
