import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors } from '../common/api-errors.js';
import type { Actor } from '../common/request-context.js';
import { AuthService } from './auth.service.js';
import { CurrentActor, Public } from './decorators.js';
import { ActorView, LoginDto } from './dto/login.dto.js';
import { clientAddress } from '../common/client-address.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import { SESSION_COOKIE } from './auth.service.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the caller is' })
  @ApiResponse({ status: 200, type: ActorView })
  me(@CurrentActor() actor: Actor): ActorView {
    return actor;
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange an API token for a session cookie (httpOnly, SameSite=Lax) for the web pages' })
  @ApiResponse({ status: 200, type: ActorView })
  @ApiErrors('UNAUTHENTICATED', 'RATE_LIMITED')
  async login(
    @Body() body: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ActorView> {
    const session = await this.auth.login(body.token, 'api', clientAddress(request));
    setSessionCookie(request, response, session.sessionSecret, session.expiresAt);
    return session.actor;
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'End the browser session' })
  @ApiResponse({ status: 204, description: 'Signed out (the cookie is cleared)' })
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout((request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]);
    clearSessionCookie(response);
  }
}
