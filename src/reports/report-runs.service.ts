import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { zipSync } from 'fflate';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { invalidField, notFound } from '../common/common.errors.js';
import { runExpired, runNotDone } from './reports.errors.js';
import { requestContext, type Actor } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import type { Locale } from './placeholders.js';
import { ReportRun } from './entities/report-run.entity.js';
import { zipKeptUntil } from './report-retention.js';
import { ReportsService } from './reports.service.js';

export interface ReportRunView {
  id: string;
  templateId: string;
  params: Record<string, unknown>;
  status: ReportRun['status'];
  total: number;
  rendered: number;
  failures: { school: string; message: string }[];
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  /** Where the zip is, once done. */
  zip: string | null;
  /** When the zip is removed (SHIRUBE_REPORTS_RETENTION_DAYS after the run finished); then the run is 'expired'. */
  zipKeptUntil: string | null;
}

const viewOf = (run: ReportRun, retentionDays: number): ReportRunView => ({
  id: run.id,
  templateId: run.templateId,
  params: run.params,
  status: run.status,
  total: run.total,
  rendered: run.rendered,
  failures: run.failures,
  createdBy: run.createdBy,
  createdAt: run.createdAt.toISOString(),
  finishedAt: run.finishedAt?.toISOString() ?? null,
  zip: run.status === 'done' ? `/api/reports/runs/${run.id}/zip` : null,
  zipKeptUntil:
    run.status === 'done' && run.finishedAt ? zipKeptUntil(run.finishedAt, retentionDays).toISOString() : null,
});

/**
 * "Every school" batches: started, then rendered in the background (several pages at once on the one
 * browser), with progress in report_runs; the PDFs are zipped into the reports folder at the end.
 */
@Injectable()
export class ReportRunsService implements OnModuleDestroy {
  private readonly logger = new Logger('ReportRuns');
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly reports: ReportsService,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  /** Checks the template and parameters, records the run and starts it; returns at once. */
  async start(
    actor: Actor,
    templateId: string,
    params: Record<string, unknown>,
    locale: Locale = 'ja',
  ): Promise<ReportRunView> {
    const template = this.reports.template(actor, templateId);
    if (!template.eachSchool)
      throw invalidField('templateId', 'has no per-school rendering', `${templateId} is not rendered per school`);
    const schools = await this.reports.schoolCodes();
    const repository = this.dataSource.getRepository(ReportRun);
    const run = repository.create({
      id: randomUUID(),
      templateId,
      params,
      locale,
      status: 'running',
      total: schools.length,
      rendered: 0,
      failures: [],
      fileName: null,
      createdBy: actor.name,
      createdAt: new Date(),
      finishedAt: null,
    });
    await repository.save(run);
    const job = requestContext
      .run(actor, () => this.execute(actor, run, schools))
      .finally(() => this.running.delete(job));
    this.running.add(job);
    return viewOf(run, this.config.reportsRetentionDays);
  }

  private async execute(actor: Actor, run: ReportRun, schools: string[]): Promise<void> {
    const repository = this.dataSource.getRepository(ReportRun);
    const files: Record<string, Uint8Array> = {};
    try {
      await this.reports.renderEachSchool(
        actor,
        run.templateId,
        run.params,
        async (school, report, error) => {
          if (report) {
            files[report.filename] = report.pdf;
            run.rendered++;
          } else run.failures.push({ school, message: error?.message ?? 'failed' });
          await repository.update(run.id, { rendered: run.rendered, failures: run.failures });
        },
        { locale: run.locale, schools },
      );
      mkdirSync(this.config.reportsDir, { recursive: true });
      const fileName = `${run.templateId}-${run.id}.zip`;
      writeFileSync(join(this.config.reportsDir, fileName), zipSync(files, { level: 0 }));
      await repository.update(run.id, {
        status: run.failures.length === run.total && run.total > 0 ? 'failed' : 'done',
        fileName,
        finishedAt: new Date(),
      });
    } catch (error) {
      this.logger.error(`report run ${run.id} failed: ${(error as Error).message}`);
      await repository.update(run.id, {
        status: 'failed',
        failures: [...run.failures, { school: '*', message: (error as Error).message }],
        finishedAt: new Date(),
      });
    }
  }

  async get(id: string): Promise<ReportRunView> {
    const run = await this.dataSource.getRepository(ReportRun).findOneBy({ id });
    if (!run) throw notFound('report run', id);
    return viewOf(run, this.config.reportsRetentionDays);
  }

  async zip(id: string): Promise<{ bytes: Buffer; fileName: string }> {
    const run = await this.dataSource.getRepository(ReportRun).findOneBy({ id });
    if (!run) throw notFound('report run', id);
    if (run.status === 'expired') throw runExpired(id);
    if (run.status !== 'done' || !run.fileName) throw runNotDone(id, run.status);
    const path = join(this.config.reportsDir, run.fileName);
    // Removed from the folder by hand: as good as expired, and said so from now on.
    if (!existsSync(path)) {
      await this.dataSource.getRepository(ReportRun).update(run.id, { status: 'expired' });
      throw runExpired(id);
    }
    return { bytes: readFileSync(path), fileName: run.fileName };
  }

  async onModuleDestroy(): Promise<void> {
    await this.settle();
  }

  /** Waits for the runs in flight (shutdown, tests). */
  async settle(): Promise<void> {
    await Promise.all([...this.running]);
  }
}
