import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFiles,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { IngestUploads } from '../ingest/ingest-uploads.js';
import { IngestService } from '../ingest/ingest.service.js';
import { renderBatchPage, renderDataPage } from './data.page.js';
import { localPath, pageContext } from './layout.js';
import { pickLocale } from './messages.js';
import { field, type FormBody } from './response-forms.js';
import { checkId } from './route-params.js';
import { WebErrorFilter } from './web-error.filter.js';
import { WebSessions } from './web-session.js';

const HISTORY = 50;

/** The board's data page: upload files, a zip or a OneRoster package as one batch; its report; the batches so far. */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller('data')
export class WebDataController {
  constructor(
    private readonly sessions: WebSessions,
    private readonly uploads: IngestUploads,
    private readonly ingest: IngestService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response, @Query('lang') lang?: string): Promise<void> {
    const actor = await this.sessions.require(request, ['board_admin']);
    const ctx = pageContext(pickLocale(lang, this.config.locale), actor, '/data');
    response.type('html').send(renderDataPage(ctx, await this.ingest.recentBatches(HISTORY)));
  }

  /** Loads the files sent as one batch, then shows its report (a rejected batch too: it is recorded with its problems). */
  @Post()
  @UseInterceptors(FilesInterceptor('files', 50, IngestUploads.multerOptions()))
  async upload(
    @Req() request: Request,
    @Res() response: Response,
    @UploadedFiles() files: Express.Multer.File[] | undefined,
    @Body() body: FormBody,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const locale = pickLocale(lang, this.config.locale);
    const actor = await this.sessions.require(request, ['board_admin']);
    let batchId: string;
    try {
      const report = await this.uploads.ingestUpload(
        actor,
        files ?? [],
        { acceptPartial: field(body, 'acceptPartial') === 'true' },
        locale,
      );
      batchId = report.batchId;
    } catch (error) {
      const report =
        error instanceof DomainError ? (error.details?.report as { batchId?: string } | undefined) : undefined;
      if (!report?.batchId) throw error;
      batchId = report.batchId;
    }
    response.redirect(303, localPath(`/data/batches/${batchId}`, locale));
  }

  @Get('batches/:id')
  async batch(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('lang') lang?: string,
  ): Promise<void> {
    const actor = await this.sessions.require(request, ['board_admin']);
    const { report } = await this.ingest.batch(checkId(id));
    const ctx = pageContext(pickLocale(lang, this.config.locale), actor, `/data/batches/${id}`);
    response.type('html').send(renderBatchPage(ctx, report));
  }
}
