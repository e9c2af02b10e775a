/**
 * Staggered adoption: Callaway & Sant'Anna group-time effects (src/analysis/staggered-did.ts) on the
 * school panel (school-panel.ts), with the year each school first took part; overall and by years since
 * adoption.
 */
import { callawaySantAnna, type Comparison } from '../../analysis/staggered-did.js';
import type { Row } from '../../disclosure/disclosure.types.js';
import type { DidOutcome } from '../cohort-definition.js';
import { type AggregateRow, dimension, estimateCells, estimateColumns, type PlannedTable } from './method-tables.js';
import {
  effectSpec,
  guarded,
  type ProgrammeSchool,
  programmeMethod,
  schoolPanel,
  trendsTable,
} from './school-panel.js';

export const didStaggered = programmeMethod('did_staggered', (analysis) => analysis, staggeredTables);

/** Staggered adoption: Callaway & Sant'Anna group-time effects, overall and by years since adoption. */
function staggeredTables(
  analysis: { programme: string; outcome: DidOutcome; comparison?: Comparison },
  rows: AggregateRow[],
  programmeSchools: ProgrammeSchool[],
): { tables: Record<string, PlannedTable>; summary: Record<string, unknown> } {
  const comparison = analysis.comparison ?? 'never_treated';
  const panel = schoolPanel(rows, analysis.outcome);
  const first = new Map(programmeSchools.map((p) => [p.school_code, p.first_year]));
  const firstTreated = new Map<string, number | null>(panel.map((p) => [p.school, first.get(p.school) ?? null]));
  const result = guarded(() =>
    callawaySantAnna(
      panel.map((p) => ({ school: p.school, period: p.period, value: p.value })),
      firstTreated,
      { comparison },
    ),
  );
  const studentsAt = new Map(panel.map((p) => [`${p.school}|${p.period}`, p.students]));
  const groupStudents = (group: number, period: number): number =>
    [...firstTreated]
      .filter(([, g]) => g === group)
      .reduce((s, [school]) => s + (studentsAt.get(`${school}|${period}`) ?? 0), 0);

  const groupTime = result.groupTime.map((g) => ({
    group: g.group,
    period: g.period,
    event_time: g.eventTime,
    ...estimateCells(g),
    df: g.df,
    treated_schools: g.treatedSchools,
    comparison_schools: g.comparisonSchools,
    students: groupStudents(g.group, g.period),
    min_arm_schools: Math.min(g.treatedSchools, g.comparisonSchools),
  }));
  const cellsAt = (filter: (g: (typeof groupTime)[number]) => boolean) => {
    const cells = groupTime.filter(filter);
    return {
      treated: cells.reduce((s, g) => s + g.treated_schools, 0),
      comparison: cells.length ? Math.min(...cells.map((g) => g.comparison_schools)) : 0,
      students: cells.reduce((s, g) => s + g.students, 0),
    };
  };
  const overallCells = cellsAt((g) => g.event_time >= 0);
  // The overall effect's treated schools: those of the groups with a cell after adoption (counted once).
  const postGroups = new Set(groupTime.filter((g) => g.event_time >= 0).map((g) => g.group));
  const overallTreated = [...firstTreated.values()].filter((g) => g !== null && postGroups.has(g)).length;
  const effects: Row[] = [
    {
      effect: 'overall',
      event_time: null,
      ...estimateCells(result.overall),
      df: result.overall.df,
      treated_schools: overallTreated,
      comparison_schools: overallCells.comparison,
      students: overallCells.students,
      min_arm_schools: Math.min(overallTreated, overallCells.comparison),
    },
    ...result.eventStudy.map((e) => {
      const cells = cellsAt((g) => g.event_time === e.eventTime);
      return {
        effect: 'event_time',
        event_time: e.eventTime,
        ...estimateCells(e),
        df: e.df,
        treated_schools: cells.treated,
        comparison_schools: cells.comparison,
        students: cells.students,
        min_arm_schools: Math.min(cells.treated, cells.comparison),
      };
    }),
  ];
  const armOf = (school: string): string | null => {
    const g = firstTreated.get(school);
    if (result.excluded.some((x) => x.school === school)) return null;
    return g === null || g === undefined ? 'never' : `adopted_${g}`;
  };
  return {
    tables: {
      effects: {
        columns: [
          'effect',
          'event_time',
          ...estimateColumns,
          'df',
          'treated_schools',
          'comparison_schools',
          'students',
          'min_arm_schools',
        ],
        rows: effects,
        spec: effectSpec({ effect: dimension, event_time: dimension }),
      },
      group_time: {
        columns: [
          'group',
          'period',
          'event_time',
          ...estimateColumns,
          'df',
          'treated_schools',
          'comparison_schools',
          'students',
          'min_arm_schools',
        ],
        rows: groupTime,
        spec: effectSpec({ group: dimension, period: dimension, event_time: dimension }),
      },
      trends: trendsTable(panel, armOf),
    },
    summary: {
      design: 'staggered',
      estimator: 'Callaway & Sant’Anna (2021)',
      outcome: analysis.outcome,
      comparison,
      basePeriod: result.basePeriod,
      excludedSchools: result.excluded.length,
      level: 0.95,
    },
  };
}
