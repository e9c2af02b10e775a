import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/path-params.js';
import { type Page, pageRequest } from '../common/page.js';
import { PageQuery, PageView } from '../common/page.dto.js';
import type { Actor } from '../common/request-context.js';
import { CurrentActor, Roles } from './decorators.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { IssueTokenDto } from './dto/issue-token.dto.js';
import { CreatedUserView, DisabledUserView, IssuedTokenView, TokenView, UserView } from './dto/user.view.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Roles('board_admin')
@Controller('api')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post('users')
  @ApiOperation({ summary: 'Create a user and its first API token (the secret is shown once)' })
  @ApiResponse({ status: 201, type: CreatedUserView })
  @ApiErrors('USER_NAME_TAKEN')
  create(@Body() body: CreateUserDto): Promise<CreatedUserView> {
    return this.users.createUser(body);
  }

  @Get('users')
  @ApiOperation({ summary: 'List users' })
  @ApiResponse({ status: 200, type: PageView(UserView) })
  list(@Query() page: PageQuery): Promise<Page<UserView>> {
    return this.users.listUsers(pageRequest(page));
  }

  @Get('users/:id/tokens')
  @ApiOperation({ summary: "List a user's API tokens (never their secrets)" })
  @ApiResponse({ status: 200, type: PageView(TokenView) })
  tokens(@UuidParam('id') id: string, @Query() page: PageQuery): Promise<Page<TokenView>> {
    return this.users.listTokens(id, pageRequest(page));
  }

  @Post('users/:id/tokens')
  @ApiOperation({ summary: 'Issue another API token for a user (the secret is shown once)' })
  @ApiResponse({ status: 201, type: IssuedTokenView })
  @ApiErrors('USER_DISABLED')
  issue(@UuidParam('id') id: string, @Body() body: IssueTokenDto): Promise<IssuedTokenView> {
    return this.users.issueToken(id, body.label);
  }

  @Post('users/:id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a user: every token of theirs is revoked and every web session ends' })
  @ApiResponse({ status: 200, type: DisabledUserView })
  @ApiErrors('USER_DISABLED', 'USER_DISABLE_SELF')
  disable(@CurrentActor() actor: Actor, @UuidParam('id') id: string): Promise<DisabledUserView> {
    return this.users.disableUser(actor, id);
  }

  @Post('tokens/:id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API token; the web sessions signed in with it end too' })
  @ApiResponse({ status: 200, type: TokenView })
  revoke(@UuidParam('id') id: string): Promise<TokenView> {
    return this.users.revokeToken(id);
  }
}
