/**
 * Writes one academic year as a OneRoster 1.2 bulk CSV package with the Japan profile
 * (1EdTech Japan, OneRoster 1.2 CSV Binding: Japan K-12/Schools Profile): standard columns in
 * spec order, `status` and `dateLastModified` blank (bulk), `metadata.jp.*` columns after them.
 */
import { join } from 'node:path';
import { academicYearBounds, formatDate } from './calendar.js';
import { BufferedFileWriter, csvLine, type WrittenFile } from './buffered-writer.js';
import { MUNICIPALITY } from './demo-parameters.js';
import type { MunicipalityPlan } from './municipality-plan.js';
import type { Population } from './population.js';
import { hashKeys, hex32, permute32, stableUuid } from './random.js';
import { courseSourcedId, gradeCode, gradeTitle, type IdKeys, type YearRoster } from './year-roster.js';

/** Identifiers of one student in every system, stable across years (how growth is linked). */
export interface StudentIds {
  sourcedId: string;
  learningApp: string;
  ePortal: string;
}

export function studentIds(keys: IdKeys, student: number): StudentIds {
  return {
    sourcedId: stableUuid(keys.student, student),
    learningApp: `la-${hex32(permute32(student, keys.learningApp))}`,
    ePortal: `ep-${hex32(permute32(student, keys.ePortal))}`,
  };
}

const ABSENT_FILES = [
  'categories',
  'classResources',
  'courseResources',
  'lineItemLearningObjectiveIds',
  'lineItems',
  'lineItemScoreScales',
  'resources',
  'resultLearningObjectiveIds',
  'results',
  'resultScoreScales',
  'scoreScales',
  'userProfiles',
  'userResources',
];
const BULK_FILES = ['academicSessions', 'orgs', 'courses', 'classes', 'users', 'roles', 'enrollments', 'demographics'];

const HEADERS = {
  orgs: 'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId',
  academicSessions: 'sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear',
  courses:
    'sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes',
  classes:
    'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods,metadata.jp.specialNeeds,metadata.shirube.disabilityType',
  users:
    'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns,metadata.jp.kanaGivenName,metadata.jp.kanaFamilyName,metadata.jp.kanaMiddleName,metadata.jp.homeClass',
  roles:
    'sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId',
  enrollments:
    'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate,metadata.jp.ShussekiNo,metadata.jp.PublicFlg',
  demographics:
    'sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus',
} as const;

type RosterFile = keyof typeof HEADERS;
const DEMOGRAPHIC_BLANKS = ',,,,,,,,,,,';
const SEX = ['male', 'female'] as const;

