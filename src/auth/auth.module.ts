import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthRepository } from './auth.repository.js';
import { AuthService } from './auth.service.js';
import { CredentialCache } from './credential-cache.js';
import { OidcSignIn } from './oidc-sign-in.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [AuditModule],
  controllers: [AuthController, UsersController],
  providers: [AuthRepository, AuthService, CredentialCache, UsersService, AuthGuard, SignInThrottle, OidcSignIn],
  exports: [AuthService, UsersService, AuthGuard, OidcSignIn, AuthRepository],
})
export class AuthModule {}
