import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { fail, printResult } from './output.js';

interface WatchRow {
  student: string;
  schoolCode: string;
  urgency: number;
  indicators: { id: string; value: number | null; since: string | null }[];
}

/** An indicator's title for people (a code reaching a person is a bug). */
async function indicatorTitles(): Promise<(id: string) => string> {
  const { loadIndicatorCatalogue } = await import('../watch/indicator-catalogue.js');
  const titles = new Map(loadIndicatorCatalogue().map((indicator) => [indicator.id, indicator.title.ja]));
  return (id) => titles.get(id) ?? id;
}

/** The roster files a school keeps (a OneRoster folder): users.csv, enrollments.csv, classes.csv. */
function rosterFolder(dir: string): { users: string; enrollments?: string; classes?: string } {
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : undefined);
  const users = read('users.csv');
  if (users === undefined) fail(`${dir} holds no users.csv (give the school's OneRoster folder)`);
  return { users, enrollments: read('enrollments.csv'), classes: read('classes.csv') };
}

export function registerWatch(program: Command): void {
  const watch = program.command('watch').description('Early warning: watch lists of students who may need support');

  watch
    .command('list')
    .description('One row per flagged student, by pseudonym, with the indicators that fired, as of a date')
    .requiredOption('--as-of <date>', 'YYYY-MM-DD')
    .option('--school <code>', 'one school')
    .option('--json', 'print JSON')
    .action(async (options: { asOf: string; school?: string; json?: boolean }) => {
      const { withWatch } = await import('./boot.js');
      const { WatchService, checkAsOf } = await import('../watch/watch.service.js');
      const { WatchRefresher } = await import('../watch/watch-refresh.service.js');
      const { CLI_ACTOR, requestContext } = await import('../common/request-context.js');
      checkAsOf(options.asOf);
      const rows = await withWatch(
        (context) =>
          requestContext.run(CLI_ACTOR, async () => {
            const service = context.get(WatchService);
            const fired = await context
              .get(WatchRefresher)
              .compute(options.asOf, options.school ? [options.school] : null);
            const bySchool = new Map<string, Set<string>>();
            for (const row of fired)
              bySchool.set(row.schoolCode, new Set([...(bySchool.get(row.schoolCode) ?? []), row.student]));
            const result: WatchRow[] = [];
            for (const [schoolCode] of [...bySchool].sort()) {
              const students = await service.describe(
                schoolCode,
                options.asOf,
                fired.filter((row) => row.schoolCode === schoolCode),
              );
              result.push(
                ...students.map((s) => ({
                  student: s.student,
                  schoolCode,
                  urgency: s.urgency,
                  indicators: s.indicators.map(({ id, value, since }) => ({ id, value, since })),
                })),
              );
            }
            return result;
          }),
        async (server) => {
          const schools = options.school
            ? [options.school]
            : (
                await server.json<{ schools: { schoolCode: string }[] }>(
                  'GET',
                  `/api/watch/summary?asOf=${options.asOf}`,
                )
              ).schools.map((s) => s.schoolCode);
          const result: WatchRow[] = [];
          for (const school of schools) {
            for (let offset = 0; ;) {
              const page = await server.json<{ items: WatchRow[]; total: number }>(
                'GET',
                `/api/watch/schools/${school}?asOf=${options.asOf}&limit=1000&offset=${offset}`,
              );
              result.push(
                ...page.items.map((s) => ({
                  student: s.student,
                  schoolCode: s.schoolCode,
                  urgency: s.urgency,
                  indicators: s.indicators.map(({ id, value, since }) => ({ id, value, since })),
                })),
              );
              offset += page.items.length;
              if (page.items.length === 0 || offset >= page.total) break;
            }
          }
          return result;
        },
      );
      const title = await indicatorTitles();
      printResult(
        !!options.json,
        rows,
        () =>
          rows
            .map(
              (r) =>
                `${r.schoolCode}  ${r.student.slice(0, 12)}…  ${String(r.urgency).padStart(2)}  ${r.indicators.map((i) => title(i.id)).join('、')}`,
            )
            .join('\n') || '該当する児童生徒はいません',
      );
    });

  watch
    .command('identify')
    .description(
      "A school's list with its own student IDs, homerooms and 出席番号, matched from its roster folder (nothing stored)",
    )
    .requiredOption('--school <code>', 'the school')
    .requiredOption('--roster <dir>', "the school's OneRoster folder (users.csv, enrollments.csv, classes.csv)")
    .option('--as-of <date>', 'YYYY-MM-DD (default: the stored list)')
    .option('--json', 'print JSON')
    .action(async (options: { school: string; roster: string; asOf?: string; json?: boolean }) => {
      const { withWatch } = await import('./boot.js');
      const { WatchService } = await import('../watch/watch.service.js');
      const { CLI_ACTOR, requestContext } = await import('../common/request-context.js');
      const files = rosterFolder(options.roster);
      const result = await withWatch((context) =>
        requestContext.run(CLI_ACTOR, () =>
          context.get(WatchService).identify(CLI_ACTOR, options.school, files, options.asOf),
        ),
      );
      const rows = result.students.map((s) => ({
        localId: s.identity?.localId ?? null,
        homeroom: s.identity?.homeroomTitle ?? s.homeroom,
        shussekiNo: s.identity?.shussekiNo ?? null,
        student: s.student,
        urgency: s.urgency,
        absentDays: s.absentDays,
        indicators: s.indicators.map((i) => i.id),
      }));
      const title = await indicatorTitles();
      printResult(
        !!options.json,
        { schoolCode: result.schoolCode, asOf: result.asOf, students: rows },
        () =>
          rows
            .map(
              (r) =>
                `${r.homeroom ?? '-'}  ${r.shussekiNo ?? '-'}  ${r.localId ?? '(名簿になし)'}  欠席${r.absentDays}日  ${r.indicators.map(title).join('、')}`,
            )
            .join('\n') || '該当する児童生徒はいません',
      );
    });
}
