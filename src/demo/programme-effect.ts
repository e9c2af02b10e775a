/**
 * The planted programme effect on attendance. 校内教育支援センター (kōnai kyōiku shien sentā, an
 * in-school support room where students who cannot face the classroom still come to school)
 * turns some absence days into attended days. To make the effect an exact, known number, an
 * adopting school loses exactly round(effect × required days) absence days in each year from
 * adoption on, so its attendance rate (attended / required, see DOMAIN.md) rises by the effect
 * (to within half a day over the school's required days). Which days: a weighted random sample
 * without replacement, non-attendance (不登校) days twice as likely as others. A tiny school can
 * have fewer absence days than that: then all of them go and the realised effect, recorded in
 * truth.json per school-year, is smaller than planted.
 */
import { REASON, STATUS } from './attendance-codes.js';
import type { SchoolYearGrid } from './attendance-model.js';
import { Rng } from './random.js';
import { STREAM } from './streams.js';

export interface AppliedEffect {
  /** Absence days turned into attended days. */
  removedDays: number;
  /** Required days of all the school's students (the rate's denominator, unchanged by the effect). */
  requiredDays: number;
  /** removedDays / requiredDays: the realised rise of the school's attendance rate (a fraction). */
  realisedEffect: number;
}

export function requiredDaysOf(grid: SchoolYearGrid): number {
  let excused = 0;
  for (const s of grid.status) if (s === STATUS.suspension || s === STATUS.mourning || s === STATUS.closure) excused++;
  return grid.status.length - excused;
}

export function applyProgrammeEffect(
  grid: SchoolYearGrid,
  effect: number,
  seed: number,
  schoolIndex: number,
  fy: number,
): AppliedEffect {
  const requiredDays = requiredDaysOf(grid);
  if (effect <= 0) return { removedDays: 0, requiredDays, realisedEffect: 0 };
  const cells: number[] = [];
  for (let c = 0; c < grid.status.length; c++) if (grid.status[c] === STATUS.absent) cells.push(c);
  const wanted = Math.min(cells.length, Math.round(effect * requiredDays));
  // Efraimidis–Spirakis: the `wanted` smallest keys −ln(u)/w are a weighted sample without replacement.
  const rng = Rng.stream(seed, STREAM.programmeEffect, schoolIndex, fy);
  const keys = new Float64Array(cells.length);
  cells.forEach((c, k) => (keys[k] = -Math.log(1 - rng.next()) / (grid.reason[c] === REASON.nonAttendance ? 2 : 1)));
  const order = Int32Array.from(cells.keys()).sort((a, b) => keys[a] - keys[b] || a - b);
  for (let k = 0; k < wanted; k++) {
    const c = cells[order[k]];
    grid.status[c] = STATUS.present;
    grid.reason[c] = REASON.none;
  }
  return { removedDays: wanted, requiredDays, realisedEffect: requiredDays > 0 ? wanted / requiredDays : 0 };
}
