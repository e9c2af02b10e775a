import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHOOL_A, SCHOOL_B } from '../support/test-app.js';

export type RosterFile =
  'orgs' | 'academicSessions' | 'courses' | 'classes' | 'users' | 'roles' | 'enrollments' | 'demographics';
export type Row = Record<string, string>;

/** Column order of each file: OneRoster 1.2 with the Japan profile's metadata.jp.* columns last. */
const HEADERS_1_2: Record<RosterFile, string[]> = {
  orgs: ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'],
  academicSessions: [
    'sourcedId',
    'status',
    'dateLastModified',
    'title',
    'type',
    'startDate',
    'endDate',
    'parentSourcedId',
    'schoolYear',
  ],
  courses: [
    'sourcedId',
    'status',
    'dateLastModified',
    'schoolYearSourcedId',
    'title',
    'courseCode',
    'grades',
    'orgSourcedId',
    'subjects',
    'subjectCodes',
  ],
  classes: [
    'sourcedId',
    'status',
    'dateLastModified',
    'title',
    'grades',
    'courseSourcedId',
    'classCode',
    'classType',
    'location',
    'schoolSourcedId',
    'termSourcedIds',
    'subjects',
    'subjectCodes',
    'periods',
    'metadata.jp.specialNeeds',
    // Shirube's extension column (docs: README, Ingest): the type of disability of a special-needs class.
    'metadata.shirube.disabilityType',
  ],
  users: [
    'sourcedId',
    'status',
    'dateLastModified',
    'enabledUser',
    'username',
    'userIds',
    'givenName',
    'familyName',
    'middleName',
    'identifier',
    'email',
    'sms',
    'phone',
    'agentSourcedIds',
    'grades',
    'password',
    'userMasterIdentifier',
    'resourceSourcedIds',
    'preferredGivenName',
    'preferredMiddleName',
    'preferredFamilyName',
    'primaryOrgSourcedId',
    'pronouns',
    'metadata.jp.kanaGivenName',
    'metadata.jp.kanaFamilyName',
    'metadata.jp.kanaMiddleName',
    'metadata.jp.homeClass',
  ],
  roles: [
    'sourcedId',
    'status',
    'dateLastModified',
    'userSourcedId',
    'roleType',
    'role',
    'beginDate',
    'endDate',
    'orgSourcedId',
    'userProfileSourcedId',
  ],
  enrollments: [
    'sourcedId',
    'status',
    'dateLastModified',
    'classSourcedId',
    'schoolSourcedId',
    'userSourcedId',
    'role',
    'primary',
    'beginDate',
    'endDate',
    'metadata.jp.ShussekiNo',
    'metadata.jp.PublicFlg',
  ],
  demographics: [
    'sourcedId',
    'status',
    'dateLastModified',
    'birthDate',
    'sex',
    'americanIndianOrAlaskaNative',
    'asian',
    'blackOrAfricanAmerican',
    'nativeHawaiianOrOtherPacificIslander',
    'white',
    'demographicRaceTwoOrMoreRaces',
    'hispanicOrLatinoEthnicity',
    'countryOfBirthCode',
    'stateOfBirthAbbreviation',
    'cityOfBirth',
    'publicSchoolResidenceStatus',
  ],
};

/** 1.1: users carry role and orgSourcedIds, and there is no roles.csv. */
const HEADERS_1_1: Partial<Record<RosterFile, string[]>> = {
  users: [
    'sourcedId',
    'status',
    'dateLastModified',
    'enabledUser',
    'orgSourcedIds',
    'role',
    'username',
    'userIds',
    'givenName',
    'familyName',
    'middleName',
    'identifier',
    'email',
    'sms',
    'phone',
    'agentSourcedIds',
    'grades',
    'password',
    'metadata.jp.homeClass',
  ],
};

const ALL_FILES: RosterFile[] = [
  'academicSessions',
  'orgs',
  'courses',
  'classes',
  'users',
  'roles',
  'enrollments',
  'demographics',
];

const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export interface PackageSpec {
  version?: '1.1' | '1.2';
  /** Each file written and its manifest mode; a file not given is declared absent. */
  files: Partial<Record<RosterFile, { mode: 'bulk' | 'delta'; rows: Row[] }>>;
  /** Extra or replacing manifest lines (propertyName → value). */
  manifest?: Record<string, string>;
}

