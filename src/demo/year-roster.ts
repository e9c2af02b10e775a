/**
 * One academic year's roster: who is at which school, in which homeroom, with which 出席番号
 * (shusseki bangō, the number a student has in the class register), and the teachers.
 * Classes are reshuffled every year (クラス替え, kurasu-gae), as most schools do.
 */
import { dayNumber } from './calendar.js';
import { FIRST_JUNIOR_HIGH_GRADE, GRADES, ROSTER } from './demo-parameters.js';
import type { MunicipalityPlan } from './municipality-plan.js';
import {
  FAMILY_NAMES,
  kanjiNumber,
  MEN_NAMES,
  type PersonName,
  SPECIAL_NEEDS_CLASS_NAMES,
  WOMEN_NAMES,
} from './names.js';
import type { Population } from './population.js';
import { apportion, hex32, hashKeys, permute32, Rng, stableUuid } from './random.js';
import { ID_KEY, STREAM } from './streams.js';

export interface ClassInfo {
  sourcedId: string;
  schoolIndex: number;
  /** `3年2組`, or `ひまわり学級` for a special-needs class. */
  title: string;
  classCode: string;
  /** Grade indices of the students (one for an ordinary class, possibly several for 特別支援学級). */
  grades: number[];
  specialNeeds: boolean;
  /** A special-needs class's type of disability (a DISABILITY_TYPES code); null for an ordinary class. */
  disabilityType: string | null;
  /** Index into the year's teachers. */
  teacher: number;
  size: number;
}

export interface TeacherInfo {
  sourcedId: string;
  schoolIndex: number;
  family: PersonName;
  given: PersonName;
  sex: 0 | 1;
  birthDay: number;
  username: string;
  email: string;
  phone: string;
  /** Index into the year's classes, or −1 (principal, vice principal, subject teachers). */
  homeClass: number;
}

export interface SchoolRoster {
  schoolIndex: number;
  /** Student numbers in register order: grade, class, 出席番号; special-needs classes last. */
  students: Int32Array;
  classes: number[];
  teachers: number[];
}

export interface YearRoster {
  fy: number;
  sessionSourcedId: string;
  schools: SchoolRoster[];
  classes: ClassInfo[];
  teachers: TeacherInfo[];
  /** Per student number: class index this year (−1 = not enrolled) and 出席番号. */
  classOf: Int32Array;
  shussekiNo: Uint16Array;
  enrolled: number;
}

/** Identifier keys that depend only on the seed, computed once per run. */
export interface IdKeys {
  student: number;
  learningApp: number;
  ePortal: number;
  teacher: number;
  username: number;
  session: number;
  course: number;
  klass: number;
  role: number;
  enrollment: number;
}

export function idKeys(seed: number): IdKeys {
  const key = (k: number): number => hashKeys([seed, STREAM.ids, k]);
  return {
    student: key(ID_KEY.student),
    learningApp: key(ID_KEY.learningApp),
    ePortal: key(ID_KEY.ePortal),
    teacher: key(ID_KEY.teacher),
    username: key(100),
    session: key(ID_KEY.session),
    course: key(ID_KEY.course),
    klass: key(ID_KEY.klass),
    role: key(ID_KEY.role),
    enrollment: key(ID_KEY.enrollment),
  };
}

/** `3年` for P3 and J3 alike: within a school level grades are numbered from 1. */
export function gradeTitle(grade: number): string {
  return `${grade < FIRST_JUNIOR_HIGH_GRADE ? grade + 1 : grade - FIRST_JUNIOR_HIGH_GRADE + 1}年`;
}

export function courseSourcedId(keys: IdKeys, fy: number, school: number, grade: number): string {
  return stableUuid(hashKeys([keys.course, fy]), school * 16 + grade);
}

function teacherOf(keys: IdKeys, seed: number, school: number, slot: number): Omit<TeacherInfo, 'homeClass'> {
  const rng = Rng.stream(seed, STREAM.teachers, school, slot);
  const sex: 0 | 1 = rng.chance(0.55) ? 1 : 0; // most elementary teachers are women
  const family = FAMILY_NAMES[rng.int(FAMILY_NAMES.length)];
  const givenList = sex === 0 ? MEN_NAMES : WOMEN_NAMES;
  const given = givenList[rng.int(givenList.length)];
  const tag = hex32(permute32(school * 4096 + slot, keys.username)).slice(0, 4);
  const username = `${family.romaji}.${given.romaji[0]}${tag}`;
  return {
    sourcedId: stableUuid(keys.teacher, school * 4096 + slot),
    schoolIndex: school,
    family,
    given,
    sex,
    birthDay: dayNumber(rng.range(1964, 2001), rng.range(1, 12), rng.range(1, 28)),
    username,
    email: `${username}@edu.shirube-city.example.jp`,
    phone: `029-${String(200 + (school % 700)).padStart(3, '0')}-${String(1000 + rng.int(9000))}`,
  };
}

function compareRegister(pop: Population) {
  return (a: number, b: number): number => {
    const fa = pop.familyNameOf(a).kana;
    const fb = pop.familyNameOf(b).kana;
    if (fa !== fb) return fa < fb ? -1 : 1;
    const ga = pop.givenNameOf(a).kana;
    const gb = pop.givenNameOf(b).kana;
    if (ga !== gb) return ga < gb ? -1 : 1;
    return a - b;
  };
}

