/**
 * Views that stand for a table whose rows the warehouse stores in another form
 * (migrations/warehouse/007, 008): daily attendance is read as `attendance_days` (pseudonyms, text) and
 * stored as `attendance_records` (student, school and batch numbers, enums). A reader that needs only the
 * school, year and batch of the rows reads this instead of the view: the storage's distinct numbers,
 * joined to the school codes (not every row to the pseudonyms).
 */
export const STORED_IN: Readonly<Record<string, string>> = {
  attendance_days: `(SELECT s.school_code, a.academic_year, b.batch_id
                     FROM (SELECT DISTINCT school_ref, academic_year, batch_ref FROM attendance_records) a
                     JOIN school_refs s ON s.school_ref = a.school_ref LEFT JOIN batch_refs b ON b.batch_ref = a.batch_ref)`,
};

/** Tables that only store a view's rows: published through the view, never as themselves (internal student, school and batch numbers). */
export const STORAGE_ONLY: readonly string[] = ['attendance_records', 'student_refs', 'school_refs', 'batch_refs'];
