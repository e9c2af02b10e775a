import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app/create-app.js';
import { UsersService } from '../../src/auth/users.service.js';
import type { Role } from '../../src/auth/entities/user.entity.js';
import type { ShirubeConfig } from '../../src/config/config.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { Warehouse } from '../../src/warehouse/warehouse.js';
import { freshStores, type TestStores } from './stores.js';

/** Two valid MEXT codes (check digit verified), used as school A and school B. */
export const SCHOOL_A = 'B113210000014';
export const SCHOOL_B = 'C113210000012';

export interface TestApp {
  app: INestApplication;
  stores: TestStores;
  dataSource: DataSource;
  warehouse: Warehouse;
  http: () => ReturnType<typeof request>;
  tokens: Record<'board' | 'analyst' | 'schoolA' | 'schoolB', string>;
  close(): Promise<void>;
}

async function createUser(users: UsersService, name: string, role: Role, schoolCode?: string): Promise<string> {
  const created = await requestContext.run(CLI_ACTOR, () => users.createUser({ name, role, schoolCode }));
  return created.token.secret;
}

/**
 * The real application on fresh real stores, with one user of each role (school users for A and B);
 * `configure` may change the configuration the app starts with (a lower limit, a token).
 */
export async function startTestApp(
  configure: (config: ShirubeConfig) => ShirubeConfig = (config) => config,
): Promise<TestApp> {
  const stores = await freshStores();
  stores.config = configure(stores.config);
  const app = await createApp(stores.config, { logLevel: 'silent' });
  const users = app.get(UsersService);
  const tokens = {
    board: await createUser(users, 'board', 'board_admin'),
    analyst: await createUser(users, 'analyst', 'analyst'),
    schoolA: await createUser(users, 'school-a', 'school', SCHOOL_A),
    schoolB: await createUser(users, 'school-b', 'school', SCHOOL_B),
  };
  return {
    app,
    stores,
    dataSource: app.get(DataSource),
    warehouse: app.get(Warehouse),
    http: () => request(app.getHttpServer()),
    tokens,
    close: async () => {
      await app.close();
      await stores.cleanup();
    },
  };
}
