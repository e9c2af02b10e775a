/**
 * Valid feed files of every kind the ingest reads, and the defects bench/fuzz.ts and the property tests
 * (test/ingest/fuzz-*.test.ts) put into them. One small world: two schools, their students enrolled in
 * FY2025 by a OneRoster 1.2 package (rosterPackage), and row builders for the other feeds over it.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync, crc32 } from 'node:zlib';
import iconv from 'iconv-lite';

/** School codes (学校コード) with valid check digits, as in the tests. */
export const SCHOOLS = ['B113210000014', 'C113210000012'] as const;
export const GRADES = ['P4', 'J1'] as const;

export interface WorldStudent {
  id: string;
  /** The student's ID in the learning app (a OneRoster userId): xAPI actors use it. */
  app: string;
  school: (typeof SCHOOLS)[number];
  grade: string;
  sex: 'male' | 'female';
}

export const STUDENT_COUNT = 24;
export const STUDENTS: WorldStudent[] = Array.from({ length: STUDENT_COUNT }, (_, i) => ({
  id: `stu-${String(i + 1).padStart(4, '0')}`,
  app: `la-${String(i + 1).padStart(4, '0')}`,
  school: SCHOOLS[i % 2],
  grade: GRADES[i % 2],
  sex: i % 3 === 0 ? 'female' : 'male',
}));

export type Row = Record<string, string>;

/** A CSV cell as a spreadsheet writes it: quoted when it holds a comma, a quote or a line break. */
export const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
export const csv = (header: readonly string[], rows: Row[], eol = '\n') =>
  [header.join(','), ...rows.map((row) => header.map((c) => cell(row[c] ?? '')).join(','))].join(eol) + eol;

// ---------------------------------------------------------------------------------------------- feeds

export const HEADERS = {
  attendance: ['school_code', 'student_id', 'date', 'status', 'reason'],
  assessments: ['school_code', 'student_id', 'assessment_id', 'subject', 'administered_on', 'score', 'max_score'],
  guidance: [
    'school_code',
    'student_id',
    'recorded_on',
    'category',
    'type_code',
    'discovered_by',
    'resolved',
    'serious',
  ],
  programmes: ['programme_id', 'programme_name', 'school_code', 'start_date', 'end_date'],
  calendar: ['school_code', 'date'],
} as const;
export type CsvFeed = keyof typeof HEADERS;
export const CSV_FEEDS = Object.keys(HEADERS) as CsvFeed[];

/** The column holding each feed's date, and the value columns a defect can be put into. */
export const DATE_COLUMN: Record<CsvFeed, string> = {
  attendance: 'date',
  assessments: 'administered_on',
  guidance: 'recorded_on',
  programmes: 'start_date',
  calendar: 'date',
};

/** FY2025's weekdays from 7 April 2025 to 19 March 2026 (the school year's teaching days, holidays aside). */
export const SCHOOL_DAYS: string[] = (() => {
  const days: string[] = [];
  for (let t = Date.UTC(2025, 3, 7); t <= Date.UTC(2026, 2, 19); t += 86_400_000) {
    const day = new Date(t);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days.push(day.toISOString().slice(0, 10));
  }
  return days;
})();

export const STATUSES = ['present', 'absent', 'late', 'early_leave', 'suspension', 'mourning', 'counted_present'];
export const REASONS = ['illness', 'economic', 'non_attendance', 'covid_avoidance', 'other'];
export const SUBJECTS = ['kokugo', 'sansu', 'rika', 'eigo'];

/** Picks from a list by a number in [0, 1): the generators take their choices as numbers (a PRNG's, or fast-check's). */
const pick = <T>(list: readonly T[], u: number): T => list[Math.min(list.length - 1, Math.floor(u * list.length))];

/** Choices for one row: numbers in [0, 1). */
export type Draw = () => number;

