import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import type { PageRequest } from '../common/page.js';
import { CREDENTIALS_CHANNEL, CredentialCache } from './credential-cache.js';
import { ApiToken } from './entities/api-token.entity.js';
import { User } from './entities/user.entity.js';
import { WebSession } from './entities/web-session.entity.js';

/** What deciding on a presented token reads of it and of its user. */
export type TokenCredential = Pick<ApiToken, 'id' | 'revokedAt'>;
export type UserCredential = Pick<User, 'id' | 'name' | 'role' | 'schoolCode' | 'disabledAt'>;

interface CredentialRow {
  token_id: string;
  revoked_at: Date | null;
  user_id: string | null;
  name: string | null;
  role: User['role'] | null;
  school_code: string | null;
  disabled_at: Date | null;
}

/** All control-plane access for users, tokens and web sessions. */
@Injectable()
export class AuthRepository {
  constructor(
    @Inject(DataSource) readonly dataSource: DataSource,
    private readonly credentials: CredentialCache,
  ) {}

  /**
   * Every change of users, tokens and sessions goes through here: on PostgreSQL the transaction announces itself
   * to every process on commit (credential-cache.ts), and this process forgets the decisions it remembered.
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const result = await work(manager);
        if (this.credentials.announced) await manager.query("SELECT pg_notify($1, '')", [CREDENTIALS_CHANNEL]);
        return result;
      });
    } finally {
      this.credentials.changed();
    }
  }

  findUserById(id: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ id });
  }

  findUserByName(name: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ name });
  }

  /** The user whose name, or e-mail address (any letter case), is `login`. */
  async findUserByLogin(login: string): Promise<User | null> {
    const byName = await this.findUserByName(login);
    if (byName || !login.includes('@')) return byName;
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:login)', { login })
      .orderBy('u.created_at', 'ASC')
      .getOne();
  }

  findUserByIdpAccount(account: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ idpAccount: account });
  }

  async updateUser(manager: EntityManager, id: string, change: Partial<User>): Promise<User> {
    await manager.update(User, { id }, change);
    return manager.findOneByOrFail(User, { id });
  }

  /** Ends every web session of a user; returns how many. */
  async endSessions(manager: EntityManager, userId: string): Promise<number> {
    return (await manager.delete(WebSession, { userId })).affected ?? 0;
  }

  countSessions(userId: string): Promise<number> {
    return this.dataSource.getRepository(WebSession).countBy({ userId });
  }

  listUsers(page: PageRequest): Promise<[User[], number]> {
    return this.dataSource
      .getRepository(User)
      .findAndCount({ order: { name: 'ASC', id: 'ASC' }, take: page.limit, skip: page.offset });
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

  listTokens(userId: string, page: PageRequest): Promise<[ApiToken[], number]> {
    return this.dataSource.getRepository(ApiToken).findAndCount({
      where: { userId },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  /** Revokes a live token and ends the web sessions made with it; returns how many sessions ended. */
  async revokeToken(manager: EntityManager, id: string): Promise<number> {
    await manager.update(ApiToken, { id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (await manager.delete(WebSession, { tokenId: id })).affected ?? 0;
  }

  /** Disables a user: its live tokens are revoked and its web sessions end. */
  async disableUser(manager: EntityManager, id: string): Promise<{ tokensRevoked: number; sessionsEnded: number }> {
    const now = new Date();
    await manager.update(User, { id, disabledAt: IsNull() }, { disabledAt: now });
    const revoked = await manager.update(ApiToken, { userId: id, revokedAt: IsNull() }, { revokedAt: now });
    const ended = await manager.delete(WebSession, { userId: id });
    return { tokensRevoked: revoked.affected ?? 0, sessionsEnded: ended.affected ?? 0 };
  }

  /** The token with this digest, revoked or not, and its user (disabled or not): the service says which may act. */
  /**
   * The token with this digest and its user, in one query: every API call asks, so it reads only what the
   * decision needs (revoked, disabled, who) and skips the ORM's query building.
   */
  async credentialOfToken(tokenHash: string): Promise<{ token: TokenCredential | null; user: UserCredential | null }> {
    const rows = await this.dataSource.query<CredentialRow[]>(
      `SELECT t.id AS token_id, t.revoked_at, u.id AS user_id, u.name, u.role, u.school_code, u.disabled_at
       FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return { token: null, user: null };
    return {
      token: { id: row.token_id, revokedAt: row.revoked_at },
      user: row.user_id
        ? {
            id: row.user_id,
            name: row.name!,
            role: row.role!,
            schoolCode: row.school_code,
            disabledAt: row.disabled_at,
          }
        : null,
    };
  }

  async markTokenUsed(id: string): Promise<void> {
    await this.dataSource.getRepository(ApiToken).update({ id }, { lastUsedAt: new Date() });
  }

  async insertSession(session: Omit<WebSession, 'createdAt'>): Promise<void> {
    await this.dataSource.getRepository(WebSession).insert(session);
  }

  /** The session with this digest, the token it was made with and its user: the service says whether it is live. */
  async credentialOfSession(
    sessionHash: string,
  ): Promise<{ session: WebSession | null; token: ApiToken | null; user: User | null }> {
    const session = await this.dataSource.getRepository(WebSession).findOneBy({ sessionHash });
    if (!session) return { session, token: null, user: null };
    return {
      session,
      token: session.tokenId ? await this.findToken(session.tokenId) : null,
      user: await this.findUserById(session.userId),
    };
  }

  async deleteSession(sessionHash: string): Promise<WebSession | null> {
    const session = await this.dataSource.getRepository(WebSession).findOneBy({ sessionHash });
    if (session) await this.dataSource.getRepository(WebSession).delete({ id: session.id });
    return session;
  }
}
