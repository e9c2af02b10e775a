import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { ApiToken } from './entities/api-token.entity.js';
import { User } from './entities/user.entity.js';
import { WebSession } from './entities/web-session.entity.js';

/** All control-plane access for users, tokens and web sessions. */
@Injectable()
export class AuthRepository {
  constructor(@Inject(DataSource) readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findUserById(id: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ id });
  }

  findUserByName(name: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ name });
  }

  listUsers(): Promise<User[]> {
    return this.dataSource.getRepository(User).find({ order: { name: 'ASC' } });
  }

  async insertUser(manager: EntityManager, user: User): Promise<User> {
    await manager.insert(User, user);
    return manager.findOneByOrFail(User, { id: user.id });
  }

  async insertToken(
    manager: EntityManager,
    token: Omit<ApiToken, 'createdAt' | 'lastUsedAt' | 'revokedAt'>,
  ): Promise<ApiToken> {
    await manager.insert(ApiToken, token);
    return manager.findOneByOrFail(ApiToken, { id: token.id });
  }

  findToken(id: string): Promise<ApiToken | null> {
    return this.dataSource.getRepository(ApiToken).findOneBy({ id });
  }

  listTokens(userId: string): Promise<ApiToken[]> {
    return this.dataSource.getRepository(ApiToken).find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  async revokeToken(manager: EntityManager, id: string): Promise<void> {
    await manager.update(ApiToken, { id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** The active user behind a live token, if any; marks the token used. */
  async userByTokenHash(tokenHash: string): Promise<User | null> {
    const token = await this.dataSource.getRepository(ApiToken).findOneBy({ tokenHash, revokedAt: IsNull() });
    if (!token) return null;
    const user = await this.dataSource.getRepository(User).findOneBy({ id: token.userId, disabledAt: IsNull() });
    if (user) await this.dataSource.getRepository(ApiToken).update({ id: token.id }, { lastUsedAt: new Date() });
    return user;
  }

  async insertSession(session: Omit<WebSession, 'createdAt'>): Promise<void> {
    await this.dataSource.getRepository(WebSession).insert(session);
  }

  async userBySessionHash(sessionHash: string, now: Date): Promise<User | null> {
    const session = await this.dataSource.getRepository(WebSession).findOneBy({ sessionHash });
    if (!session || session.expiresAt <= now) return null;
    return this.dataSource.getRepository(User).findOneBy({ id: session.userId, disabledAt: IsNull() });
  }

  async deleteSession(sessionHash: string): Promise<WebSession | null> {
    const session = await this.dataSource.getRepository(WebSession).findOneBy({ sessionHash });
    if (session) await this.dataSource.getRepository(WebSession).delete({ id: session.id });
    return session;
  }
}