/** Rows of a valid file of `feed`, with distinct natural keys (one row per student and day, ...). */
export function validRows(feed: CsvFeed, count: number, draw: Draw): Row[] {
  const rows: Row[] = [];
  const keys = new Set<string>();
  for (let tries = 0; rows.length < count && tries < count * 20; tries++) {
    const student = pick(STUDENTS, draw());
    const day = pick(SCHOOL_DAYS, draw());
    let row: Row;
    let key: string;
    switch (feed) {
      case 'attendance': {
        const status = pick(STATUSES, draw());
        const reason = status === 'absent' && draw() < 0.7 ? pick(REASONS, draw()) : '';
        row = { school_code: student.school, student_id: student.id, date: day, status, reason };
        key = `${student.id}|${day}`;
        break;
      }
      case 'assessments': {
        const max = pick([10, 50, 100], draw());
        const assessment = `test-2025-${1 + Math.floor(draw() * 3)}`;
        const subject = pick(SUBJECTS, draw());
        row = {
          school_code: student.school,
          student_id: student.id,
          assessment_id: assessment,
          subject,
          administered_on: day,
          score: String(Math.floor(draw() * (max + 1))),
          max_score: String(max),
        };
        key = `${student.id}|${assessment}|${subject}`;
        break;
      }
      case 'guidance': {
        const category = pick(['bullying', 'violence', 'other'], draw());
        const type = category === 'bullying' ? String(1 + Math.floor(draw() * 9)) : '';
        row = {
          school_code: student.school,
          student_id: student.id,
          recorded_on: day,
          category,
          type_code: type,
          discovered_by: '',
          resolved: pick(['true', 'false'], draw()),
          serious: pick(['true', 'false', ''], draw()),
        };
        key = `${student.id}|${day}|${category}|${type}`;
        break;
      }
      case 'programmes': {
        const n = 1 + Math.floor(draw() * 3);
        const start = SCHOOL_DAYS[Math.floor(draw() * 100)];
        row = {
          programme_id: `prog-${n}`,
          // Kanji: a Shift_JIS twin of the file is recognised as Shift_JIS (encoding.ts).
          programme_name: `学習支援${n}`,
          school_code: student.school,
          start_date: start,
          end_date: draw() < 0.5 ? '' : SCHOOL_DAYS[100 + Math.floor(draw() * 100)],
        };
        key = `${row.programme_id}|${student.school}|${start}`;
        break;
      }
      case 'calendar':
        row = { school_code: student.school, date: day };
        key = `${student.school}|${day}`;
        break;
    }
    if (keys.has(key)) continue;
    keys.add(key);
    rows.push(row);
  }
  return rows;
}

// ----------------------------------------------------------------------------------------------- xAPI

export const XAPI_VERB = 'http://adlnet.gov/expapi/verbs/completed';

/** A statement of one of the world's students (by learning-app ID), with an id of its own. */
export function statement(draw: Draw, id: string): Record<string, unknown> {
  const student = pick(STUDENTS, draw());
  const day = pick(SCHOOL_DAYS, draw());
  return {
    id,
    actor: { objectType: 'Agent', account: { homePage: 'https://app.example.jp', name: student.app } },
    verb: { id: XAPI_VERB, display: { 'en-US': 'completed' } },
    object: {
      objectType: 'Activity',
      id: `https://app.example.jp/drills/${1 + Math.floor(draw() * 20)}`,
      definition: { type: 'http://adlnet.gov/expapi/activities/assessment' },
    },
    result: { score: { scaled: Math.round(draw() * 100) / 100 }, duration: `PT${1 + Math.floor(draw() * 30)}M` },
    timestamp: `${day}T${String(8 + Math.floor(draw() * 8)).padStart(2, '0')}:00:00+09:00`,
  };
}

