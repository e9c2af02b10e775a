import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class VersionDto {
  @ApiProperty({ description: 'The version you read; a stale one gets 409' }) @IsInt() @Min(1) version: number;
}

export class ChangeAnswerDto extends VersionDto {
  @ApiProperty({
    description: 'A number, a string (choice or text), or for a grid a list of cells {dims, value}',
    oneOf: [{ type: 'number' }, { type: 'string' }, { type: 'array', items: { type: 'object' } }],
  })
  @IsDefined()
  value: unknown;

  @ApiPropertyOptional({ description: 'Why the figure differs from the one computed from data (required then)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class ExplainDto extends VersionDto {
  @ApiProperty({ example: '1:change_from_prefill', description: 'The query’s rule key' })
  @IsString()
  @IsNotEmpty()
  rule: string;
  @ApiProperty({ example: '転入生が3名あったため' }) @IsString() @IsNotEmpty() @MaxLength(2000) text: string;
}

export class ReturnDto {
  @ApiProperty({ example: '学年別の内訳を確認してください' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
}

export class ExportQuery {
  @ApiPropertyOptional({
    enum: ['json', 'csv', 'csv-codes'],
    default: 'json',
    description:
      'csv: headers and values in words, for people and Excel (学年別・男女別児童生徒数_小1_男, 提出済み); csv-codes: the same with codes, for programs (students[grade=P1,sex=male], submitted)',
  })
  @IsOptional()
  @IsIn(['json', 'csv', 'csv-codes'])
  format?: 'json' | 'csv' | 'csv-codes';
}
