import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../../common/page.dto.js';

export class SchoolListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'B108291000011', description: 'Only this school (a school user: its own only)' })
  @IsOptional()
  @Matches(/^[A-Z][0-9]{12}$|^ORG-[0-9a-f]{12}$/, { message: 'school must be a 13-character school code' })
  school?: string;
}
