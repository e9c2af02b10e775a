import { ENCODINGS, type DeclaredEncoding } from '../encoding.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { FEED_KINDS, type FeedKind } from '../ingest.types.js';

export class IngestUploadDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'binary' },
    description: 'Files (CSV, JSON/NDJSON, or a OneRoster zip)',
  })
  files?: unknown;

  @ApiPropertyOptional({
    enum: FEED_KINDS,
    description: 'Force the feed of a single file (default: detected from the header)',
  })
  @IsOptional()
  @IsIn(FEED_KINDS)
  feed?: FeedKind;

  @ApiPropertyOptional({ description: 'Load the valid rows and keep the rejects in the batch report' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  acceptPartial?: boolean;

  @ApiPropertyOptional({
    description: 'The files were pseudonymised with `shirube pseudonymize`; IDs are loaded as they are',
  })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  prePseudonymized?: boolean;

  @ApiPropertyOptional({
    enum: ENCODINGS,
    default: 'auto',
    description:
      'The CSV files’ encoding: auto (UTF-8, with or without a BOM, else Shift_JIS as Excel on Japanese Windows saves it), utf-8 or shift_jis (CP932)',
  })
  @IsOptional()
  @IsIn(ENCODINGS)
  encoding?: DeclaredEncoding;
}

export class ProblemView {
  @ApiProperty({ enum: ['error', 'warning'] }) severity: string;
  @ApiProperty() file: string;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Line in the file (the header is line 1)' }) row:
    number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) column: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The value; person IDs are never shown ("(withheld)")',
  })
  value: string | null;
  @ApiProperty({ description: 'What is wrong, in English (as before problems had codes)' }) rule: string;
  @ApiPropertyOptional({
    description:
      'What the problem is: a code of the message catalogue or `<rules file>:<rule>` (absent in batches recorded before codes)',
  })
  code?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'What fills the words of the code' })
  params?: Record<string, unknown>;
  @ApiProperty({ description: 'What is wrong, in the language of the request (Accept-Language: ja or en)' })
  message: string;
}

export class FeedReportView {
  @ApiProperty({ enum: FEED_KINDS }) kind: string;
  @ApiProperty() name: string;
  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      properties: { name: { type: 'string' }, sha256: { type: 'string' }, bytes: { type: 'number' } },
    },
  })
  files: { name: string; sha256: string; bytes: number }[];
  @ApiPropertyOptional() skipped?: string;
  @ApiProperty() rowsRead: number;
  @ApiProperty() rowsRejected: number;
  @ApiProperty() rowsLoaded: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) notes?: Record<string, unknown>;
}

export class BatchReportView {
  @ApiProperty() batchId: string;
  @ApiProperty({ enum: ['running', 'loaded', 'partial', 'rejected', 'noop', 'failed', 'interrupted'] }) status: string;
  @ApiProperty() message: string;
  @ApiProperty() rowsRead: number;
  @ApiProperty() rowsLoaded: number;
  @ApiProperty() rowsRejected: number;
  @ApiProperty() errors: number;
  @ApiProperty() warnings: number;
  @ApiProperty({ type: [FeedReportView] }) feeds: FeedReportView[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) problemsByRule: object[];
  @ApiProperty({ type: [ProblemView] }) problems: ProblemView[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) timingsMs: Record<string, number>;
}

export class RejectedBatchErrorView {
  @ApiProperty({ enum: ['INGEST_BATCH_REJECTED'] }) code: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: BatchReportView }) report: BatchReportView;
}

/** The error body of a rejected batch (error.filter.ts), with the batch report inside. */
export class RejectedBatchView {
  @ApiProperty({ type: RejectedBatchErrorView }) error: RejectedBatchErrorView;
}
