/**
 * Views that stand for a table whose rows the warehouse stores in another form
 * (migrations/warehouse/007): daily attendance is read as `attendance_days` (pseudonyms, text) and
 * stored as `attendance_records` (student numbers, enums). A reader that needs only columns the storage
 * holds as they are (school, year, batch) reads the storage and skips the view's join.
 */
export const STORED_IN: Readonly<Record<string, string>> = { attendance_days: 'attendance_records' };

/** Tables that only store a view's rows: published through the view, never as themselves (internal student numbers). */
export const STORAGE_ONLY: readonly string[] = ['attendance_records', 'student_refs'];
