import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { openControlPlane } from './control-plane.js';
import { closeControlPlane, describeControlPlane } from './data-source.js';

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
