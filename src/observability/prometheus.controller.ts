import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.js';
import { textContent } from '../common/api-schema.js';
import type { Response } from 'express';
import { AcceptsScrapeToken, IsScraper, OptionalActor } from '../auth/decorators.js';
import type { Actor } from '../common/request-context.js';
import { Telemetry } from './telemetry.js';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('metrics')
export class PrometheusController {
  constructor(private readonly telemetry: Telemetry) {}

  @Get()
  @AcceptsScrapeToken()
  @ApiOperation({
    summary:
      'Prometheus metrics (text exposition): HTTP latency, ingest batches and rows, report renders, the process. For the scraper’s SHIRUBE_METRICS_TOKEN or a board token',
  })
  @ApiResponse({ status: 200, description: 'The metrics', content: textContent('text/plain') })
  @ApiErrors('UNAUTHENTICATED', 'FORBIDDEN_ROLE')
  async scrape(
    @IsScraper() scraper: boolean,
    @OptionalActor() actor: Actor | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const { contentType, text } = await this.telemetry.exposition({ scraper, actor });
    response.setHeader('Content-Type', contentType);
    return text;
  }
}
