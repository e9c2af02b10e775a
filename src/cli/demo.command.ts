import { type Command, Option } from 'commander';
import type { DemoOptions } from '../demo/demo-generator.js';
import { printResult } from './output.js';

function positiveInt(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1)
      throw new Error(`--${name} must be a whole number ≥ 1, got "${value}"`);
    return Number(value);
  };
}

export function registerDemo(program: Command): void {
  const demo = program.command('demo').description('The synthetic demo municipality');

  demo
    .command('generate')
    .description(
      'Write a synthetic municipality as real input files (OneRoster, attendance, calendars, assessments, guidance, programmes, xAPI) plus truth.json',
    )
    .option('--schools <n>', 'number of schools', positiveInt('schools'), 12)
    .option('--students <n>', 'number of students in the latest year', positiveInt('students'), 4000)
    .option('--years <n>', 'number of academic years', positiveInt('years'), 3)
    .option('--seed <n>', 'random seed (same seed, same bytes)', positiveInt('seed'), 1)
    .option('--last-year <fy>', 'last academic year (年度)', positiveInt('last-year'), 2025)
    .addOption(
      new Option('--attendance <mode>', 'exceptions: only non-present days; full: every school day')
        .choices(['exceptions', 'full'])
        .default('exceptions'),
    )
    .option('--no-planted-effects', 'no programme effect and no high-growth schools (a null municipality)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--json', 'print JSON')
    .action(
      async (options: {
        schools: number;
        students: number;
        years: number;
        seed: number;
        lastYear: number;
        attendance: 'exceptions' | 'full';
        plantedEffects: boolean;
        out: string;
        json?: boolean;
      }) => {
        const generatorOptions: DemoOptions = {
          schools: options.schools,
          students: options.students,
          years: options.years,
          seed: options.seed,
          outDir: options.out,
          lastAcademicYear: options.lastYear,
          attendance: options.attendance,
          plantedEffects: options.plantedEffects,
        };
        const { generateMunicipality } = await import('../demo/demo-generator.js');
        const started = performance.now();
        const summary = await generateMunicipality(generatorOptions);
        const seconds = (performance.now() - started) / 1000;
        printResult(!!options.json, { ...summary, seconds }, () =>
          [
            `wrote ${summary.schools} schools, ${summary.students} students, years ${summary.academicYears.join(', ')} to ${summary.outDir} in ${seconds.toFixed(1)} s`,
            ...summary.files.map(
              (f: { path: string; rows: number; bytes: number }) =>
                `  ${f.path}  ${f.rows} rows  ${(f.bytes / 1e6).toFixed(1)} MB`,
            ),
          ].join('\n'),
        );
      },
    );

  demo
    .command('run')
    .description(
      'The README main job: generate the demo municipality (once), load it, create demo users, start the server',
    )
    .option('--out <dir>', 'where the demo files go', 'demo-data')
    .option('--json', 'print JSON')
    .action(async (options: { out: string; json?: boolean }) => {
      const [{ runDemo }, { loadConfig }] = [await import('./demo-run.js'), await import('../config/config.js')];
      await runDemo(loadConfig(), options.out, !!options.json);
    });
}