/** Writes a OneRoster package (manifest.csv and its files, CRLF line ends as vendors write them) into a new folder under `root`. */
export function writeOneRosterPackage(root: string, name: string, spec: PackageSpec): string {
  const dir = join(mkdtempSync(join(root, 'or-')), name);
  mkdirSync(dir);
  const version = spec.version ?? '1.2';
  const manifest: Record<string, string> = { 'manifest.version': '1.0', 'oneroster.version': version };
  for (const file of ALL_FILES) {
    if (version === '1.1' && file === 'roles') continue;
    manifest[`file.${file}`] = spec.files[file]?.mode ?? 'absent';
  }
  Object.assign(manifest, { 'source.systemName': 'shirube test', ...spec.manifest });
  writeFileSync(
    join(dir, 'manifest.csv'),
    ['propertyName,value', ...Object.entries(manifest).map(([k, v]) => `${k},${v}`)].join('\r\n') + '\r\n',
  );
  for (const [file, content] of Object.entries(spec.files) as [RosterFile, { rows: Row[] }][]) {
    const header = (version === '1.1' ? HEADERS_1_1[file] : undefined) ?? HEADERS_1_2[file];
    const lines = [
      header.join(','),
      ...content.rows.map((row) => header.map((column) => cell(row[column] ?? '')).join(',')),
    ];
    writeFileSync(join(dir, `${file}.csv`), `\uFEFF${lines.join('\r\n')}\r\n`);
  }
  return dir;
}

export interface TownStudent {
  sourcedId: string;
  school: 'A' | 'B';
  /** Grade in FY2025; later years move up one grade a year. */
  grade: string;
  family: string;
  given: string;
  kana: string;
  email?: string;
  userIds?: Record<string, string>;
  sex?: string;
  birthDate: string;
  /** Class keys (see CLASSES) the student is enrolled in. */
  classes: string[];
  homeClass?: string;
}

/** The town's classes per year: key → [school, title, classType, grades, specialNeeds, term]. */
const CLASSES: Record<
  string,
  [school: 'A' | 'B', title: string, type: string, grades: string, specialNeeds: string, term: 'year' | 'term1']
> = {
  'A-1-1': ['A', '1年1組', 'homeroom', 'P1', 'false', 'year'],
  'A-2-1': ['A', '2年1組', 'homeroom', 'P2', 'false', 'year'],
  'A-3-1': ['A', '3年1組', 'homeroom', 'P3', 'false', 'year'],
  'A-SN': ['A', 'ひまわり学級', 'homeroom', 'P1,P2,P3', 'true', 'year'],
  'B-1-1': ['B', '1年1組', 'homeroom', 'J1', 'false', 'year'],
  'B-2-1': ['B', '2年1組', 'homeroom', 'J2', 'false', 'year'],
  'B-EN': ['B', '英語 1年', 'scheduled', 'J1,J2', 'false', 'term1'],
  // 通級指導教室: a class some elementary students attend at the junior high school.
  'B-TSUKYU': ['B', '通級指導教室', 'scheduled', 'P1,P2,P3', 'false', 'term1'],
};

export const TOWN_STUDENTS: TownStudent[] = [
  {
    sourcedId: 'stu-0001',
    school: 'A',
    grade: 'P1',
    family: '山田',
    given: '太郎',
    kana: 'ヤマダ',
    email: 'taro.yamada@example.jp',
    sex: 'male',
    birthDate: '2018-05-10',
    userIds: { LearningApp: 'la-0001', ePortal: 'ep-0001' },
    classes: ['A-1-1'],
  },
  {
    sourcedId: 'stu-0002',
    school: 'A',
    grade: 'P2',
    family: '佐藤',
    given: '花子',
    kana: 'サトウ',
    sex: 'female',
    birthDate: '2017-06-11',
    userIds: { LearningApp: 'la-0002' },
    classes: ['A-2-1', 'B-TSUKYU'],
  },
  // On two rosters (交流学級): the special-needs class named by homeClass is the homeroom.
  {
    sourcedId: 'stu-0003',
    school: 'A',
    grade: 'P2',
    family: '鈴木',
    given: '一郎',
    kana: 'スズキ',
    sex: 'male',
    birthDate: '2017-09-30',
    classes: ['A-2-1', 'A-SN'],
    homeClass: 'A-SN',
  },
  {
    sourcedId: 'stu-0004',
    school: 'B',
    grade: 'J1',
    family: '高橋',
    given: '美咲',
    kana: 'タカハシ',
    email: 'misaki@example.jp',
    sex: 'female',
    birthDate: '2012-12-01',
    classes: ['B-1-1', 'B-EN'],
  },
  // In a scheduled class only: an enrolment at the school, without a homeroom.
  {
    sourcedId: 'stu-0005',
    school: 'B',
    grade: 'J1',
    family: '田中',
    given: '健',
    kana: 'タナカ',
    birthDate: '2012-04-02',
    sex: 'unspecified',
    classes: ['B-EN'],
  },
  // No grade and no class: an enrolment for the package's year, grade unknown (a warning).
  {
    sourcedId: 'stu-0006',
    school: 'A',
    grade: '',
    family: '伊藤',
    given: 'さくら',
    kana: 'イトウ',
    birthDate: '2018-08-08',
    classes: [],
  },
];

