import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { describeControlPlane } from '../database/data-source.js';
import { Warehouse } from '../warehouse/warehouse.js';

export class StoreHealthView {
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'Which store answered' }) store: string;
  @ApiProperty() latencyMs: number;
  @ApiPropertyOptional() error?: string;
}

export class HealthView {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status: 'ok' | 'degraded';
  @ApiProperty({ type: StoreHealthView }) controlPlane: StoreHealthView;
  @ApiProperty({ type: StoreHealthView }) warehouse: StoreHealthView;
}

async function probe(store: string, query: () => Promise<unknown>): Promise<StoreHealthView> {
  const started = performance.now();
  try {
    await query();
    return { ok: true, store, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, store, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Warehouse) private readonly warehouse: Warehouse,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  async check(): Promise<HealthView> {
    const [controlPlane, warehouse] = await Promise.all([
      probe(describeControlPlane(this.config), () =>
        this.dataSource.query('SELECT count(*) FROM control_plane_migrations'),
      ),
      probe(`DuckDB ${this.config.duckdbPath}`, () => this.warehouse.all('SELECT count(*) FROM warehouse_migrations')),
    ]);
    return { status: controlPlane.ok && warehouse.ok ? 'ok' : 'degraded', controlPlane, warehouse };
  }
}
