import { Global, Module } from '@nestjs/common';
import { loadConfig, type ShirubeConfig } from './config.js';

export const SHIRUBE_CONFIG = Symbol('SHIRUBE_CONFIG');

/** Provides the one typed configuration object; `forRoot(config)` lets tests and the CLI pass their own. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ShirubeConfig = loadConfig()) {
    return {
      module: ConfigModule,
      providers: [{ provide: SHIRUBE_CONFIG, useValue: config }],
      exports: [SHIRUBE_CONFIG],
    };
  }
}
