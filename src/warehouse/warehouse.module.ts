import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { Warehouse } from './warehouse.js';
import { migrateWarehouse } from './warehouse-migrator.js';

/** Opens the DuckDB file and applies pending numbered warehouse migrations. */
export async function openWarehouse(path: string, options: { memoryLimit?: string } = {}): Promise<Warehouse> {
  const warehouse = await Warehouse.open(path, options);
  try {
    const ran = await migrateWarehouse(warehouse);
    if (ran.length > 0) new Logger('Warehouse').log(`warehouse migrations applied: ${ran.join(', ')}`);
    return warehouse;
  } catch (error) {
    await warehouse.close();
    throw error;
  }
}

@Injectable()
class WarehouseCloser implements OnApplicationShutdown {
  constructor(@Inject(Warehouse) private readonly warehouse: Warehouse) {}
  async onApplicationShutdown(): Promise<void> {
    await this.warehouse.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: Warehouse,
      inject: [SHIRUBE_CONFIG],
      useFactory: (config: ShirubeConfig) => {
        new Logger('Warehouse').log(`warehouse: DuckDB ${config.duckdbPath}, memory limit ${config.duckdbMemoryLimit}`);
        return openWarehouse(config.duckdbPath, { memoryLimit: config.duckdbMemoryLimit });
      },
    },
    WarehouseCloser,
  ],
  exports: [Warehouse],
})
export class WarehouseModule {}