export interface TownStaff {
  sourcedId: string;
  school: 'A' | 'B';
  role: string;
  family: string;
  email: string;
  classes: string[];
}

export const TOWN_STAFF: TownStaff[] = [
  {
    sourcedId: 'tch-0001',
    school: 'A',
    role: 'teacher',
    family: '中村',
    email: 'nakamura@school.example.jp',
    classes: ['A-1-1'],
  },
  {
    sourcedId: 'tch-0002',
    school: 'A',
    role: 'teacher',
    family: '小林',
    email: 'kobayashi@school.example.jp',
    classes: ['A-2-1', 'A-SN'],
  },
  {
    sourcedId: 'tch-0003',
    school: 'B',
    role: 'teacher',
    family: '加藤',
    email: 'kato@school.example.jp',
    classes: ['B-1-1', 'B-EN', 'B-TSUKYU'],
  },
  {
    sourcedId: 'adm-0001',
    school: 'A',
    role: 'administrator',
    family: '吉田',
    email: 'yoshida@school.example.jp',
    classes: [],
  },
  {
    sourcedId: 'aid-0001',
    school: 'B',
    role: 'aide',
    family: '山本',
    email: 'yamamoto@school.example.jp',
    classes: [],
  },
];

/** A guardian: read, never stored. */
export const TOWN_GUARDIAN = {
  sourcedId: 'grd-0001',
  family: '山田',
  given: '一郎',
  email: 'ichiro.yamada@home.example.jp',
  phone: '09012345678',
};

export const DISTRICT_NAME = '中央市教育委員会';
export const SCHOOL_CODES = { A: SCHOOL_A, B: SCHOOL_B };
export const orgId = (school: 'A' | 'B') => `org-school-${school}`;
export const classId = (fy: number, key: string) => `cls-${fy}-${key}`;
/** Enrollment IDs embed the user's ID, as many vendors build them: the ingest must hash them too. */
export const enrollmentId = (fy: number, userId: string, key: string) => `enr-${fy}-${userId}-${key}`;

const GRADE_ORDER = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'J1', 'J2', 'J3'];
export const gradeIn = (grade: string, fy: number) =>
  grade ? GRADE_ORDER[GRADE_ORDER.indexOf(grade) + (fy - 2025)] : '';
/** A FY2025 class key in a later year: the class of the same kind one grade up (the special-needs and scheduled classes stay). */
const classIn = (key: string, fy: number) =>
  key.replace(/^([AB])-(\d)-1$/, (_, s: string, g: string) => `${s}-${Number(g) + (fy - 2025)}-1`);

export interface TownOptions {
  /** Students left out of the package (moved away). */
  without?: string[];
}

