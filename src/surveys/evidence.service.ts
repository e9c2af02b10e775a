import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTEGER, VARCHAR } from '@duckdb/node-api';
import { notFound } from '../common/common.errors.js';
import { projectRoot } from '../common/project-root.js';
import type { Actor } from '../common/request-context.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { Warehouse } from '../warehouse/warehouse.js';
import { matchesFilter } from './prefill.js';
import { ResponsesService } from './responses.service.js';
import { textOf } from '../common/text-of.js';

export interface EvidenceView {
  available: boolean;
  metric: string | null;
  /** The figure broken down by grade and homeroom (rows behind it, counted). */
  breakdown: { grade: string; homeroom: string; rows: number }[];
  /** The pseudonymous rows behind the figure (student = the first characters of the pseudonym). */
  rows: Record<string, unknown>[];
  note?: string;
}

/**
 * The evidence behind a pre-filled figure, for that school only: `queries/evidence/<metric>.sql`
 * gives the pseudonymous student rows (with the metric's dimensions, so the question's filter applies).
 */
@Injectable()
export class EvidenceService implements OnModuleInit {
  private readonly sql = new Map<string, string>();

  constructor(
    private readonly responses: ResponsesService,
    private readonly metrics: MetricsService,
    @Inject(Warehouse) private readonly warehouse: Warehouse,
  ) {}

  /** An evidence file that does not run, or lacks grade and homeroom, stops the start with its name. */
  async onModuleInit(): Promise<void> {
    for (const metric of this.metrics.list()) {
      const path = join(projectRoot(), 'queries', 'evidence', `${metric.id}.sql`);
      if (!existsSync(path)) continue;
      const sql = readFileSync(path, 'utf8');
      let columns: string[];
      try {
        columns = await this.warehouse.read((session) =>
          session.columns(sql, { academic_year: 0, school: '' }, { academic_year: INTEGER, school: VARCHAR }),
        );
      } catch (error) {
        throw new Error(
          `evidence file queries/evidence/${metric.id}.sql: the query does not run: ${(error as Error).message}`,
          { cause: error },
        );
      }
      const missing = ['student', 'grade', 'homeroom', ...metric.dimensions].filter((c) => !columns.includes(c));
      if (missing.length > 0)
        throw new Error(`evidence file queries/evidence/${metric.id}.sql: lacks column(s) ${missing.join(', ')}`);
      this.sql.set(metric.id, sql);
    }
  }

  async evidence(actor: Actor, responseId: string, questionId: string): Promise<EvidenceView> {
    const response = await this.responses.view(actor, responseId);
    const answer = response.answers.find((a) => a.questionId === questionId);
    if (!answer) throw notFound('question', questionId);
    const provenance = answer.provenance;
    if (!provenance)
      return { available: false, metric: null, breakdown: [], rows: [], note: 'typed by hand: no data behind it' };
    const sql = this.sql.get(provenance.metric);
    if (!sql)
      return {
        available: false,
        metric: provenance.metric,
        breakdown: [],
        rows: [],
        note: `no evidence query for ${provenance.metric}: the figure is an aggregate only`,
      };
    const all = await this.warehouse.all(
      sql,
      { academic_year: provenance.academicYear, school: response.schoolCode },
      { academic_year: INTEGER, school: VARCHAR },
    );
    const rows = all.filter((row) =>
      matchesFilter(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])), provenance.filter),
    );
    const counts = new Map<string, { grade: string; homeroom: string; rows: number }>();
    for (const row of rows) {
      const key = `${textOf(row.grade)}|${textOf(row.homeroom)}`;
      const entry = counts.get(key) ?? {
        grade: textOf(row.grade),
        homeroom: textOf(row.homeroom),
        rows: 0,
      };
      entry.rows++;
      counts.set(key, entry);
    }
    const plain = rows.map(
      (row) =>
        JSON.parse(
          JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value)),
        ) as Record<string, unknown>,
    );
    return { available: true, metric: provenance.metric, breakdown: [...counts.values()], rows: plain };
  }
}
