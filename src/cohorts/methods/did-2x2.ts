/**
 * 2×2 difference-in-differences: schools in the programme in every post year and no pre year, against
 * schools in it in none of those years, on the school panel (school-panel.ts); the estimate from
 * src/analysis/did.ts.
 */
import { did2x2 } from '../../analysis/did.js';
import type { Row } from '../../disclosure/disclosure.types.js';
import type { DidOutcome } from '../cohort-definition.js';
import { type AggregateRow, estimateCells, estimateColumns, type PlannedTable } from './method-tables.js';
import {
  effectSpec,
  guarded,
  type ProgrammeSchool,
  programmeMethod,
  schoolPanel,
  trendsTable,
} from './school-panel.js';

export const did2x2Method = programmeMethod('did_2x2', (analysis) => analysis, did2x2Tables);

/** 2×2 DiD: in the programme in every post year and no pre year, vs in it in none of those years. */
function did2x2Tables(
  analysis: { programme: string; outcome: DidOutcome; preYears: number[]; postYears: number[] },
  rows: AggregateRow[],
  programmeSchools: ProgrammeSchool[],
): { tables: Record<string, PlannedTable>; summary: Record<string, unknown> } {
  const window = [...analysis.preYears, ...analysis.postYears];
  const inProgramme = new Map(programmeSchools.map((p) => [p.school_code, p.years]));
  const armOf = (school: string): string | null => {
    const years = inProgramme.get(school) ?? [];
    if (analysis.postYears.every((y) => years.includes(y)) && !analysis.preYears.some((y) => years.includes(y)))
      return 'treated';
    if (!window.some((y) => years.includes(y))) return 'comparison';
    return null;
  };
  const panel = schoolPanel(rows, analysis.outcome);
  const observations = panel
    .filter((p) => window.includes(p.period) && armOf(p.school) !== null)
    .map((p) => ({
      school: p.school,
      treated: armOf(p.school) === 'treated',
      post: analysis.postYears.includes(p.period),
      value: p.value,
    }));
  const result = guarded(() => did2x2(observations));
  const students = panel
    .filter((p) => window.includes(p.period) && armOf(p.school) !== null)
    .reduce((s, p) => s + p.students, 0);
  const effect: Row = {
    ...estimateCells(result),
    df: result.df,
    treated_schools: result.treatedSchools,
    comparison_schools: result.comparisonSchools,
    students,
    min_arm_schools: Math.min(result.treatedSchools, result.comparisonSchools),
  };
  const excluded = new Set(panel.filter((p) => armOf(p.school) === null).map((p) => p.school)).size;
  return {
    tables: {
      effect: {
        columns: [...estimateColumns, 'df', 'treated_schools', 'comparison_schools', 'students', 'min_arm_schools'],
        rows: [effect],
        spec: effectSpec({}),
      },
      trends: trendsTable(panel, armOf),
    },
    summary: {
      design: '2x2',
      outcome: analysis.outcome,
      preYears: analysis.preYears,
      postYears: analysis.postYears,
      cells: result.cells,
      excludedSchools: excluded,
      level: 0.95,
    },
  };
}
