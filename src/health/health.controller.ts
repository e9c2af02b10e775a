import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators.js';
import { HealthService, HealthView } from './health.service.js';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Whether both stores answer (control plane PostgreSQL and the DuckDB warehouse)' })
  @ApiResponse({ status: 200, type: HealthView })
  @ApiResponse({ status: 503, type: HealthView })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthView> {
    const view = await this.health.check();
    if (view.status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return view;
  }
}