export function buildYearRoster(
  fy: number,
  plan: MunicipalityPlan,
  pop: Population,
  keys: IdKeys,
  seed: number,
): YearRoster {
  const schoolCount = plan.schools.length;
  // Bucket enrolled students by school, in student-number order (a counting sort).
  const counts = new Int32Array(schoolCount + 1);
  for (let i = 0; i < pop.count; i++) {
    const s = pop.schoolIn(i, fy);
    if (s >= 0) counts[s + 1]++;
  }
  for (let s = 0; s < schoolCount; s++) counts[s + 1] += counts[s];
  const bucket = new Int32Array(counts[schoolCount]);
  const fill = counts.slice(0, schoolCount);
  for (let i = 0; i < pop.count; i++) {
    const s = pop.schoolIn(i, fy);
    if (s >= 0) bucket[fill[s]++] = i;
  }

  const roster: YearRoster = {
    fy,
    sessionSourcedId: stableUuid(keys.session, fy),
    schools: [],
    classes: [],
    teachers: [],
    classOf: new Int32Array(pop.count).fill(-1),
    shussekiNo: new Uint16Array(pop.count),
    enrolled: bucket.length,
  };
  const classKey = hashKeys([keys.klass, fy]);
  const register = compareRegister(pop);

  for (let s = 0; s < schoolCount; s++) {
    const members = bucket.subarray(counts[s], counts[s + 1]);
    const rng = Rng.stream(seed, STREAM.classes, s, fy);
    const order: number[] = [];
    const classes: number[] = [];
    const addClass = (info: Omit<ClassInfo, 'sourcedId' | 'teacher' | 'size'>, studentsOfClass: number[]): void => {
      const index = roster.classes.length;
      studentsOfClass.sort(register);
      studentsOfClass.forEach((student, k) => {
        roster.classOf[student] = index;
        roster.shussekiNo[student] = k + 1;
        order.push(student);
      });
      roster.classes.push({
        ...info,
        sourcedId: stableUuid(classKey, index),
        teacher: -1,
        size: studentsOfClass.length,
      });
      classes.push(index);
    };

    const grades = plan.schools[s].type === 'elementary' ? [0, 1, 2, 3, 4, 5] : [6, 7, 8];
    for (const grade of grades) {
      const ordinary: number[] = [];
      for (const i of members) if (pop.gradeIn(i, fy) === grade && !pop.specialNeeds[i]) ordinary.push(i);
      rng.shuffle(ordinary);
      const classCount = Math.ceil(ordinary.length / ROSTER.maxOrdinaryClass);
      for (let c = 0; c < classCount; c++) {
        const level = gradeTitle(grade);
        addClass(
          {
            schoolIndex: s,
            title: `${level}${c + 1}組`,
            classCode: `${level[0]}-${c + 1}`,
            grades: [grade],
            specialNeeds: false,
            disabilityType: null,
          },
          ordinary.filter((_, k) => k % classCount === c),
        );
      }
    }
    // 特別支援学級: up to 8 students, grouped by neighbouring grades.
    const special = Array.from(members).filter((i) => pop.specialNeeds[i]);
    special.sort((a, b) => pop.gradeIn(a, fy) - pop.gradeIn(b, fy) || a - b);
    const specialCount = Math.ceil(special.length / ROSTER.maxSpecialNeedsClass);
    const disabilities = ROSTER.specialNeedsDisabilities;
    let taken = 0;
    apportion(special.length, new Array<number>(specialCount).fill(1)).forEach((size, j) => {
      const group = special.slice(taken, taken + size);
      taken += size;
      const base = SPECIAL_NEEDS_CLASS_NAMES[j % SPECIAL_NEEDS_CLASS_NAMES.length];
      const round = Math.floor(j / SPECIAL_NEEDS_CLASS_NAMES.length);
      const gradesOfGroup = [...new Set(group.map((i) => pop.gradeIn(i, fy)))].sort((a, b) => a - b);
      addClass(
        {
          schoolIndex: s,
          title: `${base}${round ? `第${kanjiNumber(round + 1)}` : ''}学級`,
          classCode: `SN-${j + 1}`,
          grades: gradesOfGroup,
          specialNeeds: true,
          disabilityType: disabilities[(s + j) % disabilities.length],
        },
        group,
      );
    });

    // Staff: principal (校長), vice principal (教頭), one homeroom teacher per class, subject teachers.
    const extra = Math.ceil(classes.length * (plan.schools[s].type === 'elementary' ? 0.15 : 0.5));
    const slots = 2 + classes.length + extra;
    const homeroomSlots = Array.from({ length: slots - 2 }, (_, k) => k + 2);
    rng.shuffle(homeroomSlots);
    const homeClassOfSlot = new Map<number, number>(classes.map((c, k) => [homeroomSlots[k], c]));
    const teachers: number[] = [];
    for (let slot = 0; slot < slots; slot++) {
      const index = roster.teachers.length;
      const homeClass = homeClassOfSlot.get(slot) ?? -1;
      roster.teachers.push({ ...teacherOf(keys, seed, s, slot), homeClass });
      if (homeClass >= 0) roster.classes[homeClass].teacher = index;
      teachers.push(index);
    }
    roster.schools.push({ schoolIndex: s, students: Int32Array.from(order), classes, teachers });
  }
  return roster;
}

/** `P3`, `J1` ... */
export function gradeCode(grade: number): string {
  return GRADES[grade];
}
