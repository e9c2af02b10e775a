import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OptionalActor, OptionalAuth } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import type { Actor } from '../common/request-context.js';
import { HealthService, HealthView } from './health.service.js';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @OptionalAuth()
  @ApiOperation({
    summary:
      'Whether both stores answer (control plane and warehouse): ok or unavailable to anyone; with a board token, also the stores, their paths and the pseudonym key',
  })
  @ApiResponse({ status: 200, type: HealthView })
  @ApiResponse({ status: 503, type: HealthView })
  @ApiErrors('UNAUTHENTICATED')
  async check(
    @OptionalActor() actor: Actor | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<HealthView> {
    const view = await this.health.check(actor);
    if (view.status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return view;
  }
}
