/**
 * The synthetic municipality generator: a deterministic, realistic Japanese city's school data
 * written as the real input files Shirube ingests, plus truth.json (what the data was built to
 * answer). Same options → byte-identical files. Rows are streamed school-year by school-year,
 * so memory stays flat from the 12-school demo to a 1,000-school prefecture.
 *
 * Layout of outDir:
 *   oneroster/<FY>/*.csv          OneRoster 1.2 bulk + Japan profile, one package per academic year
 *   school_calendar.csv           school_code,date
 *   attendance.csv                school_code,student_id,date,status,reason
 *   assessments.csv               school_code,student_id,assessment_id,subject,administered_on,score,max_score
 *   guidance_records.csv          school_code,student_id,recorded_on,category,type_code,discovered_by,resolved,serious
 *   programmes.csv                programme_id,programme_name,school_code,start_date,end_date
 *   xapi/statements.ndjson        xAPI statements, one per line
 *   truth.json
 */
import { stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { ASSESSMENT_HEADER, writeAssessmentRows } from './assessment-model.js';
import { simulateSchoolYear, totalsOf } from './attendance-model.js';
import { ATTENDANCE_HEADER, CALENDAR_HEADER, writeAttendanceRows, writeCalendarRows } from './attendance-writer.js';
import { BufferedFileWriter, csvLine, type WrittenFile } from './buffered-writer.js';
import {
  dayNumber,
  drawCalendarVariation,
  formatDate,
  holidaysOfAcademicYear,
  schoolDays,
  weeksWithSchoolDays,
} from './calendar.js';
import { PLANTED } from './demo-parameters.js';
import { type DemoOptions, normalizeDemoOptions } from './demo-options.js';
import { absenceCourse, plantDrift } from './drift-model.js';
import { GUIDANCE_HEADER, writeGuidanceRows } from './guidance-model.js';
import { type MunicipalityPlan, planMunicipality } from './municipality-plan.js';
import { createPopulation } from './population.js';
import { applyProgrammeEffect } from './programme-effect.js';
import { Rng } from './random.js';
import { studentIds, writeRosterPackage } from './roster-writer.js';
import { STREAM } from './streams.js';
import { TruthBuilder } from './truth-builder.js';
import { writeXapiStatements } from './xapi-writer.js';
import { buildYearRoster, idKeys } from './year-roster.js';

export type { DemoOptions } from './demo-options.js';
export { DemoOptionsError } from './demo-options.js';

export interface DemoSummary {
  outDir: string;
  /** Paths relative to outDir (with `/`); rows = data rows (CSV header not counted; truth.json: answer rows). */
  files: { path: string; rows: number; bytes: number }[];
  schools: number;
  /** Students enrolled in the last academic year. */
  students: number;
  academicYears: number[];
}

async function writeProgrammes(outDir: string, plan: MunicipalityPlan): Promise<WrittenFile> {
  const out = await BufferedFileWriter.open(join(outDir, 'programmes.csv'));
  out.header('programme_id,programme_name,school_code,start_date,end_date');
  for (const programme of [plan.supportRoom, plan.ictModel]) {
    for (const a of programme.adoptions)
      out.line(
        csvLine([programme.programmeId, programme.name, plan.schools[a.schoolIndex].code, a.startDate, a.endDate]),
      );
  }
  return out.close();
}

export async function generateMunicipality(options: DemoOptions): Promise<DemoSummary> {
  const o = normalizeDemoOptions(options);
  const outDir = resolve(o.outDir);
  const plan = planMunicipality(o);
  const pop = createPopulation(plan, o.students, o.seed);
  const keys = idKeys(o.seed);
  const effect = o.plantedEffects ? PLANTED.programmeEffectPoints / 100 : 0;
  const valueAdded = o.plantedEffects ? PLANTED.valueAddedPoints : 0;
  const truth = new TruthBuilder(o, plan, pop, effect, valueAdded);
  const rosterFiles: WrittenFile[] = [];

  const calendarOut = await BufferedFileWriter.open(join(outDir, 'school_calendar.csv'));
  const attendanceOut = await BufferedFileWriter.open(join(outDir, 'attendance.csv'));
  const assessmentOut = await BufferedFileWriter.open(join(outDir, 'assessments.csv'));
  const guidanceOut = await BufferedFileWriter.open(join(outDir, 'guidance_records.csv'));
  const xapiOut = await BufferedFileWriter.open(join(outDir, 'xapi', 'statements.ndjson'));
  calendarOut.header(CALENDAR_HEADER);
  attendanceOut.header(ATTENDANCE_HEADER);
  assessmentOut.header(ASSESSMENT_HEADER);
  guidanceOut.header(GUIDANCE_HEADER);

  let lastYearEnrolment = 0;
  for (const [yearIndex, fy] of plan.academicYears.entries()) {
    const roster = buildYearRoster(fy, plan, pop, keys, o.seed);
    lastYearEnrolment = roster.enrolled;
    rosterFiles.push(...(await writeRosterPackage(outDir, plan, pop, roster, keys)));
    const holidays = holidaysOfAcademicYear(fy);

    for (const school of plan.schools) {
      const days = schoolDays(
        fy,
        drawCalendarVariation(Rng.stream(o.seed, STREAM.calendar, school.index, fy)),
        holidays,
      );
      await writeCalendarRows(calendarOut, school.code, days);

      const grid = simulateSchoolYear(fy, yearIndex, school, days, roster, pop, o.seed);
      // Drift into non-attendance, on its own stream; before the programme effect, so that the municipality
      // with and without planted effects drift alike and differ by exactly the effect.
      // Only in the latest year, the one the watch list reads: earlier years stay as the programme evaluations saw them.
      const planted = fy === o.lastAcademicYear ? plantDrift(grid, o.seed, school.index, fy, school.type) : [];
      const adopted = plan.adoptionYear[school.index];
      const applied =
        adopted !== undefined && fy >= adopted
          ? applyProgrammeEffect(grid, effect, o.seed, school.index, fy)
          : undefined;

      const ids = Array.from(grid.students, (i) => studentIds(keys, i));
      const sourcedIds = ids.map((x) => x.sourcedId);
      await writeAttendanceRows(attendanceOut, school.code, grid, sourcedIds, o.attendance === 'full');
      const scores = await writeAssessmentRows(assessmentOut, {
        fy,
        school,
        plan,
        grid,
        pop,
        seed: o.seed,
        valueAddedPoints: valueAdded,
        studentIdOf: school.assessmentIdIsEPortal ? (k) => ids[k].ePortal : (k) => ids[k].sourcedId,
      });
      const guidance = await writeGuidanceRows(
        guidanceOut,
        fy,
        school,
        grid,
        pop,
        o.seed,
        (k) => ids[k].sourcedId,
        planted,
      );
      if (fy === o.lastAcademicYear) {
        // The watch list's test: as of 31 October, who drifts (planted) and who goes on to reach 30 absence days.
        const asOf = dayNumber(fy, 10, 31);
        truth.addWatch(
          formatDate(asOf),
          planted.map((p) => ({
            schoolCode: school.code,
            studentId: ids[p.k].sourcedId,
            onset: formatDate(days[p.onset]),
            bullyingVictim: p.bullyingDay >= 0,
          })),
          grid.students.reduce<
            { schoolCode: string; studentId: string; absentByAsOf: number; absentDays: number; day30: string }[]
          >((rows, _i, k) => {
            const course = absenceCourse(grid, k, asOf);
            if (course.day30 >= 0)
              rows.push({
                schoolCode: school.code,
                studentId: ids[k].sourcedId,
                absentByAsOf: course.absentBy,
                absentDays: course.total,
                day30: formatDate(days[course.day30]),
              });
            return rows;
          }, []),
        );
      }
      const xapi = await writeXapiStatements(
        xapiOut,
        fy,
        school,
        grid,
        pop,
        o.seed,
        keys.learningApp,
        (k) => ids[k].learningApp,
      );

      truth.addSchoolYear({
        fy,
        schoolIndex: school.index,
        roster,
        students: grid.students,
        schoolDays: days.length,
        weeks: weeksWithSchoolDays(days),
        totals: totalsOf(grid),
        effect: applied,
        scores,
        guidance,
        xapi,
      });
    }
  }

  const streamed = [
    await calendarOut.close(),
    await attendanceOut.close(),
    await assessmentOut.close(),
    await guidanceOut.close(),
    await writeProgrammes(outDir, plan),
    await xapiOut.close(),
  ];
  const truthPath = join(outDir, 'truth.json');
  const truthRows = await truth.write(truthPath);
  const { size } = await stat(truthPath);

  const files = [...rosterFiles, ...streamed, { path: truthPath, rows: truthRows, bytes: size }].map((f) => ({
    path: relative(outDir, f.path).split(sep).join('/'),
    rows: f.rows,
    bytes: f.bytes,
  }));
  return {
    outDir,
    files,
    schools: plan.schools.length,
    students: lastYearEnrolment,
    academicYears: plan.academicYears,
  };
}
