import { listValue, type DuckDBValue } from '@duckdb/node-api';

/**
 * OneRoster 1.1/1.2 vocabularies and the Japan profile's codes. The spec's vocabularies are case-sensitive
 * (`Scheduled` is not `scheduled`); only the booleans are read as `true` or `TRUE`, because vendors write
 * both (queries/ingest/oneroster/macros.sql).
 */

export const ONEROSTER_VERSIONS = ['1.1', '1.2'] as const;
export type OneRosterVersion = (typeof ONEROSTER_VERSIONS)[number];

export const FILE_MODES = ['bulk', 'delta', 'absent'] as const;
export type FileMode = (typeof FILE_MODES)[number];

export const STATUSES = ['active', 'tobedeleted'] as const;

/** orgs.type. Only `school` orgs become schools; the others are kept in the mirror (parents, municipality). */
export const ORG_TYPES = ['school', 'district', 'department', 'local', 'state', 'national'] as const;

export const SESSION_TYPES = ['schoolYear', 'term', 'semester', 'gradingPeriod'] as const;

export const CLASS_TYPES = ['homeroom', 'scheduled'] as const;

/**
 * users.role (1.1) and roles.role (1.2): the union of both versions' vocabularies, since vendors mix
 * them (a 1.2 package saying `administrator` is common and harmless).
 */
export const USER_ROLES = [
  'administrator',
  'aide',
  'counselor',
  'districtAdministrator',
  'guardian',
  'parent',
  'principal',
  'proctor',
  'relative',
  'siteAdministrator',
  'student',
  'systemAdministrator',
  'teacher',
] as const;

/** enrollments.role: 1.2 (administrator, proctor, student, teacher) plus what 1.1 also allowed. */
export const ENROLLMENT_ROLES = [
  'administrator',
  'aide',
  'guardian',
  'parent',
  'proctor',
  'relative',
  'student',
  'teacher',
] as const;

export const ROLE_TYPES = ['primary', 'secondary'] as const;

/** Japan profile grades: 小学校 P1–P6, 中学校 J1–J3, 高等学校 H1–H3, and E1–E3. */
export const GRADE_CODES = [
  'P1',
  'P2',
  'P3',
  'P4',
  'P5',
  'P6',
  'J1',
  'J2',
  'J3',
  'H1',
  'H2',
  'H3',
  'E1',
  'E2',
  'E3',
] as const;

export const SEXES = ['male', 'female', 'other', 'unspecified'] as const;

/**
 * 特別支援学級の障害種別 (学校基本調査), the codes of Shirube's extension column classes.csv
 * `metadata.shirube.disabilityType` (the Japan profile has no such field). Their words are the label
 * catalogue's `disability` vocabulary.
 */
export const DISABILITY_TYPES = [
  'intellectual', // 知的障害
  'physical', // 肢体不自由
  'health', // 病弱・身体虚弱
  'low_vision', // 弱視
  'hearing', // 難聴
  'speech', // 言語障害
  'autism_emotional', // 自閉症・情緒障害
] as const;

/** The extension column that carries a special-needs class's DISABILITY_TYPES code. */
export const DISABILITY_TYPE_COLUMN = 'metadata.shirube.disabilityType';

/**
 * The vocabularies as rules files read them (queries/ingest/oneroster/rules): bound as lists (`$statuses` ...),
 * and named in a problem's words (`@param values $statuses`). Roles kept, staff categories, school types and
 * the other mappings only SQL reads are in queries/ingest/oneroster/macros.sql.
 */
export const VOCABULARIES = {
  versions: listValue([...ONEROSTER_VERSIONS]),
  file_modes: listValue([...FILE_MODES]),
  statuses: listValue([...STATUSES]),
  org_types: listValue([...ORG_TYPES]),
  session_types: listValue([...SESSION_TYPES]),
  class_types: listValue([...CLASS_TYPES]),
  user_roles: listValue([...USER_ROLES]),
  enrollment_roles: listValue([...ENROLLMENT_ROLES]),
  role_types: listValue([...ROLE_TYPES]),
  grade_codes: listValue([...GRADE_CODES]),
  sexes: listValue([...SEXES]),
  disability_types: listValue([...DISABILITY_TYPES]),
} satisfies Record<string, DuckDBValue>;
