import { jest } from '@jest/globals';
import { Logger, type INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app/create-app.js';
import { UsersService } from '../../src/auth/users.service.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import type { ShirubeConfig } from '../../src/config/config.js';
import { openControlPlane } from '../../src/database/control-plane.js';
import { freshStores, type TestStores } from '../support/stores.js';
import { signIn } from '../support/web.js';

/** PGlite is one user: the separation of roles applies to PostgreSQL, where this runs (DATABASE_URL set). */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres('the application role on PostgreSQL', () => {
  let stores: TestStores;
  let admin: pg.Client;
  let config: ShirubeConfig;
  let app: INestApplication;
  const role = `shirube_app_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    stores = await freshStores();
    admin = new pg.Client({ connectionString: stores.config.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    const appUrl = new URL(stores.config.databaseUrl!);
    appUrl.username = role;
    config = {
      ...stores.config,
      databaseUrl: appUrl.toString(),
      databaseMigrationUrl: stores.config.databaseUrl,
      allowPrivilegedDatabaseRole: false,
    };
  });
  afterAll(async () => {
    await app?.close();
    await admin.end();
    await stores.cleanup();
    const server = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await server.connect();
    await server.query(`DROP ROLE IF EXISTS ${role}`);
    await server.end();
  });

  it('refuses to start as the superuser, unless told to, and then warns', async () => {
    const asOwner = { ...stores.config, databaseMigrationUrl: undefined };
    await expect(openControlPlane({ ...asOwner, allowPrivilegedDatabaseRole: false })).rejects.toThrow(
      /as postgres, which is a superuser, owns audit_events .*: it could rewrite the audit log/,
    );
    const warn = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const dataSource = await openControlPlane({ ...asOwner, allowPrivilegedDatabaseRole: true });
      await dataSource.destroy();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/WARNING.*could rewrite the audit log/));
    } finally {
      warn.mockRestore();
    }
  });

  it('migrates as the owner and serves as a role that owns nothing', async () => {
    app = await createApp(config, { logLevel: 'silent' });
    const dataSource = app.get(DataSource);
    const [{ user }] = await dataSource.query('SELECT current_user AS user');
    expect(user).toBe(role);
    const { rows } = await admin.query(
      `SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = 'audit_events'::regclass`,
    );
    const [{ owner }] = rows as { owner: string }[];
    expect(owner).toBe('postgres');
    const board = await requestContext.run(CLI_ACTOR, () =>
      app.get(UsersService).createUser({ name: 'board', role: 'board_admin' }),
    );
    const http = () => request(app.getHttpServer());
    const created = await http()
      .post('/api/users')
      .set('Authorization', `Bearer ${board.token.secret}`)
      .send({ name: 'analyst', role: 'analyst' })
      .expect(201);
    await http()
      .post(`/api/tokens/${created.body.token.token.id}/revoke`)
      .set('Authorization', `Bearer ${board.token.secret}`)
      .expect(200);
    const cookie = await signIn({ http }, board.token.secret);
    await http().get('/home').set('Cookie', cookie).expect(200);
    await http().get('/api/auth/me').set('Authorization', 'Bearer shb_wrong').expect(401);
  });

  it('cannot disable the trigger, nor delete, change or truncate audit rows', async () => {
    const dataSource = app.get(DataSource);
    const count = async () => Number((await admin.query('SELECT count(*) AS n FROM audit_events')).rows[0].n);
    const before = await count();
    expect(before).toBeGreaterThanOrEqual(5);
    await expect(dataSource.query('ALTER TABLE audit_events DISABLE TRIGGER USER')).rejects.toThrow(/must be owner/);
    await expect(dataSource.query('SET session_replication_role = replica')).rejects.toThrow(/permission denied/);
    await expect(dataSource.query('DELETE FROM audit_events')).rejects.toThrow(/permission denied/);
    await expect(dataSource.query(`UPDATE audit_events SET action = 'tampered'`)).rejects.toThrow(/permission denied/);
    await expect(dataSource.query('TRUNCATE audit_events')).rejects.toThrow(/permission denied/);
    await expect(dataSource.query('DROP TABLE audit_events')).rejects.toThrow(/must be owner/);
    await expect(dataSource.query(`DELETE FROM control_plane_migrations`)).rejects.toThrow(/permission denied/);
    expect(await count()).toBe(before);
  });
});
