/**
 * Funnel plot of a school-level rate in one year (Spiegelhalter 2005, src/analysis/funnel.ts) on the
 * school panel (school-panel.ts). Once published, a school's limits are drawn at its published (rounded)
 * number of students.
 */
import { funnelLimits, funnelPlot, type FunnelUnit } from '../../analysis/funnel.js';
import type { ColumnRole, Row } from '../../disclosure/disclosure.types.js';
import { type CohortMethod, needsOfOutcomes, NO_GROUPS } from './cohort-method.js';
import { about, type AggregateRow, count, dimension, type PlannedTable, round } from './method-tables.js';
import { guarded, schoolPeriods } from './school-panel.js';

export const funnel: CohortMethod<'funnel'> = {
  method: 'funnel',
  needs: (definition, analysis) =>
    needsOfOutcomes([...definition.outcomes, analysis.outcome], (definition.derivedOutcomes?.length ?? 0) > 0),
  groups: () => NO_GROUPS,
  async plan({ analysis, cohort }) {
    const { tables, summary, afterDisclosure } = funnelTables(analysis, await schoolPeriods(cohort));
    return { planned: tables, summary, afterDisclosure };
  },
};

/** Funnel plot data for a school-level rate in one year. */
function funnelTables(
  analysis: { outcome: 'long_term_absence' | 'attendance_rate'; academicYear: number },
  rows: AggregateRow[],
): {
  tables: Record<string, PlannedTable>;
  summary: Record<string, unknown>;
  afterDisclosure: (tables: Record<string, { rows: Row[] }>) => void;
} {
  const perSchool = rows.filter(
    (r) => r.b1 !== 'all' && Number(r.period) === analysis.academicYear && r.attendance_students > 0,
  );
  const lta = analysis.outcome === 'long_term_absence';
  const units: FunnelUnit[] = perSchool
    .map((r) => ({
      school: r.b1,
      numerator: lta ? r.long_term_absent : (r.attended_days ?? 0),
      denominator: lta ? r.attendance_students : (r.required_days ?? 0),
    }))
    .filter((u) => u.denominator > 0);
  const result = guarded(() => funnelPlot(units));
  const students = new Map(perSchool.map((r) => [r.b1, r]));
  const columns: Record<string, ColumnRole> = { school: dimension, students: count };
  if (lta) {
    columns.long_term_absent = count;
    columns.rate = { kind: 'rate', numerator: 'long_term_absent', denominator: 'students' };
  } else {
    columns.required_days = dimension;
    columns.rate = about('students');
  }
  for (const c of ['z', 'lower95', 'upper95', 'lower998', 'upper998', 'flag']) columns[c] = about('students');
  const out: Row[] = result.points.map((p) => {
    const r = students.get(p.school)!;
    const row: Row = { school: p.school, students: r.attendance_students };
    if (lta) row.long_term_absent = r.long_term_absent;
    else row.required_days = p.denominator;
    Object.assign(row, {
      rate: round(p.rate),
      z: round(p.z, 3),
      lower95: round(p.lower95),
      upper95: round(p.upper95),
      lower998: round(p.lower998),
      upper998: round(p.upper998),
      flag: p.flag,
    });
    return row;
  });
  return {
    tables: {
      schools: { columns: Object.keys(columns), rows: out, spec: { columns, unit: 'school' } },
      limits: {
        columns: ['denominator', 'lower95', 'upper95', 'lower998', 'upper998'],
        rows: result.curve.map((c) => ({
          denominator: Math.round(c.denominator),
          lower95: round(c.lower95),
          upper95: round(c.upper95),
          lower998: round(c.lower998),
          upper998: round(c.upper998),
        })),
        spec: {
          columns: {
            denominator: dimension,
            lower95: dimension,
            upper95: dimension,
            lower998: dimension,
            upper998: dimension,
          },
          unit: 'school',
        },
      },
    },
    summary: {
      outcome: analysis.outcome,
      academicYear: analysis.academicYear,
      target: round(result.target),
      overdispersion: result.overdispersion,
      phi: round(result.phi, 4),
      tau2: round(result.tau2, 8),
      denominator: lta ? 'students' : 'required days',
      method: 'Spiegelhalter (2005) funnel plot, 95% and 99.8% limits, additive random-effects overdispersion',
      limitsAtPublishedDenominator: lta,
    },
    // A school's limits at its exact number of students would give that number back (n follows from a
    // limit's width): where the denominator is students, draw them at the published (rounded) number.
    afterDisclosure: (published) => {
      if (!lta) return;
      for (const row of published.schools.rows) {
        const n = row.students;
        const limits = typeof n === 'number' && n > 0 ? funnelLimits(result, n) : null;
        for (const c of ['lower95', 'upper95', 'lower998', 'upper998'] as const)
          row[c] = limits ? round(limits[c]) : null;
      }
    },
  };
}
