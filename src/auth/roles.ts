/** The three roles of Shirube (see README): the board, its policy analysts, and schools. */
export const ROLES = ['board_admin', 'analyst', 'school'] as const;
export type Role = (typeof ROLES)[number];