/** A UUID made from a seed and a number: statements of different runs never share an id. */
export const statementId = (seed: string, n: number) => {
  const h = createHash('sha256').update(`${seed}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export const ndjson = (statements: object[]) => statements.map((s) => JSON.stringify(s)).join('\n') + '\n';

// ---------------------------------------------------------------------------------------------- roster

const ROSTER_HEADERS: Record<string, string[]> = {
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
  courses: ['sourcedId', 'status', 'dateLastModified', 'schoolYearSourcedId', 'title', 'orgSourcedId'],
  classes: [
    'sourcedId',
    'status',
    'dateLastModified',
    'title',
    'grades',
    'courseSourcedId',
    'classType',
    'schoolSourcedId',
    'termSourcedIds',
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
    'grades',
    'primaryOrgSourcedId',
  ],
  roles: ['sourcedId', 'status', 'dateLastModified', 'userSourcedId', 'roleType', 'role', 'orgSourcedId'],
  enrollments: [
    'sourcedId',
    'status',
    'dateLastModified',
    'classSourcedId',
    'schoolSourcedId',
    'userSourcedId',
    'role',
    'primary',
  ],
  demographics: ['sourcedId', 'status', 'dateLastModified', 'birthDate', 'sex'],
};
export const ROSTER_FILES = Object.keys(ROSTER_HEADERS);

const org = (school: string) => `org-${school}`;

export interface Table {
  header: string[];
  rows: Row[];
}

/** The files of a OneRoster 1.2 bulk package enrolling `students` in FY2025, as tables. */
export function rosterTables(students: WorldStudent[] = STUDENTS): Record<string, Table> {
  const rows: Record<string, Row[]> = {
    orgs: [
      { sourcedId: 'org-district', name: '中央市教育委員会', type: 'district' },
      ...SCHOOLS.map((code, i) => ({
        sourcedId: org(code),
        name: i === 0 ? '中央小学校' : '中央中学校',
        type: 'school',
        identifier: code,
        parentSourcedId: 'org-district',
      })),
    ],
    academicSessions: [
      {
        sourcedId: 'sy-2025',
        title: '2025年度',
        type: 'schoolYear',
        startDate: '2025-04-01',
        endDate: '2026-03-31',
        schoolYear: '2026',
      },
    ],
    courses: SCHOOLS.map((code) => ({
      sourcedId: `crs-${code}`,
      schoolYearSourcedId: 'sy-2025',
      title: '学級活動',
      orgSourcedId: org(code),
    })),
    classes: SCHOOLS.map((code, i) => ({
      sourcedId: `cls-${code}`,
      title: '1組',
      grades: GRADES[i],
      courseSourcedId: `crs-${code}`,
      classType: 'homeroom',
      schoolSourcedId: org(code),
      termSourcedIds: 'sy-2025',
    })),
    users: [],
    roles: [],
    enrollments: [],
    demographics: [],
  };
  for (const s of students) {
    rows.users.push({
      sourcedId: s.id,
      enabledUser: 'true',
      username: `${s.id}@school.example.jp`,
      userIds: `{LearningApp:${s.app}}`,
      givenName: '太郎',
      familyName: '山田',
      grades: s.grade,
      primaryOrgSourcedId: org(s.school),
    });
    rows.roles.push({
      sourcedId: `role-${s.id}`,
      userSourcedId: s.id,
      roleType: 'primary',
      role: 'student',
      orgSourcedId: org(s.school),
    });
    rows.enrollments.push({
      sourcedId: `enr-${s.id}`,
      classSourcedId: `cls-${s.school}`,
      schoolSourcedId: org(s.school),
      userSourcedId: s.id,
      role: 'student',
      primary: 'false',
    });
    rows.demographics.push({ sourcedId: s.id, birthDate: s.grade === 'P4' ? '2016-05-10' : '2012-06-11', sex: s.sex });
  }
  return Object.fromEntries(ROSTER_FILES.map((file) => [file, { header: ROSTER_HEADERS[file], rows: rows[file] }]));
}

/** A package's manifest.csv: every file in bulk; `system` names the sending system (a package of its own). */
export const manifestCsv = (system = 'shirube fuzz') =>
  csv(
    ['propertyName', 'value'],
    [
      { propertyName: 'manifest.version', value: '1.0' },
      { propertyName: 'oneroster.version', value: '1.2' },
      ...ROSTER_FILES.map((f) => ({ propertyName: `file.${f}`, value: 'bulk' })),
      { propertyName: 'source.systemName', value: system },
    ],
    '\r\n',
  );
export const MANIFEST = manifestCsv();

/** A roster file as vendors write it: a BOM and CRLF line ends. */
export const rosterCsv = (table: Table) => Buffer.from(`\uFEFF${csv(table.header, table.rows, '\r\n')}`);

/** A OneRoster 1.2 bulk package enrolling `students` in FY2025 (file name → content, manifest.csv included). */
export function rosterPackage(students: WorldStudent[] = STUDENTS, system?: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = { 'manifest.csv': Buffer.from(manifestCsv(system)) };
  for (const [file, table] of Object.entries(rosterTables(students))) files[`${file}.csv`] = rosterCsv(table);
  return files;
}

// ------------------------------------------------------------------------------------------------- zip

export interface ZipEntrySpec {
  name: string;
  data: Buffer;
  /** Stored (no compression) instead of deflated. */
  stored?: boolean;
  /** A size the zip declares instead of the true one (a zip that lies about its sizes). */
  declaredSize?: number;
}

/** A zip file (local headers, central directory, end record), written here so that it can be made to lie. */
export function zipOf(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const packed = entry.stored ? entry.data : deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const method = entry.stored ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export const rosterZip = (files: Record<string, Buffer>, folder = 'roster') =>
  zipOf(Object.entries(files).map(([name, data]) => ({ name: `${folder}/${name}`, data })));

// -------------------------------------------------------------------------------------------- defects

export const toShiftJis = (text: string) => iconv.encode(text, 'Shift_JIS');

/**
 * Where the ingest must point for a defect: the file always; a line (`row`, 1 = the header) when the
 * defect is on one line; a column when it is in one value or names one. `certain`: the file cannot be
 * valid any more (else it may still load: a flipped byte in a free-text value).
 */
export interface DefectSpot {
  certain: boolean;
  row: number | null;
  column: string | null;
}

export interface DefectiveFile {
  bytes: Buffer;
  spot: DefectSpot;
}

/** Impossible calendar dates: each has YYYY-MM-DD's shape but names no day. */
export const IMPOSSIBLE_DATES = ['2025-02-30', '2025-13-01', '2025-04-31', '2025-00-10', '2025-06-31', '2026-02-29'];

/** A value each feed's rules refuse in one of its columns. */
const BAD_VALUES: Record<CsvFeed, [column: string, value: string][]> = {
  attendance: [
    ['status', 'absentee'],
    ['reason', 'holiday'],
    ['school_code', 'X999999999999'],
  ],
  assessments: [
    ['score', 'eighty'],
    ['max_score', '0'],
    ['score', '-5'],
  ],
  guidance: [
    ['category', 'fight'],
    ['resolved', 'maybe'],
  ],
  programmes: [
    ['school_code', 'X999999999999'],
    ['end_date', '2024-01-01'],
  ],
  calendar: [['school_code', 'X999999999999']],
};

/** The columns of each feed without which no file of it is read. */
export const REQUIRED: Record<CsvFeed, string[]> = {
  attendance: ['school_code', 'student_id', 'date', 'status'],
  assessments: ['school_code', 'student_id', 'assessment_id', 'subject', 'administered_on', 'score', 'max_score'],
  guidance: ['school_code', 'student_id', 'recorded_on', 'category'],
  programmes: ['programme_id', 'programme_name', 'school_code', 'start_date'],
  calendar: ['school_code', 'date'],
};

/** Defects of a CSV file that leave it invalid, each with where the ingest must point. */
export const CSV_DEFECTS = [
  'impossible-date',
  'bad-value',
  'invalid-utf8',
  'missing-column',
  'extra-field',
  'missing-field',
  'huge-field',
  'unbalanced-quote',
  'nul-in-header',
  'wide-header',
] as const;
export type CsvDefect = (typeof CSV_DEFECTS)[number];

/** Rows joined as CSV lines (no header), each line as written. */
const lines = (table: Table) => table.rows.map((row) => table.header.map((c) => cell(row[c] ?? '')).join(','));

/**
 * A CSV file of `feed` (or, feed null, a roster file) with one defect at a data row chosen by `draw`.
 * The table must have at least one row. Line n of the file is row n - 2 of the table (1 = header).
 */
export function csvWithDefect(feed: CsvFeed | null, table: Table, defect: CsvDefect, draw: Draw): DefectiveFile {
  const at = Math.floor(draw() * table.rows.length);
  const row = at + 2;
  const body = lines(table);
  const header = [...table.header];
  const text = (h: string[], b: string[]) => Buffer.from([h.join(','), ...b].join('\n') + '\n');
  const column = pick(table.header, draw());
  const setValue = (col: string, value: string) => {
    const rows = withValue(table.rows, at, col, value);
    return text(header, lines({ header, rows }));
  };
  switch (defect) {
    case 'impossible-date': {
      const col = feed ? DATE_COLUMN[feed] : 'birthDate';
      return { bytes: setValue(col, pick(IMPOSSIBLE_DATES, draw())), spot: { certain: true, row, column: col } };
    }
    case 'bad-value': {
      if (!feed) return csvWithDefect(feed, table, 'invalid-utf8', draw);
      const [col, value] = pick(BAD_VALUES[feed], draw());
      // A bad school code of a row whose student is known: the code is the error.
      return { bytes: setValue(col, value), spot: { certain: true, row, column: col } };
    }
    case 'invalid-utf8': {
      // 0xFF and 0x80 start no character in UTF-8 nor in Shift_JIS (CP932): the file is in neither.
      const value = table.rows[at][column] ?? '';
      const cut = Math.floor(draw() * (value.length + 1));
      const bad = pick([0xff, 0x80, 0xfe], draw());
      const before = [header.join(','), ...body.slice(0, at)].join('\n') + '\n';
      const own = lines({
        header,
        rows: withValue(table.rows, at, column, `${value.slice(0, cut)}\u0000${value.slice(cut)}`),
      })[at];
      const [left, right] = own.split('\u0000');
      const after = body.slice(at + 1).join('\n');
      return {
        bytes: Buffer.concat([
          Buffer.from(before + left),
          Buffer.from([bad]),
          Buffer.from(right + '\n' + after + (after ? '\n' : '')),
        ]),
        spot: { certain: true, row, column },
      };
    }
    case 'missing-column': {
      const required = feed ? REQUIRED[feed] : ['sourcedId'];
      const col = pick(required, draw());
      const kept = header.filter((c) => c !== col);
      return {
        bytes: text(kept, lines({ header: kept, rows: table.rows })),
        spot: { certain: true, row: 1, column: col },
      };
    }
    case 'extra-field':
      return {
        bytes: text(
          header,
          body.map((l, i) => (i === at ? `${l},extra` : l)),
        ),
        spot: { certain: true, row, column: null },
      };
    case 'missing-field':
      return {
        bytes: text(
          header,
          body.map((l, i) => (i === at ? l.slice(0, l.lastIndexOf(',')) : l)),
        ),
        spot: { certain: true, row, column: null },
      };
    case 'huge-field': {
      // Past any free-text limit, and (up to 4 MB) past the CSV reader's longest line.
      const size = pick([300, 70_000, 1_100_000, 4_200_000], draw());
      const col = feed ? pick(REQUIRED[feed], draw()) : 'sourcedId';
      // A line past the reader's longest (2 MB) is refused as a line: its columns cannot be told apart.
      const spot = { certain: true, row, column: size > 2_000_000 ? null : col };
      return { bytes: setValue(col, 'x'.repeat(size)), spot };
    }
    case 'unbalanced-quote':
      return {
        bytes: text(
          header,
          body.map((l, i) => (i === at ? l.replace(/,/, ',"') : l)),
        ),
        spot: { certain: true, row, column: null },
      };
    case 'nul-in-header': {
      const i = Math.floor(draw() * header.length);
      const h = header.map((c, j) => (j === i ? `${c.slice(0, 2)}\u0000${c.slice(2)}` : c));
      return { bytes: text(h, body), spot: { certain: true, row: 1, column: null } };
    }
    case 'wide-header': {
      const extra = pick([60, 250, 5000, 20_000], draw());
      const h = [...header, ...Array.from({ length: extra }, (_, i) => `extra_${i}`)];
      return { bytes: text(h, body), spot: { certain: true, row: 1, column: null } };
    }
  }
}

/** Rows of a table with one value replaced (row index `at`). */
export function withValue(rows: Row[], at: number, column: string, value: string): Row[] {
  return rows.map((row, i) => (i === at ? { ...row, [column]: value } : row));
}

/** Random mutations: the file may stay valid. */
export function truncate(bytes: Buffer, draw: Draw): Buffer {
  return bytes.subarray(0, Math.max(1, Math.floor(draw() * bytes.length)));
}

export function flipBytes(bytes: Buffer, draw: Draw): Buffer {
  const out = Buffer.from(bytes);
  const flips = 1 + Math.floor(draw() * 3);
  for (let i = 0; i < flips; i++) out[Math.floor(draw() * out.length)] = Math.floor(draw() * 256);
  return out;
}

/** A JSON value nested `depth` levels deep, as text (never built as an object: it would overflow the stack). */
export const deepJson = (depth: number, open = '{"a":', close = '}') => `${open.repeat(depth)}1${close.repeat(depth)}`;
