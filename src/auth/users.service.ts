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
import { digestSecret, newSecret } from './secrets.js';

/** Users and their API tokens: who may use Shirube, in which role, bound to which school. */
@Injectable()
export class UsersService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly audit: AuditService,
  ) {}

  async createUser(input: CreateUserDto): Promise<CreatedUserView> {
    if (input.role === 'school') {
      if (!input.schoolCode) throw invalidField('schoolCode', 'a school user needs a schoolCode');
      if (!isValidSchoolCode(input.schoolCode))
        throw invalidField('schoolCode', `${input.schoolCode} is not a valid MEXT school code (check digit)`);
    } else if (input.schoolCode) {
      throw invalidField('schoolCode', `only a school user is bound to a school (role ${input.role})`);
    }
    if (await this.repository.findUserByName(input.name)) throw userNameTaken(input.name);
    return this.repository.transaction(async (manager) => {
      const user = await this.repository.insertUser(manager, {
        id: randomUUID(),
        name: input.name,
        role: input.role,
        schoolCode: input.schoolCode ?? null,
        disabledAt: null,
      } as User);
      const view = UserView.of(user);
      await this.audit.record({ action: 'user.create', targetType: 'user', targetId: user.id, after: view }, manager);
      const token = await this.issue(manager, user.id, input.tokenLabel ?? 'initial');
      return { user: view, token };
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
