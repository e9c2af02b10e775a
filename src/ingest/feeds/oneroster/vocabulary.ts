/**
 * OneRoster 1.1/1.2 vocabularies and the Japan profile's codes, with the few pure mappings the ingest
 * needs. The spec's vocabularies are case-sensitive (`Scheduled` is not `scheduled`); only the
 * booleans are read as `true` or `TRUE`, because vendors write both.
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

/** What staff_counts counts, by the role a user has at a school. Other staff roles are not kept. */
export const STAFF_CATEGORY: Record<string, 'teacher' | 'administrator' | 'aide'> = {
  teacher: 'teacher',
  aide: 'aide',
  administrator: 'administrator',
  principal: 'administrator',
  siteAdministrator: 'administrator',
  districtAdministrator: 'administrator',
  systemAdministrator: 'administrator',
};

/** Roles the mirror keeps: students and counted staff. Parents, guardians, relatives, proctors and counsellors are never stored. */
export const KEPT_ROLES = ['student', ...Object.keys(STAFF_CATEGORY)];

/** Enrollment roles the mirror keeps: a student's classes, and staff presence at a school in a year. */
export const KEPT_ENROLLMENT_ROLES = ['student', 'teacher', 'administrator', 'aide'];

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

/** School type from the first two characters of a MEXT school code. */
const SCHOOL_TYPE_BY_CODE: Record<string, string> = {
  A1: 'kindergarten',
  B1: 'elementary',
  C1: 'junior_high',
  C2: 'compulsory',
  D1: 'high',
  D2: 'secondary',
  E1: 'special_needs',
};

/** A school without a MEXT code (orgs.identifier blank) is keyed by this prefix and a hash of its sourcedId. */
export const SYNTHETIC_SCHOOL_PREFIX = 'ORG-';

/** SQL string list of values, for `IN (...)` (the values are the constants above, never input). */
export const sqlList = (values: readonly string[]) => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');

/** SQL: the school type of a school-code expression (its first two characters). */
export function schoolTypeSql(code: string): string {
  const cases = Object.entries(SCHOOL_TYPE_BY_CODE).map(([prefix, type]) => `WHEN '${prefix}' THEN '${type}'`);
  return `CASE left(${code}, 2) ${cases.join(' ')} ELSE 'other' END`;
}

/** SQL: the prefecture (JIS X 0401) of a school-code expression; '00' (unknown) for a synthetic code. */
export function prefectureSql(code: string): string {
  return `CASE WHEN starts_with(${code}, '${SYNTHETIC_SCHOOL_PREFIX}') THEN '00' ELSE substr(${code}, 3, 2) END`;
}

/**
 * SQL: the synthetic code of a school org without identifier. An unkeyed hash on purpose: org IDs are
 * not personal, and the code must be the same whether the package was pseudonymised beforehand or not.
 */
export const syntheticSchoolCodeSql = (sourcedId: string) =>
  `'${SYNTHETIC_SCHOOL_PREFIX}' || left(sha256(${sourcedId}), 12)`;

/** SQL: a OneRoster boolean cell (`true`/`TRUE`, `false`/`FALSE`) as BOOLEAN, NULL when it is neither. */
export const booleanSql = (cell: string) =>
  `CASE ${cell} WHEN 'true' THEN true WHEN 'TRUE' THEN true WHEN 'false' THEN false WHEN 'FALSE' THEN false END`;

/** SQL: a comma list in one cell as a list of trimmed, non-empty values. */
export const commaListSql = (cell: string) =>
  `coalesce(list_filter(list_transform(string_split(${cell}, ','), x -> trim(x)), x -> x <> ''), [])`;

/** SQL: a cell that is a date written YYYY-MM-DD, as DATE (NULL otherwise). */
export const dateSql = (cell: string) =>
  `CASE WHEN regexp_full_match(${cell}, '\\d{4}-\\d{2}-\\d{2}') THEN TRY_CAST(${cell} AS DATE) END`;

/** `{type:id},{type:id}`: one or more braces, each a type and an id (which may itself hold colons). */
export const USER_IDS_PATTERN = '\\s*\\{[^{}:]+:[^{}]+\\}\\s*(,\\s*\\{[^{}:]+:[^{}]+\\}\\s*)*';

/** SQL: the title of a 年度, `2025年度`. */
export const academicYearTitleSql = (year: string) => `CAST(${year} AS VARCHAR) || '年度'`;
