import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, In, LessThan } from 'typeorm';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { ReportRun } from './entities/report-run.entity.js';

const DAY_MS = 86_400_000;
const SWEEP_EVERY_MS = 3_600_000;
/** The zips report runs write: `<template>-<run uuid>.zip` (report-runs.service.ts). Nothing else in the folder is touched. */
const RUN_ZIP = /^[a-z0-9-]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.zip$/;

/** When a run finished at `finishedAt` loses its zip. */
export function zipKeptUntil(finishedAt: Date, retentionDays: number): Date {
  return new Date(finishedAt.getTime() + retentionDays * DAY_MS);
}

/**
 * Every-school runs keep their zips for SHIRUBE_REPORTS_RETENTION_DAYS: at start and every hour, the zips
 * of runs finished before that are removed and the runs marked 'expired' (their zip then answers 410), and
 * a zip no finished run keeps (its run gone from the store, a folder restored from a backup) goes by its
 * file's time.
 */
@Injectable()
export class ReportRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ReportRetention');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.expire();
    this.timer = setInterval(() => {
      this.expire().catch((error: unknown) => this.logger.error(`report retention: ${(error as Error).message}`));
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Removes what is past the retention at `now`; returns the runs expired and the files removed. */
  async expire(now = new Date()): Promise<{ runs: string[]; files: string[] }> {
    const cutoff = new Date(now.getTime() - this.config.reportsRetentionDays * DAY_MS);
    const repository = this.dataSource.getRepository(ReportRun);
    const old = await repository.find({ where: { status: 'done', finishedAt: LessThan(cutoff) } });
    const files: string[] = [];
    for (const run of old) if (run.fileName && this.remove(run.fileName)) files.push(run.fileName);
    if (old.length > 0) await repository.update({ id: In(old.map((run) => run.id)) }, { status: 'expired' });

    const kept = new Set((await repository.findBy({ status: 'done' })).map((run) => run.fileName));
    for (const name of this.zips()) {
      if (kept.has(name) || statSync(join(this.config.reportsDir, name)).mtime >= cutoff) continue;
      if (this.remove(name)) files.push(name);
    }
    if (files.length > 0 || old.length > 0)
      this.logger.log(
        `report retention (${this.config.reportsRetentionDays} days): ${old.length} run(s) expired, ${files.length} zip(s) removed`,
      );
    return { runs: old.map((run) => run.id), files };
  }

  private zips(): string[] {
    if (!existsSync(this.config.reportsDir)) return [];
    return readdirSync(this.config.reportsDir).filter((name) => RUN_ZIP.test(name));
  }

  private remove(name: string): boolean {
    const path = join(this.config.reportsDir, name);
    if (!existsSync(path)) return false;
    rmSync(path, { force: true });
    return true;
  }
}
