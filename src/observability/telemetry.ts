import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Histogram, Counter, Registry } from 'prom-client';
import { forbiddenRole, unauthenticated } from '../auth/auth.errors.js';
import type { Actor } from '../common/request-context.js';
import type { RequestObservation } from './access-log.js';

export const PROCESS_METRICS = Symbol('PROCESS_METRICS');

/** Who asks for the metrics: the scraper with its token (SHIRUBE_METRICS_TOKEN, auth.service.ts), a signed-in actor, or nobody. */
export interface MetricsCaller {
  scraper: boolean;
  actor: Actor | null;
}

/** What an ingest batch came to, as far as the metrics go. */
export interface IngestOutcome {
  status: string;
  feeds: { kind: string; rowsLoaded: number; rowsRejected: number }[];
}

/**
 * Shirube's Prometheus metrics, in a registry of this application's own (not prom-client's global one):
 * HTTP request latency by method, route pattern and status; ingest batch duration by status and rows by
 * feed and status; report render duration by template and outcome; with the process's default metrics
 * in the server. Labels carry patterns and codes only, never an identifier.
 */
@Injectable()
export class Telemetry {
  readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'shirube_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, matched route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly ingestDuration = new Histogram({
    name: 'shirube_ingest_batch_duration_seconds',
    help: 'Time to ingest one batch, by the batch status (loaded, partial, rejected, noop, failed)',
    labelNames: ['status'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  private readonly ingestRows = new Counter({
    name: 'shirube_ingest_rows_total',
    help: 'Rows of ingested files, by feed and whether they were loaded or rejected',
    labelNames: ['feed', 'status'] as const,
    registers: [this.registry],
  });
  private readonly reportDuration = new Histogram({
    name: 'shirube_report_render_duration_seconds',
    help: 'Time to render one report to PDF, by template and outcome (ok, failed); a refused request is not a render',
    labelNames: ['template', 'outcome'] as const,
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor(@Inject(PROCESS_METRICS) processMetrics: boolean) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  readonly observeRequest = (request: RequestObservation): void => {
    this.httpDuration.observe(
      { method: request.method, route: request.route, status: String(request.status) },
      request.durationSeconds,
    );
  };

  ingestFinished(outcome: IngestOutcome, seconds: number): void {
    this.ingestDuration.observe({ status: outcome.status }, seconds);
    for (const feed of outcome.feeds) {
      this.ingestRows.inc({ feed: feed.kind, status: 'loaded' }, feed.rowsLoaded);
      this.ingestRows.inc({ feed: feed.kind, status: 'rejected' }, feed.rowsRejected);
    }
  }

  reportRendered(template: string, outcome: 'ok' | 'failed', seconds: number): void {
    this.reportDuration.observe({ template, outcome }, seconds);
  }

  /** The text exposition, for the scraper, the board or the server's own command line. */
  async exposition(caller: MetricsCaller): Promise<{ contentType: string; text: string }> {
    if (!caller.scraper) {
      if (!caller.actor) throw unauthenticated();
      if (caller.actor.role !== 'board_admin' && caller.actor.role !== 'cli') throw forbiddenRole(['board_admin']);
    }
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
