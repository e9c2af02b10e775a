-- The warehouse's primary keys (migrations/warehouse/001-init.sql), added after the load.
-- attendance_days and learning_activity have none in the warehouse either.
ALTER TABLE students ADD PRIMARY KEY (student_pid);
ALTER TABLE homerooms ADD PRIMARY KEY (homeroom_id, academic_year);
ALTER TABLE enrolments ADD PRIMARY KEY (student_pid, academic_year, school_code);
ALTER TABLE staff_counts ADD PRIMARY KEY (school_code, academic_year, role);
ALTER TABLE school_days ADD PRIMARY KEY (school_code, day);
ALTER TABLE assessment_results ADD PRIMARY KEY (student_pid, assessment_id, subject);
ALTER TABLE guidance_records ADD PRIMARY KEY (record_id);
