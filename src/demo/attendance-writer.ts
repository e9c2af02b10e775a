/**
 * attendance.csv (`school_code,student_id,date,status,reason,place`) and school_calendar.csv
 * (`school_code,date`) rows for one school-year, day by day and, within a day, in register order
 * (the order a school system exports a daily register).
 */
import { countedPresentPlace, REASON_TEXT, STATUS, STATUS_TEXT } from './attendance-codes.js';
import type { SchoolYearGrid } from './attendance-model.js';
import type { BufferedFileWriter } from './buffered-writer.js';
import { formatDate } from './calendar.js';

export const ATTENDANCE_HEADER = 'school_code,student_id,date,status,reason,place';
export const CALENDAR_HEADER = 'school_code,date';

export async function writeCalendarRows(out: BufferedFileWriter, schoolCode: string, days: Int32Array): Promise<void> {
  for (const d of days) if (out.line(`${schoolCode},${formatDate(d)}`)) await out.drain();
}

/**
 * In `exceptions` mode only the days that are not plain `present` are written; in `full` mode
 * every school day of every student. `reason` is filled on absences only (and may be empty there),
 * `place` on days counted present only.
 */
export async function writeAttendanceRows(
  out: BufferedFileWriter,
  schoolCode: string,
  grid: SchoolYearGrid,
  studentIds: readonly string[],
  full: boolean,
): Promise<void> {
  const D = grid.days.length;
  const n = grid.students.length;
  const statusText = STATUS_TEXT.map((s) => `,${s},`);
  for (let d = 0; d < D; d++) {
    const date = formatDate(grid.days[d]);
    const prefix = schoolCode + ',';
    for (let k = 0, c = d; k < n; k++, c += D) {
      const s = grid.status[c];
      if (s === STATUS.present && !full) continue;
      const reason = s === STATUS.absent ? REASON_TEXT[grid.reason[c]] : '';
      const place = s === STATUS.countedPresent ? countedPresentPlace(grid.students[k]) : '';
      if (out.line(prefix + studentIds[k] + ',' + date + statusText[s] + reason + ',' + place)) await out.drain();
    }
  }
}
