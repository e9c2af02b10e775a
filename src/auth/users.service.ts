import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { invalidField, notFound } from '../common/common.errors.js';
import { pageOf, type Page, type PageRequest } from '../common/page.js';
import type { Actor } from '../common/request-context.js';
import { isValidSchoolCode } from '../schools/school-code.js';
import { userDisabled, userDisableSelf, userNameTaken } from './auth.errors.js';
import { AuthRepository } from './auth.repository.js';
import type { CreateUserDto } from './dto/create-user.dto.js';
import { CreatedUserView, DisabledUserView, IssuedTokenView, TokenView, UserView } from './dto/user.view.js';
import { ApiToken } from './entities/api-token.entity.js';
import { User } from './entities/user.entity.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { isSchoolBound } from './roles.js';
import { digestSecret, newSecret } from './secrets.js';

/** What the board may change of a user on the users page (each field left undefined stays as it is). */
export interface UserProfileChange {
  email?: string | null;
  displayName?: string | null;
  /** The identity-provider account (the configured claim's value) this user signs in with; null unlinks. */
  idpAccount?: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Users and their API tokens: who may use Shirube, in which role, bound to which school. */
@Injectable()
export class UsersService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly audit: AuditService,
  ) {}

  async createUser(input: CreateUserDto): Promise<CreatedUserView> {
    if (isSchoolBound(input.role)) {
      if (!input.schoolCode) throw invalidField('schoolCode', `a ${input.role} user needs a schoolCode`);
      if (!isValidSchoolCode(input.schoolCode))
        throw invalidField('schoolCode', `${input.schoolCode} is not a valid MEXT school code (check digit)`);
    } else if (input.schoolCode) {
      throw invalidField('schoolCode', `only a school or teacher user is bound to a school (role ${input.role})`);
    }
    if (await this.repository.findUserByName(input.name)) throw userNameTaken(input.name);
    return this.repository.transaction(async (manager) => {
      const user = await this.repository.insertUser(manager, {
        id: randomUUID(),
        name: input.name,
        role: input.role,
        schoolCode: input.schoolCode ?? null,
        email: null,
        displayName: null,
        idpAccount: null,
        passwordHash: null,
        disabledAt: null,
      } as User);
      const view = UserView.of(user);
      await this.audit.record({ action: 'user.create', targetType: 'user', targetId: user.id, after: view }, manager);
      const token = await this.issue(manager, user.id, input.tokenLabel ?? 'initial');
      return { user: view, token };
    });
  }

  /** Changes a user's e-mail, display name or linked identity-provider account (audited, without the values' history kept elsewhere). */
  async updateProfile(userId: string, change: UserProfileChange): Promise<User> {
    const user = await this.requireUser(userId);
    const next = await this.checkProfile(change, userId);
    return this.repository.transaction(async (manager) => {
      const after = await this.repository.updateUser(manager, userId, next);
      await this.audit.record(
        {
          action: 'user.update',
          targetType: 'user',
          targetId: userId,
          // Which fields changed, not their values: an e-mail address is a direct identifier.
          after: { changed: Object.keys(next), idpLinked: after.idpAccount !== null },
          before: { idpLinked: user.idpAccount !== null },
        },
        manager,
      );
      return after;
    });
  }

  /** The change as it would be stored (trimmed, e-mail in lower case where it names an account), or VALIDATION_FAILED. */
  async checkProfile(change: UserProfileChange, userId: string | null = null): Promise<Partial<User>> {
    const next: Partial<User> = {};
    if (change.email !== undefined) {
      const email = change.email?.trim() || null;
      if (email && (!EMAIL.test(email) || email.length > 254))
        throw invalidField('email', `${email} is not an e-mail address`);
      next.email = email;
    }
    if (change.displayName !== undefined) {
      const name = change.displayName?.trim() || null;
      if (name && name.length > 200) throw invalidField('displayName', 'at most 200 characters');
      next.displayName = name;
    }
    if (change.idpAccount !== undefined) {
      let account = change.idpAccount?.trim() || null;
      if (account?.includes('@')) account = account.toLowerCase();
      if (account && account.length > 254) throw invalidField('idpAccount', 'at most 254 characters');
      const holder = account ? await this.repository.findUserByIdpAccount(account) : null;
      if (holder && holder.id !== userId)
        throw invalidField('idpAccount', `the account is linked to another user already (${holder.name})`);
      next.idpAccount = account;
    }
    return next;
  }

  /** Whether a new password would be accepted (VALIDATION_FAILED naming it when not). */
  checkPassword(password: string): void {
    const problem = passwordProblem(password);
    if (problem) throw invalidField('password', `the password needs ${problem}`);
  }

  /** Sets (or, with null, removes) a user's local password, stored as an argon2id hash; ends their sessions. */
  async setPassword(userId: string, password: string | null): Promise<{ sessionsEnded: number }> {
    await this.requireUser(userId);
    if (password !== null) this.checkPassword(password);
    const passwordHash = password === null ? null : await hashPassword(password);
    return this.repository.transaction(async (manager) => {
      await this.repository.updateUser(manager, userId, { passwordHash });
      const sessionsEnded = await this.repository.endSessions(manager, userId);
      await this.audit.record(
        {
          action: password === null ? 'user.password_remove' : 'user.password_set',
          targetType: 'user',
          targetId: userId,
          after: { sessionsEnded },
        },
        manager,
      );
      return { sessionsEnded };
    });
  }

  /** Ends every web session of a user now (they sign in again); their tokens stay. */
  async endSessions(userId: string): Promise<{ sessionsEnded: number }> {
    await this.requireUser(userId);
    return this.repository.transaction(async (manager) => {
      const sessionsEnded = await this.repository.endSessions(manager, userId);
      await this.audit.record(
        { action: 'session.revoke', targetType: 'user', targetId: userId, after: { sessionsEnded } },
        manager,
      );
      return { sessionsEnded };
    });
  }

  async issueToken(userId: string, label: string): Promise<IssuedTokenView> {
    const user = await this.requireUser(userId);
    if (user.disabledAt) throw userDisabled(`user ${user.name} is disabled: no token can be issued`);
    return this.repository.transaction((manager) => this.issue(manager, userId, label));
  }

  /** Revokes a token: it stops working at once, and so do the web sessions signed in with it. */
  async revokeToken(tokenId: string): Promise<TokenView> {
    const token = await this.repository.findToken(tokenId);
    if (!token) throw notFound('token', tokenId);
    return this.repository.transaction(async (manager) => {
      const sessionsEnded = await this.repository.revokeToken(manager, tokenId);
      const after = TokenView.of(await manager.findOneByOrFail(ApiToken, { id: tokenId }));
      await this.audit.record(
        {
          action: 'token.revoke',
          targetType: 'api_token',
          targetId: tokenId,
          before: TokenView.of(token),
          after: { ...after, sessionsEnded },
        },
        manager,
      );
      return after;
    });
  }

  /** Disables a user: every token of theirs is revoked and every web session of theirs ends, at once. */
  async disableUser(actor: Actor, userId: string): Promise<DisabledUserView> {
    const user = await this.requireUser(userId);
    if (user.disabledAt) throw userDisabled(`user ${user.name} is already disabled`);
    if (actor.userId === userId) throw userDisableSelf();
    return this.repository.transaction(async (manager) => {
      const ended = await this.repository.disableUser(manager, userId);
      const after = UserView.of(await manager.findOneByOrFail(User, { id: userId }));
      await this.audit.record(
        {
          action: 'user.disable',
          targetType: 'user',
          targetId: userId,
          before: UserView.of(user),
          after: { ...after, ...ended },
        },
        manager,
      );
      return { user: after, ...ended };
    });
  }

  async listUsers(page: PageRequest): Promise<Page<UserView>> {
    const [users, total] = await this.repository.listUsers(page);
    return pageOf(
      users.map((user) => UserView.of(user)),
      total,
      page,
    );
  }

  /** One user as stored (e-mail, display name, linked account, whether a password is set): for the board's users page. */
  findUser(userId: string): Promise<User> {
    return this.requireUser(userId);
  }

  /** A page of users as stored, for the board's users page (the API's view leaves the e-mail out). */
  async listUserRecords(page: PageRequest): Promise<Page<User>> {
    const [users, total] = await this.repository.listUsers(page);
    return pageOf(users, total, page);
  }

  async listTokens(userId: string, page: PageRequest): Promise<Page<TokenView>> {
    await this.requireUser(userId);
    const [tokens, total] = await this.repository.listTokens(userId, page);
    return pageOf(
      tokens.map((token) => TokenView.of(token)),
      total,
      page,
    );
  }

  private async requireUser(userId: string): Promise<User> {
    const user = await this.repository.findUserById(userId);
    if (!user) throw notFound('user', userId);
    return user;
  }

  private async issue(manager: EntityManager, userId: string, label: string): Promise<IssuedTokenView> {
    const secret = newSecret('shb');
    const token = await this.repository.insertToken(manager, {
      id: randomUUID(),
      userId,
      tokenHash: digestSecret(secret),
      tokenPrefix: secret.slice(0, 10),
      label,
    });
    const view = TokenView.of(token);
    await this.audit.record(
      { action: 'token.issue', targetType: 'api_token', targetId: token.id, after: { ...view, userId } },
      manager,
    );
    return { token: view, secret };
  }
}
