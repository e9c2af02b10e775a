import { type DynamicModule, Global, Module } from '@nestjs/common';
import { PrometheusController } from './prometheus.controller.js';
import { PROCESS_METRICS, Telemetry } from './telemetry.js';

/**
 * The metrics every domain reports to (Telemetry, global) and, in the server, GET /metrics with the
 * process's default metrics; a command's Nest context has the metrics without the endpoint.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(server: boolean): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: server ? [PrometheusController] : [],
      providers: [Telemetry, { provide: PROCESS_METRICS, useValue: server }],
      exports: [Telemetry],
    };
  }
}
