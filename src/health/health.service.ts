import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { Actor } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { pseudonymKeyPath, readPseudonymKey } from '../config/pseudonym-key.js';
import { describeControlPlane } from '../database/data-source.js';
import { Warehouse } from '../warehouse/warehouse.js';

export class StoreHealthView {
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'Which store answered, and where' }) store: string;
  @ApiProperty() latencyMs: number;
  @ApiPropertyOptional() error?: string;
}

export class PseudonymKeyHealthView {
  @ApiProperty() path: string;
  @ApiProperty({ description: 'The key file is there, readable by its owner only, and long enough' }) present: boolean;
  @ApiPropertyOptional({ description: 'Why not' }) problem?: string;
}

/** Anyone gets `status`; the board (or the command line of the server's machine) gets the details too. */
export class HealthView {
  @ApiProperty({ enum: ['ok', 'unavailable'], description: 'ok when both stores answer' })
  status: 'ok' | 'unavailable';
  @ApiPropertyOptional({ type: StoreHealthView, description: 'The board only' }) controlPlane?: StoreHealthView;
  @ApiPropertyOptional({ type: StoreHealthView, description: 'The board only' }) warehouse?: StoreHealthView;
  @ApiPropertyOptional({ type: PseudonymKeyHealthView, description: 'The board only' })
  pseudonymKey?: PseudonymKeyHealthView;
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

function pseudonymKey(path: string): PseudonymKeyHealthView {
  try {
    readPseudonymKey(path);
    return { path, present: true };
  } catch (error) {
    return { path, present: false, problem: (error as Error).message };
  }
}

/** Who may see where the stores and the key are, and what a failing store says: the board, and the CLI. */
const seesDetails = (actor: Actor | null) => actor?.role === 'board_admin' || actor?.role === 'cli';

@Injectable()
export class HealthService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Warehouse) private readonly warehouse: Warehouse,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  /** Whether both stores answer; to the board, also which stores, their paths, errors, and the pseudonym key. */
  async check(actor: Actor | null): Promise<HealthView> {
    const [controlPlane, warehouse] = await Promise.all([
      probe(describeControlPlane(this.config), () =>
        this.dataSource.query('SELECT count(*) FROM control_plane_migrations'),
      ),
      probe(`DuckDB ${this.config.duckdbPath}`, () => this.warehouse.all('SELECT count(*) FROM warehouse_migrations')),
    ]);
    const status = controlPlane.ok && warehouse.ok ? 'ok' : 'unavailable';
    if (!seesDetails(actor)) return { status };
    return { status, controlPlane, warehouse, pseudonymKey: pseudonymKey(pseudonymKeyPath(this.config)) };
  }
}