/** The whole town for one school year, as a OneRoster 1.2 bulk package's rows (Japan profile). */
export function townRows(fy: number, options: TownOptions = {}): Record<RosterFile, Row[]> {
  const students = TOWN_STUDENTS.filter((s) => !options.without?.includes(s.sourcedId));
  const year = `sy-${fy}`;
  const term = `term1-${fy}`;
  const used = new Set(
    [...students.flatMap((s) => s.classes), ...TOWN_STAFF.flatMap((s) => s.classes)].map((k) => classIn(k, fy)),
  );
  const rows: Record<RosterFile, Row[]> = {
    orgs: [
      { sourcedId: 'org-district', name: DISTRICT_NAME, type: 'district' },
      {
        sourcedId: orgId('A'),
        name: '中央小学校',
        type: 'school',
        identifier: SCHOOL_A,
        parentSourcedId: 'org-district',
      },
      {
        sourcedId: orgId('B'),
        name: '中央中学校',
        type: 'school',
        identifier: SCHOOL_B,
        parentSourcedId: 'org-district',
      },
    ],
    academicSessions: [
      {
        sourcedId: year,
        title: `${fy}年度`,
        type: 'schoolYear',
        startDate: `${fy}-04-01`,
        endDate: `${fy + 1}-03-31`,
        schoolYear: String(fy + 1),
      },
      {
        sourcedId: term,
        title: '1学期',
        type: 'term',
        startDate: `${fy}-04-07`,
        endDate: `${fy}-07-19`,
        parentSourcedId: year,
        schoolYear: String(fy + 1),
      },
    ],
    courses: [
      { sourcedId: `crs-${fy}-A-hr`, schoolYearSourcedId: year, title: '学級活動', orgSourcedId: orgId('A') },
      { sourcedId: `crs-${fy}-B-hr`, schoolYearSourcedId: year, title: '学級活動', orgSourcedId: orgId('B') },
      { sourcedId: `crs-${fy}-B-en`, schoolYearSourcedId: year, title: '英語', orgSourcedId: orgId('B') },
    ],
    classes: [...used].sort().map((key) => {
      const [school, title, type, grades, specialNeeds, when] = CLASSES[key];
      const course = key === 'B-EN' ? `crs-${fy}-B-en` : `crs-${fy}-${school}-hr`;
      return {
        sourcedId: classId(fy, key),
        title,
        grades,
        courseSourcedId: course,
        classType: type,
        schoolSourcedId: orgId(school),
        termSourcedIds: when === 'year' ? year : term,
        'metadata.jp.specialNeeds': specialNeeds,
      };
    }),
    users: [],
    roles: [],
    enrollments: [],
    demographics: [],
  };
  for (const s of students) {
    rows.users.push({
      sourcedId: s.sourcedId,
      enabledUser: 'true',
      username: `${s.sourcedId}@school.example.jp`,
      userIds: Object.entries(s.userIds ?? {})
        .map(([type, id]) => `{${type}:${id}}`)
        .join(','),
      givenName: s.given,
      familyName: s.family,
      email: s.email ?? '',
      grades: gradeIn(s.grade, fy),
      password: 'Secret-1',
      primaryOrgSourcedId: orgId(s.school),
      'metadata.jp.kanaFamilyName': s.kana,
      'metadata.jp.kanaGivenName': 'カナ',
      'metadata.jp.homeClass': s.homeClass ? classId(fy, classIn(s.homeClass, fy)) : '',
    });
    rows.roles.push({
      sourcedId: `role-${s.sourcedId}`,
      userSourcedId: s.sourcedId,
      roleType: 'primary',
      role: 'student',
      orgSourcedId: orgId(s.school),
    });
    rows.demographics.push({ sourcedId: s.sourcedId, birthDate: s.birthDate, sex: s.sex ?? '' });
    s.classes.forEach((key, i) => {
      const k = classIn(key, fy);
      rows.enrollments.push({
        sourcedId: enrollmentId(fy, s.sourcedId, k),
        classSourcedId: classId(fy, k),
        schoolSourcedId: orgId(CLASSES[k][0]),
        userSourcedId: s.sourcedId,
        role: 'student',
        primary: 'false',
        'metadata.jp.ShussekiNo': String(i + 1),
        'metadata.jp.PublicFlg': 'true',
      });
    });
  }
  for (const t of TOWN_STAFF) {
    rows.users.push({
      sourcedId: t.sourcedId,
      enabledUser: 'true',
      username: t.email,
      givenName: '先生',
      familyName: t.family,
      email: t.email,
      primaryOrgSourcedId: orgId(t.school),
    });
    rows.roles.push({
      sourcedId: `role-${t.sourcedId}`,
      userSourcedId: t.sourcedId,
      roleType: 'primary',
      role: t.role,
      orgSourcedId: orgId(t.school),
    });
    for (const key of t.classes) {
      const k = classIn(key, fy);
      rows.enrollments.push({
        sourcedId: enrollmentId(fy, t.sourcedId, k),
        classSourcedId: classId(fy, k),
        schoolSourcedId: orgId(t.school),
        userSourcedId: t.sourcedId,
        role: 'teacher',
        primary: 'true',
      });
    }
  }
  const g = TOWN_GUARDIAN;
  rows.users.push({
    sourcedId: g.sourcedId,
    enabledUser: 'false',
    givenName: g.given,
    familyName: g.family,
    email: g.email,
    phone: g.phone,
    agentSourcedIds: 'stu-0001',
  });
  rows.roles.push({
    sourcedId: `role-${g.sourcedId}`,
    userSourcedId: g.sourcedId,
    roleType: 'primary',
    role: 'guardian',
    orgSourcedId: orgId('A'),
  });
  return rows;
}

/** A bulk package of the whole town for one year. */
export function townBulk(fy: number, options: TownOptions = {}): PackageSpec {
  const rows = townRows(fy, options);
  return {
    files: Object.fromEntries(Object.entries(rows).map(([file, r]) => [file, { mode: 'bulk' as const, rows: r }])),
  };
}

/** Every personal value the town's files hold: none may reach the warehouse or a report. */
export function townSecrets(): string[] {
  const values = [
    ...TOWN_STUDENTS.flatMap((s) => [
      s.sourcedId,
      s.family + s.given,
      s.family,
      s.kana,
      s.email ?? '',
      s.birthDate,
      `${s.sourcedId}@school.example.jp`,
      ...Object.values(s.userIds ?? {}),
    ]),
    ...TOWN_STAFF.flatMap((t) => [t.sourcedId, t.family, t.email]),
    TOWN_GUARDIAN.sourcedId,
    TOWN_GUARDIAN.email,
    TOWN_GUARDIAN.phone,
    'Secret-1',
    'カナ',
  ];
  return values.filter((v) => v.length > 0);
}
