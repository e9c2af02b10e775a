import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { createDataSource, describeControlPlane } from './data-source.js';

/** Opens the control plane and applies pending migrations before anything else uses it. */
export async function openControlPlane(config: ShirubeConfig): Promise<DataSource> {
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  const ran = await dataSource.runMigrations();
  if (ran.length > 0)
    new Logger('Database').log(`control plane migrations applied: ${ran.map((m) => m.name).join(', ')}`);
  return dataSource;
}

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
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
