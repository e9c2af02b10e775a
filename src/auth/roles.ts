/**
 * The roles of Shirube (see README): the board, its policy analysts, schools, and teachers (bound to a school and,
 * within it, to their homerooms: they see the watch list of their own classes only).
 */
export const ROLES = ['board_admin', 'analyst', 'school', 'teacher'] as const;

/** Roles bound to one school code. */
export const isSchoolBound = (role: string): boolean => role === 'school' || role === 'teacher';
export type Role = (typeof ROLES)[number];
