import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role, type User } from '../entities/user.entity.js';
import type { ApiToken } from '../entities/api-token.entity.js';

export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiPropertyOptional({ type: String, nullable: true }) schoolCode: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() disabled: boolean;

  static of(user: User): UserView {
    return {
      id: user.id,
      name: user.name,
      role: user.role,
      schoolCode: user.schoolCode,
      createdAt: user.createdAt.toISOString(),
      disabled: user.disabledAt !== null,
    };
  }
}

export class TokenView {
  @ApiProperty() id: string;
  @ApiProperty() label: string;
  @ApiProperty({ description: 'First characters of the token, to tell tokens apart.' }) prefix: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ type: String, nullable: true }) lastUsedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) revokedAt: string | null;

  static of(token: ApiToken): TokenView {
    return {
      id: token.id,
      label: token.label,
      prefix: token.tokenPrefix,
      createdAt: token.createdAt.toISOString(),
      lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
      revokedAt: token.revokedAt?.toISOString() ?? null,
    };
  }
}

export class IssuedTokenView {
  @ApiProperty({ type: TokenView }) token: TokenView;
  @ApiProperty({ description: 'The secret itself: shown this once, never stored.' }) secret: string;
}

export class CreatedUserView {
  @ApiProperty({ type: UserView }) user: UserView;
  @ApiProperty({ type: IssuedTokenView }) token: IssuedTokenView;
}

export class DisabledUserView {
  @ApiProperty({ type: UserView }) user: UserView;
  @ApiProperty({ description: 'Tokens of the user revoked now.' }) tokensRevoked: number;
  @ApiProperty({ description: 'Web sessions of the user ended now.' }) sessionsEnded: number;
}
