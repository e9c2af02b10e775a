import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '../entities/user.entity.js';

export class CreateUserDto {
  @ApiProperty({
    description: 'A name to tell users apart, e.g. the school or the official (unique).',
    example: '中央小学校',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    description: 'MEXT 13-character school code; required for, and only for, the school and teacher roles.',
    example: 'B113210000014',
  })
  @ValidateIf((dto: CreateUserDto) => dto.role === 'school' || dto.role === 'teacher' || dto.schoolCode !== undefined)
  @IsString()
  @Matches(/^[A-H][0-9]{12}$/, { message: 'schoolCode must be a 13-character MEXT school code such as B113210000014' })
  schoolCode?: string;

  @ApiPropertyOptional({ description: 'A label for the first API token.', example: 'initial' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tokenLabel?: string;
}
