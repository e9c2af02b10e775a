/**
 * Stream ids for `Rng.stream(seed, id, ...keys)` and keys for stable identifiers. Each concern has
 * its own stream so that changing one (say, how attendance rows are written) never shifts the
 * numbers another concern draws. Never renumber: that would change every generated file.
 */
export const STREAM = {
  plan: 1,
  ids: 2,
  population: 3,
  yearState: 4,
  classes: 5,
  teachers: 6,
  calendar: 7,
  attendance: 8,
  programmeEffect: 9,
  assessment: 10,
  assessmentYear: 11,
  guidance: 12,
  xapi: 13,
  scoreHistory: 14,
  violenceForm: 15,
  drift: 16,
} as const;

/** Keys of the identifier families (each a separate bijection, so IDs never collide within a family). */
export const ID_KEY = {
  org: 1,
  student: 2,
  learningApp: 3,
  ePortal: 4,
  teacher: 5,
  session: 6,
  course: 7,
  klass: 8,
  role: 9,
  enrollment: 10,
} as const;
