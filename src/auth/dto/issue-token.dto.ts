import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class IssueTokenDto {
  @ApiProperty({ example: 'survey upload script' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  label: string;
}
