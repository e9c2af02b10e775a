import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { closeControlPlane, describeControlPlane, openControlPlaneSource } from './data-source.js';

/** Opens the control plane and applies pending migrations before anything else uses it. */
export async function openControlPlane(config: ShirubeConfig): Promise<DataSource> {
  const dataSource = await openControlPlaneSource(config);
  try {
    const ran = await dataSource.runMigrations();
    if (ran.length > 0)
      new Logger('Database').log(`control plane migrations applied: ${ran.map((m) => m.name).join(', ')}`);
    return dataSource;
  } catch (error) {
    await closeControlPlane(dataSource, config);
    throw error;
  }
}

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await closeControlPlane(this.dataSource, this.config);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [SHIRUBE_CONFIG],
      useFactory: async (config: ShirubeConfig) => {
        new Logger('Database').log(`control plane: ${describeControlPlane(config)}`);
        return openControlPlane(config);
      },
    },
    DataSourceCloser,
  ],
  exports: [DataSource],
})
export class DatabaseModule {}
