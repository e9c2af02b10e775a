import type { Command } from 'commander';
import { printResult } from './output.js';

export function registerMetrics(program: Command): void {
  const metrics = program.command('metrics').description('The metric catalogue (queries/metrics)');

  metrics
    .command('list')
    .description('List the metrics and the survey items they answer')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { loadMetricCatalogue } = await import('../metrics/metric-catalogue.js');
      const catalogue = loadMetricCatalogue().map(({ sql: _sql, file: _file, ...contract }) => contract);
      printResult(!!options.json, catalogue, () =>
        catalogue.map((m) => `${m.id.padEnd(40)} ${m.title.ja} — ${m.answers}`).join('\n'),
      );
    });

  metrics
    .command('values')
    .description('Exact values of a metric per school for a school year')
    .argument('<id>', 'metric id, e.g. attendance.long_term_absence')
    .requiredOption('--year <fy>', 'school year (年度), e.g. 2025')
    .option('--school <code>', 'one school')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { year: string; school?: string; json?: boolean }) => {
      const { withMetrics } = await import('./boot.js');
      const { MetricsService } = await import('../metrics/metrics.service.js');
      const query = new URLSearchParams({
        academicYear: options.year,
        ...(options.school ? { school: options.school } : {}),
      });
      const values = await withMetrics(
        (context) =>
          context
            .get(MetricsService)
            .values(id, { academicYear: Number(options.year), schools: options.school ? [options.school] : undefined }),
        (server) =>
          server.json<Awaited<ReturnType<InstanceType<typeof MetricsService>['values']>>>(
            'GET',
            `/api/metrics/${encodeURIComponent(id)}/values?${query.toString()}`,
          ),
      );
      printResult(
        !!options.json,
        values,
        () =>
          values
            .map(
              (v) =>
                `${v.schoolCode}  ${Object.entries(v.dims)
                  .map(([k, d]) => `${k}=${d}`)
                  .join(' ')
                  .padEnd(40)} ${v.value}`,
            )
            .join('\n') || 'no values',
      );
    });
}
