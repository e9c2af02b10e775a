import { Body, Controller, Get, Headers, Inject, Post, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { UuidParam } from '../common/path-params.js';
import { ApiErrors } from '../common/api-errors.js';
import type { Actor } from '../common/request-context.js';
import { BatchReportView, IngestUploadDto, RejectedBatchView } from './dto/ingest.dto.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { IngestUploads } from './ingest-uploads.js';
import { requestLocale } from './problems/problem-messages.js';

@ApiTags('ingest')
@ApiBearerAuth()
@Controller('api/ingest')
export class IngestController {
  constructor(
    private readonly uploads: IngestUploads,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  @Post()
  @Roles('board_admin', 'school')
  @UseInterceptors(FilesInterceptor('files', 50, IngestUploads.multerOptions()))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: IngestUploadDto })
  @ApiOperation({
    summary:
      'Upload files and ingest them as one batch (a school: its own school’s attendance, calendar, assessments and guidance only)',
  })
  @ApiResponse({ status: 201, type: BatchReportView, description: 'Loaded (or partly loaded, or nothing new)' })
  @ApiResponse({
    status: 422,
    type: RejectedBatchView,
    description: 'Rejected: nothing loaded; the error carries the batch report naming every problem',
  })
  @ApiErrors(
    'INGEST_BATCH_REJECTED',
    'INGEST_FEED_FORBIDDEN',
    'FORBIDDEN_SCHOOL',
    'PSEUDONYM_KEY_MISMATCH',
    'PSEUDONYM_KEY_UNAVAILABLE',
    'PAYLOAD_TOO_LARGE',
  )
  upload(
    @CurrentActor() actor: Actor,
    @UploadedFiles() files: Express.Multer.File[] | undefined,
    @Body() body: IngestUploadDto,
    @Headers('accept-language') language?: string,
  ): Promise<BatchReportView> {
    return this.uploads.ingestUpload(actor, files ?? [], body, requestLocale(language, this.config.locale));
  }

  @Get('batches/:id')
  @Roles('board_admin', 'school')
  @ApiOperation({ summary: 'An ingest batch and its report (a school: its own batches only)' })
  @ApiResponse({ status: 200, type: BatchReportView })
  @ApiErrors('FORBIDDEN_SCHOOL')
  batch(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Headers('accept-language') language?: string,
  ): Promise<BatchReportView> {
    return this.uploads.batchFor(actor, id, requestLocale(language, this.config.locale));
  }
}
