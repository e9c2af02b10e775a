import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { loadConfig, type ShirubeConfig } from '../config/config.js';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';

@Module({})
class ControlPlaneCliModule {
  static forRoot(config: ShirubeConfig): DynamicModule {
    return { module: ControlPlaneCliModule, imports: [ConfigModule.forRoot(config), DatabaseModule, AuditModule, AuthModule] };
  }
}

/** Boots only the control plane (config, PostgreSQL, audit, users): what `shirube user` needs. */
export async function withControlPlane<T>(work: (context: INestApplicationContext) => Promise<T>, config: ShirubeConfig = loadConfig()): Promise<T> {
  const context = await NestFactory.createApplicationContext(ControlPlaneCliModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}