export async function writeRosterPackage(
  outDir: string,
  plan: MunicipalityPlan,
  pop: Population,
  roster: YearRoster,
  keys: IdKeys,
): Promise<WrittenFile[]> {
  const { fy } = roster;
  const dir = join(outDir, 'oneroster', String(fy));
  const { first, last } = academicYearBounds(fy);
  const begin = formatDate(first);
  const end = formatDate(last);
  const written: WrittenFile[] = [];

  const manifest = await BufferedFileWriter.open(join(dir, 'manifest.csv'));
  manifest.header('propertyName,value');
  for (const line of [
    'manifest.version,1.0',
    'oneroster.version,1.2',
    ...[...BULK_FILES, ...ABSENT_FILES].sort().map((f) => `file.${f},${BULK_FILES.includes(f) ? 'bulk' : 'absent'}`),
    'source.systemName,Shirube demo generator',
    'source.systemCode,shirube-demo',
  ])
    manifest.line(line);
  written.push(await manifest.close());

  const out = {} as Record<RosterFile, BufferedFileWriter>;
  for (const name of Object.keys(HEADERS) as RosterFile[]) {
    out[name] = await BufferedFileWriter.open(join(dir, `${name}.csv`));
    out[name].header(HEADERS[name]);
  }

  out.academicSessions.line(
    csvLine([roster.sessionSourcedId, '', '', `${fy}年度`, 'schoolYear', begin, end, '', fy + 1]),
  );
  out.orgs.line(csvLine([plan.districtSourcedId, '', '', MUNICIPALITY.boardName, 'district', '', '']));
  for (const school of plan.schools)
    out.orgs.line(csvLine([school.sourcedId, '', '', school.name, 'school', school.code, plan.districtSourcedId]));

  for (const school of plan.schools) {
    const grades = school.type === 'elementary' ? [0, 1, 2, 3, 4, 5] : [6, 7, 8];
    for (const g of grades) {
      const code = gradeCode(g);
      out.courses.line(
        csvLine([
          courseSourcedId(keys, fy, school.index, g),
          '',
          '',
          roster.sessionSourcedId,
          gradeTitle(g),
          `HR-${code}`,
          code,
          school.sourcedId,
          '',
          '',
        ]),
      );
    }
  }
  for (const c of roster.classes) {
    const school = plan.schools[c.schoolIndex];
    out.classes.line(
      csvLine([
        c.sourcedId,
        '',
        '',
        c.title,
        c.grades.map(gradeCode).join(','),
        // A special-needs class belongs to the homeroom course of the lowest grade it serves.
        courseSourcedId(keys, fy, c.schoolIndex, c.grades[0]),
        c.classCode,
        'homeroom',
        '',
        school.sourcedId,
        roster.sessionSourcedId,
        '',
        '',
        '',
        c.specialNeeds ? 'true' : 'false',
        c.disabilityType ?? '',
      ]),
    );
  }

  const roleKey = hashKeys([keys.role, fy]);
  const enrollmentKey = hashKeys([keys.enrollment, fy]);
  let roleSeq = 0;
  let enrollmentSeq = 0;
  const usernameKey = keys.username;
  for (const sr of roster.schools) {
    const school = plan.schools[sr.schoolIndex];
    for (const i of sr.students) {
      const ids = studentIds(keys, i);
      const klass = roster.classes[roster.classOf[i]];
      const family = pop.familyNameOf(i);
      const given = pop.givenNameOf(i);
      const grade = gradeCode(pop.gradeIn(i, fy));
      const username = `s${hex32(permute32(i, usernameKey))}`;
      const userIds = `"{LearningApp:${ids.learningApp}},{ePortal:${ids.ePortal}}"`;
      let block = out.users.line(
        `${ids.sourcedId},,,true,${username},${userIds},${given.kanji},${family.kanji},,,,,,,${grade},,,,,,,${school.sourcedId},,${given.kana},${family.kana},,${klass.sourcedId}`,
      );
      block =
        out.roles.line(`${stableUuid(roleKey, roleSeq++)},,,${ids.sourcedId},primary,student,,,${school.sourcedId},`) ||
        block;
      block =
        out.enrollments.line(
          `${stableUuid(enrollmentKey, enrollmentSeq++)},,,${klass.sourcedId},${school.sourcedId},${ids.sourcedId},student,true,${begin},${end},${roster.shussekiNo[i]},true`,
        ) || block;
      block =
        out.demographics.line(
          `${ids.sourcedId},,,${formatDate(pop.birthDay(i))},${SEX[pop.sex[i]]}${DEMOGRAPHIC_BLANKS}`,
        ) || block;
      if (block)
        await Promise.all([out.users.drain(), out.roles.drain(), out.enrollments.drain(), out.demographics.drain()]);
    }
    for (const t of sr.teachers) {
      const teacher = roster.teachers[t];
      const home = teacher.homeClass >= 0 ? roster.classes[teacher.homeClass] : undefined;
      out.users.line(
        csvLine([
          teacher.sourcedId,
          '',
          '',
          'true',
          teacher.username,
          '',
          teacher.given.kanji,
          teacher.family.kanji,
          '',
          '',
          teacher.email,
          '',
          teacher.phone,
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          school.sourcedId,
          '',
          teacher.given.kana,
          teacher.family.kana,
          '',
          home?.sourcedId ?? '',
        ]),
      );
      out.roles.line(`${stableUuid(roleKey, roleSeq++)},,,${teacher.sourcedId},primary,teacher,,,${school.sourcedId},`);
      if (home) {
        out.enrollments.line(
          `${stableUuid(enrollmentKey, enrollmentSeq++)},,,${home.sourcedId},${school.sourcedId},${teacher.sourcedId},teacher,true,${begin},${end},,true`,
        );
      }
      out.demographics.line(
        `${teacher.sourcedId},,,${formatDate(teacher.birthDay)},${SEX[teacher.sex]}${DEMOGRAPHIC_BLANKS}`,
      );
    }
    await Promise.all(Object.values(out).map((w) => w.drain()));
  }
  for (const name of Object.keys(HEADERS) as RosterFile[]) written.push(await out[name].close());
  return written;
}
